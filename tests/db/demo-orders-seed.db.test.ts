import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { memberUnitPrice } from '#app/domain/pricing'
import { pointsForPaidGoods } from '#app/domain/membership'
import { settlementFor } from '#app/domain/orders'
import { loadVipTiers } from '#app/services/membership/pricing.server'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { listMemberOrders } from '#app/services/orders/orders.server'
import { listSettlements } from '#app/services/orders/after-sales.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-23T10:17:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

// Members' demo orders; customers' orders on Lily's shop are checked in customer-orders-seed.db.test.ts.
const customerCheckouts = () => t.db.selectFrom('customer_orders').select('checkout_id')

const brandId = async (slug: string) =>
  (await t.db.selectFrom('brands').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id

describe('demo orders', () => {
  it('covers every order state a brand and a member see, with carrier and tracking on shipped orders', async () => {
    const orders = await t.db.selectFrom('orders').selectAll().execute()
    const by = (status: string) => orders.filter((o) => o.status === status)
    // Only a customer's order (Lily's shop) waits for payment; members' demo orders are all paid.
    expect(by('pending_payment')).toHaveLength(1)
    expect(by('paid').length).toBeGreaterThanOrEqual(3)
    expect(by('paid').filter((o) => o.ship_by_at! < now && o.late_flagged_at !== null)).toHaveLength(1)
    for (const o of [...by('shipped'), ...by('received'), ...by('completed')]) {
      expect(o.carrier).toBeTruthy()
      expect(o.tracking_no).toMatch(/^[A-Z]{2,3}\d+$/)
      expect(o.shipped_at!.getTime()).toBeGreaterThan(o.paid_at!.getTime())
    }
    expect(by('shipped').length).toBeGreaterThanOrEqual(2)
    expect(by('received').length).toBeGreaterThanOrEqual(2)
    expect(by('completed').length).toBeGreaterThanOrEqual(2)
    expect(orders.some((o) => o.drop_ship)).toBe(true)
    const open = await t.db.selectFrom('after_sale_requests').select(['order_id', 'status']).execute()
    expect(open).toHaveLength(1)
    expect(open[0].status).toBe('open')
    // A two-brand checkout: one payment, two orders.
    const multi = await sql<{
      n: number
    }>`select count(*)::int as n from (select checkout_id from orders group by checkout_id having count(*) = 2) x`.execute(
      t.db,
    )
    expect(multi.rows[0].n).toBe(1)
    // Nothing is dated after the seed's clock.
    for (const o of orders)
      for (const d of [o.created_at, o.paid_at, o.shipped_at, o.received_at])
        if (d) expect(d.getTime()).toBeLessThanOrEqual(now.getTime())
  })

  it("prices every line at the buyer's own level and pays every checkout in full through the test provider", async () => {
    const tiers = await loadVipTiers(t.db)
    const lines = await t.db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .innerJoin('users as u', 'u.id', 'o.member_id')
      .innerJoin('session_item_skus as x', 'x.id', 'l.session_item_sku_id')
      .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
      .select(['l.unit_price_minor', 'i.base_price_minor', 'u.vip_level', 'u.email'])
      .where('o.checkout_id', 'not in', customerCheckouts())
      .execute()
    expect(lines.length).toBeGreaterThan(10)
    expect(new Set(lines.map((l) => l.email))).toEqual(new Set(['vip1@demo.cm', 'vip5@demo.cm']))
    for (const l of lines) expect(l.unit_price_minor).toBe(memberUnitPrice(l.base_price_minor, l.vip_level, tiers))

    const checkouts = await t.db
      .selectFrom('checkouts as c')
      .innerJoin('payments as p', 'p.id', 'c.payment_id')
      .select([
        'c.id',
        'c.status',
        'c.total_minor',
        'c.member_id',
        'p.amount_minor',
        'p.status as payment_status',
        'p.provider',
        'p.purpose',
        'p.reference_id',
        'p.payer_user_id',
        'p.paid_at',
        'c.paid_at as checkout_paid_at',
      ])
      .where('c.id', 'not in', customerCheckouts())
      .execute()
    expect(checkouts).toHaveLength(
      await t.db
        .selectFrom('checkouts')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('id', 'not in', customerCheckouts())
        .executeTakeFirstOrThrow()
        .then((r) => r.n),
    )
    for (const c of checkouts) {
      expect(c).toMatchObject({
        status: 'paid',
        payment_status: 'succeeded',
        provider: 'test',
        purpose: 'order',
        reference_id: c.id,
        payer_user_id: c.member_id,
        amount_minor: c.total_minor,
      })
      expect(c.paid_at).toEqual(c.checkout_paid_at)
      const goods = await t.db
        .selectFrom('orders')
        .select(sql<number>`sum(goods_minor)::int`.as('s'))
        .where('checkout_id', '=', c.id)
        .executeTakeFirstOrThrow()
      expect(goods.s).toBe(c.total_minor)
    }
    const events = await t.db
      .selectFrom('payment_events as e')
      .innerJoin('payments as p', 'p.id', 'e.payment_id')
      .select('e.provider_event_id')
      .where('p.purpose', '=', 'order')
      .execute()
    expect(events).toHaveLength(checkouts.length)
  })

  it('credits growth points per paid order through the ledger, takes capped units against the cap, and keeps the stock ledger whole', async () => {
    const credits = await t.db
      .selectFrom('orders as o')
      .leftJoin('growth_ledger as g', (j) => j.onRef('g.order_id', '=', 'o.id').on('g.reason', '=', 'purchase'))
      .select(['o.goods_minor', 'g.delta'])
      .where('o.checkout_id', 'not in', customerCheckouts())
      .execute()
    for (const c of credits) expect(c.delta ?? 0).toBe(pointsForPaidGoods(c.goods_minor))
    const levels = await t.db
      .selectFrom('users')
      .select(['email', 'vip_level'])
      .where('role', '=', 'member')
      .orderBy('email')
      .execute()
    expect(levels.map((l) => l.vip_level)).toEqual([0, 1, 3, 5])

    const takes = await sql<{ taken: number; bought: number }>`
      select t.taken, (select sum(l.quantity)::int from order_lines l join orders o on o.id = l.order_id
        where l.session_item_sku_id = t.session_item_sku_id and o.member_id = t.member_id) as bought
      from member_sku_takes t`.execute(t.db)
    for (const r of takes.rows) expect(r.taken).toBe(r.bought)
    const capped = await sql<{
      n: number
    }>`select count(*)::int as n from order_lines l join session_items i on i.id = (select session_item_id from session_item_skus where id = l.session_item_sku_id) where i.per_member_cap is not null`.execute(
      t.db,
    )
    expect(takes.rows.length).toBe(capped.rows[0].n)
    expect(takes.rows.length).toBeGreaterThan(0)

    const sold = await sql<{ id: string; lines: number; sales: number; stock: number }>`
      select x.id, (select coalesce(sum(quantity), 0)::int from order_lines where session_item_sku_id = x.id) as lines,
        (select coalesce(-sum(quantity), 0)::int from stock_movements where session_item_sku_id = x.id and kind = 'sale') as sales,
        (x.allocated - x.available - x.released)::int as stock
      from session_item_skus x where exists (select 1 from order_lines l where l.session_item_sku_id = x.id)`.execute(
      t.db,
    )
    for (const r of sold.rows) {
      expect(r.sales).toBe(r.stock)
      expect(r.sales).toBeGreaterThanOrEqual(r.lines)
    }
  })

  it('gives MULAN revenue, orders to ship and a settlement for its ended session, 北岸 a late order, and the members their order lists', async () => {
    const mulan = await brandId('mulan')
    const dash = await brandDashboard(t.db, mulan, now)
    expect(dash.totals.revenueMinor).toBeGreaterThan(0)
    expect(dash.toShip.count).toBeGreaterThanOrEqual(2)
    const north = await brandDashboard(t.db, await brandId('northshore'), now)
    expect(north.toShip.late).toBe(1)

    const [settlement] = await listSettlements(t.db, mulan)
    expect(settlement.sessionTitle).toBe('沐岚 秋装尾货')
    const paid = await sql<{
      s: number
    }>`select sum(l.quantity * l.unit_price_minor)::int as s from order_lines l join clearance_sessions s on s.id = l.session_id where s.title = '沐岚 秋装尾货'`.execute(
      t.db,
    )
    expect(settlement).toMatchObject(
      settlementFor({ paidMinor: paid.rows[0].s, refundedMinor: 0, commissionBps: 800, currency: 'CNY' }),
    )
    expect(settlement.orderCount).toBe(3)

    const vip5 = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'vip5@demo.cm')
      .executeTakeFirstOrThrow()
    const list = await listMemberOrders(t.db, vip5.id, now)
    expect(new Set(list.map((o) => o.status))).toEqual(new Set(['paid', 'shipped', 'received', 'completed']))
    for (const email of ['trial@demo.cm', 'vip3@demo.cm']) {
      const m = await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()
      expect(await listMemberOrders(t.db, m.id, now)).toEqual([])
    }
  })

  it('gives every demo product an English description', async () => {
    const missing = await t.db
      .selectFrom('products')
      .select('id')
      .where((eb) => eb.or([eb('description_en', 'is', null), eb('description_en', '=', '')]))
      .execute()
    expect(missing).toEqual([])
  })
})
