import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Every figure of the brand dashboard comes from the same orders, and the demo data sells only through orders.
let t: TestDatabase
const now = new Date('2026-11-30T05:17:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

describe('brand dashboard figures', () => {
  it('demo data: every unit sold in the stock ledger belongs to an order', async () => {
    const rows = await sql<{ id: string; moved: number; ordered: number }>`
      select x.id,
        coalesce((select -sum(quantity) from stock_movements m where m.session_item_sku_id = x.id and m.kind in ('sale', 'sale_cancelled')), 0)::int as moved,
        coalesce((select sum(l.quantity) from order_lines l join orders o on o.id = l.order_id where l.session_item_sku_id = x.id and o.status <> 'cancelled'), 0)::int as ordered
      from session_item_skus x`.execute(t.db)
    expect(rows.rows.filter((r) => r.moved !== r.ordered)).toEqual([])
    expect(rows.rows.some((r) => r.ordered > 0)).toBe(true)
  })

  it('sold units, sold value and revenue agree with the paid orders', async () => {
    const brands = await t.db.selectFrom('brands').select('id').execute()
    for (const b of brands) {
      const dash = await brandDashboard(t.db, b.id, now)
      const paid = await sql<{ session_id: string; units: number; gross: number; refunded: number }>`
        select l.session_id, sum(l.quantity - l.refunded_quantity)::int as units, sum(l.quantity * l.unit_price_minor)::bigint as gross, sum(l.refunded_minor)::bigint as refunded
        from order_lines l join orders o on o.id = l.order_id
        where o.brand_id = ${b.id} and o.paid_at is not null and o.status in ('paid', 'shipped', 'received', 'completed', 'refunded') group by l.session_id`.execute(
        t.db,
      )
      for (const s of dash.sessions) {
        const p = paid.rows.find((r) => r.session_id === s.id)
        expect({ sold: s.sold, soldValueMinor: s.soldValueMinor, revenueMinor: s.revenueMinor }).toEqual({
          sold: p?.units ?? 0,
          soldValueMinor: Number(p?.gross ?? 0),
          revenueMinor: Number(p?.gross ?? 0) - Number(p?.refunded ?? 0),
        })
      }
      if (dash.chart)
        expect(dash.chart.perHour.reduce((a, v) => a + v, 0)).toBe(
          dash.sessions.find((s) => s.id === dash.chart!.sessionId)!.sold,
        )
    }
  })
})
