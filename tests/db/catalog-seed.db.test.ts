import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { recordSessionBoundary } from '#app/services/sessions/boundaries.server'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-30T05:17:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

describe('catalog seed', () => {
  it('keeps the stock ledger consistent with the seeded stock: allocate = allocated, −sales = allocated − available', async () => {
    const rows = await sql<{
      id: string
      allocated: number
      available: number
      released: number
      allocate: number
      sold: number
    }>`
      select x.id, x.allocated, x.available, x.released,
        coalesce((select sum(quantity) from stock_movements m where m.session_item_sku_id = x.id and m.kind = 'allocate'), 0)::int as allocate,
        coalesce((select -sum(quantity) from stock_movements m where m.session_item_sku_id = x.id and m.kind = 'sale'), 0)::int as sold
      from session_item_skus x`.execute(t.db)
    expect(rows.rows.length).toBeGreaterThan(0)
    for (const r of rows.rows) {
      expect(r.allocate).toBe(r.allocated)
      expect(r.sold).toBe(r.allocated - r.available - r.released)
    }
    expect(rows.rows.some((r) => r.sold > 0)).toBe(true)
  })

  it('has a draft session for MULAN, a follow, and sales data for the dashboard chart', async () => {
    const mulan = await t.db.selectFrom('brands').select('id').where('slug', '=', 'mulan').executeTakeFirstOrThrow()
    const drafts = await t.db
      .selectFrom('clearance_sessions')
      .select('id')
      .where('brand_id', '=', mulan.id)
      .where('status', '=', 'draft')
      .execute()
    expect(drafts).toHaveLength(1)
    expect(await t.db.selectFrom('brand_follows').select('user_id').execute()).toHaveLength(1)
    const dash = await brandDashboard(t.db, mulan.id, now)
    expect(dash.chart!.perHour.reduce((s, v) => s + v, 0)).toBe(dash.sessions.find((s) => s.phase === 'live')!.sold)
  })

  it('the ended session releases its unsold units once its end job runs', async () => {
    const ended = await t.db
      .selectFrom('clearance_sessions')
      .select(['id', 'ends_at'])
      .where('ends_at', '<', now)
      .executeTakeFirstOrThrow()
    expect(await recordSessionBoundary(t.db, { sessionId: ended.id, kind: 'ended', now })).toBe('recorded')
    const left = await sql<{
      n: number
    }>`select coalesce(sum(x.available), 0)::int as n from session_item_skus x join session_items i on i.id = x.session_item_id where i.session_id = ${ended.id}`.execute(
      t.db,
    )
    expect(left.rows[0].n).toBe(0)
  })
})
