import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { demoCustomerOrderPath, seedCustomerOrders } from '#db/seeds/customer-orders'
import { resellerEarnings } from '#app/services/customer-orders/earnings.server'
import { customerOrderPage } from '#app/services/customer-orders/order-page.server'
import { resellerCustomerOrders, resellerCustomers } from '#app/services/customer-orders/reseller-view.server'
import { owedTo } from '#app/services/ledger/journal.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The demo seed fills Lily's customers and earnings pages through the real customer checkout, payments, shipping,
// receipt and refund services; her earnings are whatever the journal says the rules give.

let t: TestDatabase
const now = new Date('2026-11-23T10:17:00Z')
let lilyId = ''

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
  lilyId = (await t.db.selectFrom('users').select('id').where('email', '=', 'vip3@demo.cm').executeTakeFirstOrThrow())
    .id
})
afterAll(() => t.drop())

const snapshot = async () =>
  (
    await sql<{
      n: string
    }>`select (select count(*) from customer_orders) || '/' || (select count(*) from orders) || '/' || (select count(*) from ledger_entries) || '/' || (select count(*) from order_refunds) || '/' || (select coalesce(sum(available), 0) from session_item_skus) as n`.execute(
      t.db,
    )
  ).rows[0]!.n

describe('demo customer orders', () => {
  it('shows Lily customer orders in every state: unpaid within its hold, paid, shipped, received, a refunded line', async () => {
    const orders = await resellerCustomerOrders(t.db, lilyId, now)
    expect(orders).toHaveLength(5)
    const parcels = await t.db
      .selectFrom('orders as o')
      .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
      .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
      .select(['co.name', 'o.status', 'o.carrier', 'o.tracking_no', 'c.expires_at', 'o.drop_ship'])
      .where('co.reseller_id', '=', lilyId)
      .execute()
    const status = (name: string) => parcels.find((p) => p.name === name)!
    expect(status('周小姐').status).toBe('pending_payment')
    expect(status('周小姐').expires_at.getTime()).toBeGreaterThan(now.getTime())
    expect(status('刘小姐').status).toBe('paid')
    expect(status('林女士')).toMatchObject({ status: 'shipped', carrier: '中通快递', tracking_no: 'ZTO7731990421' })
    expect(status('孙小姐')).toMatchObject({ status: 'received', carrier: '顺丰速运' })
    expect(parcels.every((p) => p.drop_ship)).toBe(true)
    const refunded = await t.db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
      .select(['co.name', 'l.quantity', 'l.refunded_quantity'])
      .where('l.refunded_quantity', '>', 0)
      .execute()
    expect(refunded).toEqual([{ name: '赵女士', quantity: 1, refunded_quantity: 1 }])
    // Her customer list counts those who paid.
    expect((await resellerCustomers(t.db, lilyId)).length).toBe(4)
  })

  it('her earnings come from the journal and equal retail − own price per unit not refunded, all pending', async () => {
    const lines = await t.db
      .selectFrom('customer_order_lines as cl')
      .innerJoin('order_lines as l', 'l.id', 'cl.order_line_id')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .select(['cl.retail_unit_minor', 'l.unit_price_minor', 'l.quantity', 'l.refunded_quantity'])
      .where('o.paid_at', 'is not', null)
      .execute()
    const expected = lines.reduce(
      (s, l) => s + (l.retail_unit_minor - l.unit_price_minor) * (l.quantity - l.refunded_quantity),
      0,
    )
    expect(expected).toBeGreaterThan(0)
    const page = await resellerEarnings(t.db, lilyId, now)
    expect(page.balance).toEqual({ pendingMinor: expected, availableMinor: 0 })
    expect(await owedTo(t.db, 'reseller_pending', lilyId)).toBe(expected)
    expect(page.history.filter((h) => h.event === 'earned')).toHaveLength(4)
    expect(page.history.filter((h) => h.event === 'reversed')).toHaveLength(1)
    const total = await sql<{
      s: string
    }>`select coalesce(sum(amount_minor), 0)::text as s from ledger_postings`.execute(t.db)
    expect(Number(total.rows[0]!.s)).toBe(0)
  })

  it('points a newcomer at a shipped order page with its tracking, and seeding again changes nothing', async () => {
    const path = await demoCustomerOrderPath(t.db)
    expect(path).toMatch(/^\/o\/[A-Za-z0-9_-]{32}$/)
    const view = await customerOrderPage(t.db, path!.slice(3), now)
    expect(JSON.stringify(view)).toContain('ZTO7731990421')
    const before = await snapshot()
    await seedCustomerOrders(t.db, now)
    expect(await snapshot()).toBe(before)
  })
})
