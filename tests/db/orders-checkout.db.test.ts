import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '#db/client'
import { CapExceededError, SessionClosedError, SoldOutError } from '#app/domain/orders'
import { memberUnitPrice } from '#app/domain/pricing'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { orderPaymentHandler } from '#app/services/orders/order-payments.server'
import { refundOrder } from '#app/services/orders/after-sales.server'
import { releaseUnsold } from '#app/services/sessions/release.server'
import {
  resetOrderIntegrations,
  wireOrderIntegrations,
  type StockMovementRow,
} from '#app/services/orders/integrations.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let wide: Db
const now = new Date()
const hoursFrom = (n: number) => new Date(now.getTime() + n * 3_600_000)

async function member(db: Db, vipLevel = 0) {
  const user = await createUser(db, { vipLevel })
  const address = await db
    .insertInto('addresses')
    .values({
      member_id: user.id,
      kind: 'own',
      recipient: '张三',
      phone: '13800000000',
      region: '浙江 杭州',
      line: '西湖区 1 号',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: user.id, vipLevel, addressId: address.id }
}

async function skuInSession(
  db: Db,
  opts: { units: number; cap?: number | null; startsAt?: Date; brandId?: string; base?: number },
) {
  const brandId = opts.brandId ?? (await createBrand(db)).id
  const session = await createSession(db, { brandId, startsAt: opts.startsAt ?? hoursFrom(-1) })
  const { product, skus } = await createProduct(db, { brandId, sizes: ['M'], colours: ['黑色'], title: '羊毛大衣' })
  const item = await addSessionItem(db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: [skus[0].id],
    basePriceMinor: opts.base ?? 10000,
    quantity: opts.units,
    perMemberCap: opts.cap ?? null,
  })
  const row = await db
    .selectFrom('session_item_skus')
    .select(['id'])
    .where('session_item_id', '=', item.id)
    .executeTakeFirstOrThrow()
  return { sisId: row.id, brandId, sessionId: session.id }
}

const available = async (id: string) =>
  (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', id).executeTakeFirstOrThrow())
    .available

beforeAll(async () => {
  t = await createTestDatabase()
  wide = createDb(t.url, { max: 40 })
})
afterAll(async () => {
  resetOrderIntegrations()
  await wide.destroy()
  await t.drop()
})

describe('checkout under 200 concurrent buyers', () => {
  it('sells exactly N units of a SKU with N units: no oversell, no order without stock', async () => {
    const N = 50
    const { sisId } = await skuInSession(t.db, { units: N })
    const buyers = await Promise.all(Array.from({ length: 200 }, () => member(t.db)))
    const results = await Promise.allSettled(
      buyers.map((b) =>
        placeCheckout(wide, {
          memberId: b.id,
          vipLevel: 0,
          lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
          addressId: b.addressId,
          now: new Date(),
        }),
      ),
    )
    const ok = results.filter((r) => r.status === 'fulfilled')
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(ok).toHaveLength(N)
    expect(refused.every((r) => r.reason instanceof SoldOutError)).toBe(true)
    expect(await available(sisId)).toBe(0)
    const sold = await sql<{
      n: number
    }>`select coalesce(sum(quantity), 0)::int as n from order_lines where session_item_sku_id = ${sisId}`.execute(t.db)
    expect(sold.rows[0].n).toBe(N)
    const orphanOrders = await sql<{
      n: number
    }>`select count(*)::int as n from orders o where not exists (select 1 from order_lines l where l.order_id = o.id)`.execute(
      t.db,
    )
    expect(orphanOrders.rows[0].n).toBe(0)
  })

  it('holds per-member caps under concurrency (cap 2, five tries each)', async () => {
    const { sisId } = await skuInSession(t.db, { units: 100, cap: 2 })
    const buyers = await Promise.all(Array.from({ length: 10 }, () => member(t.db)))
    const results = await Promise.allSettled(
      buyers.flatMap((b) =>
        Array.from({ length: 5 }, () =>
          placeCheckout(wide, {
            memberId: b.id,
            vipLevel: 0,
            lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
            addressId: b.addressId,
            now: new Date(),
          }),
        ),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20)
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof CapExceededError),
    ).toBe(true)
    expect(await available(sisId)).toBe(80)
    const perMember = await sql<{
      n: number
    }>`select sum(l.quantity)::int as n from order_lines l join orders o on o.id = l.order_id
      where l.session_item_sku_id = ${sisId} group by o.member_id`.execute(t.db)
    expect(perMember.rows.map((r) => r.n)).toEqual(Array(10).fill(2))
  })
})

describe('checkout rules', () => {
  it('refuses a closed or upcoming session with the item named, and changes nothing', async () => {
    const b = await member(t.db)
    const ended = await skuInSession(t.db, { units: 5, startsAt: hoursFrom(-49) })
    const upcoming = await skuInSession(t.db, { units: 5, startsAt: hoursFrom(2) })
    for (const s of [ended, upcoming]) {
      const err = await placeCheckout(t.db, {
        memberId: b.id,
        vipLevel: 0,
        lines: [{ sessionItemSkuId: s.sisId, quantity: 1 }],
        addressId: b.addressId,
        now,
      }).catch((e) => e)
      expect(err).toBeInstanceOf(SessionClosedError)
      expect(err.status).toBe(409)
      expect(err.message).toMatch(/羊毛大衣/)
      expect(await available(s.sisId)).toBe(5)
    }
  })

  it('rolls back every line when one is refused', async () => {
    const b = await member(t.db)
    const a = await skuInSession(t.db, { units: 5 })
    const c = await skuInSession(t.db, { units: 1 })
    const err = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [
        { sessionItemSkuId: a.sisId, quantity: 2 },
        { sessionItemSkuId: c.sisId, quantity: 2 },
      ],
      addressId: b.addressId,
      now,
    }).catch((e) => e)
    expect(err).toBeInstanceOf(SoldOutError)
    expect(err.message).toMatch(/only 1 left/)
    expect(await available(a.sisId)).toBe(5)
    expect(await available(c.sisId)).toBe(1)
  })

  it('makes one order per brand under one checkout, with the member price snapshot and stock movements', async () => {
    const b = await member(t.db, 3)
    const x = await skuInSession(t.db, { units: 5, base: 12345 })
    const y = await skuInSession(t.db, { units: 5, base: 8000 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 3,
      lines: [
        { sessionItemSkuId: x.sisId, quantity: 2 },
        { sessionItemSkuId: y.sisId, quantity: 1 },
      ],
      addressId: b.addressId,
      now,
    })
    expect(placed.orderIds).toHaveLength(2)
    const lines = await t.db
      .selectFrom('order_lines')
      .select(['session_item_sku_id', 'unit_price_minor', 'quantity'])
      .where('order_id', 'in', placed.orderIds)
      .execute()
    expect(lines.find((l) => l.session_item_sku_id === x.sisId)!.unit_price_minor).toBe(memberUnitPrice(12345, 3))
    expect(placed.totalMinor).toBe(memberUnitPrice(12345, 3) * 2 + memberUnitPrice(8000, 3))
    // The sale's stock movements, one per SKU, written in the checkout's own transaction.
    const moves = await t.db
      .selectFrom('stock_movements')
      .select(['kind', 'quantity'])
      .where('session_item_sku_id', 'in', [x.sisId, y.sisId])
      .where('kind', '=', 'sale')
      .execute()
    expect(moves.map((m) => [m.kind, m.quantity]).sort()).toEqual([
      ['sale', -1],
      ['sale', -2],
    ])
    const job = await sql<{
      n: number
    }>`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'expire_checkout' and j.payload::jsonb -> 'checkoutIds' ? ${placed.checkoutId}::text`.execute(
      t.db,
    )
    expect(job.rows[0].n).toBe(1)
  })
})

describe('expiry, cancel and late payment', () => {
  it('returns stock exactly once when the expiry job and a cancel race', async () => {
    const b = await member(t.db)
    const { sisId } = await skuInSession(t.db, { units: 3, cap: 3 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sisId, quantity: 3 }],
      addressId: b.addressId,
      now,
    })
    expect(await available(sisId)).toBe(0)
    const later = new Date(placed.expiresAt.getTime() + 1)
    const moves: StockMovementRow[] = []
    wireOrderIntegrations({
      recordStockMovements: async (_trx, rows) => {
        moves.push(...rows)
      },
    })
    const outcomes = await Promise.all([
      releaseCheckout(wide, { checkoutId: placed.checkoutId, to: 'expired', now: later }),
      releaseCheckout(wide, { checkoutId: placed.checkoutId, to: 'cancelled', now: later, memberId: b.id }),
      releaseCheckout(wide, { checkoutId: placed.checkoutId, to: 'expired', now: later }),
    ])
    resetOrderIntegrations()
    expect(outcomes.filter(Boolean)).toHaveLength(1)
    expect(moves.map((m) => [m.kind, m.delta, m.sessionItemSkuId])).toEqual([['sale_cancelled', 3, sisId]])
    expect(await available(sisId)).toBe(3)
    const take = await t.db
      .selectFrom('member_sku_takes')
      .select('taken')
      .where('member_id', '=', b.id)
      .executeTakeFirstOrThrow()
    expect(take.taken).toBe(0)
  })

  it('does not expire before the deadline', async () => {
    const b = await member(t.db)
    const { sisId } = await skuInSession(t.db, { units: 1 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
      addressId: b.addressId,
      now,
    })
    expect(await releaseCheckout(t.db, { checkoutId: placed.checkoutId, to: 'expired', now })).toBe(false)
    expect(await available(sisId)).toBe(0)
  })

  it('expiry vs late payment: stock returns exactly once, and a payment that loses is refunded', async () => {
    const { sisId } = await skuInSession(t.db, { units: 30 })
    const buyers = await Promise.all(Array.from({ length: 30 }, () => member(t.db)))
    const placed = await Promise.all(
      buyers.map((b) =>
        placeCheckout(t.db, {
          memberId: b.id,
          vipLevel: 0,
          lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
          addressId: b.addressId,
          now,
        }),
      ),
    )
    const later = new Date(placed[0].expiresAt.getTime() + 60_000)
    await Promise.all(
      placed.flatMap((p) => [
        releaseCheckout(wide, { checkoutId: p.checkoutId, to: 'expired', now: later }),
        wide
          .transaction()
          .execute((trx) =>
            orderPaymentHandler.onSucceeded(
              trx,
              { id: crypto.randomUUID(), reference_id: p.checkoutId, amount_minor: p.totalMinor, currency: 'CNY' },
              later,
            ),
          ),
      ]),
    )
    const rows = await t.db
      .selectFrom('checkouts')
      .select(['status', 'late_payment_id'])
      .where(
        'id',
        'in',
        placed.map((p) => p.checkoutId),
      )
      .execute()
    const paid = rows.filter((r) => r.status === 'paid').length
    const expired = rows.filter((r) => r.status === 'expired')
    expect(paid + expired.length).toBe(30)
    expect(expired.every((r) => r.late_payment_id !== null)).toBe(true)
    expect(await available(sisId)).toBe(expired.length)
    const refundJobs = await sql<{
      n: number
    }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'refund_late_payment'`.execute(t.db)
    expect(refundJobs.rows[0].n).toBe(expired.length)
  })

  it('ignores payments whose reference is not a checkout id', async () => {
    const r = await t.db
      .transaction()
      .execute((trx) =>
        orderPaymentHandler.onSucceeded(
          trx,
          { id: crypto.randomUUID(), reference_id: 'e2e-123', amount_minor: 100, currency: 'CNY' },
          now,
        ),
      )
    expect(r).toBe('missing')
  })

  it('a duplicate success for the same payment changes nothing', async () => {
    const b = await member(t.db)
    const { sisId } = await skuInSession(t.db, { units: 1 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
      addressId: b.addressId,
      now,
    })
    const payment = {
      id: crypto.randomUUID(),
      reference_id: placed.checkoutId,
      amount_minor: placed.totalMinor,
      currency: 'CNY',
    }
    expect(await t.db.transaction().execute((trx) => orderPaymentHandler.onSucceeded(trx, payment, now))).toBe('paid')
    expect(await t.db.transaction().execute((trx) => orderPaymentHandler.onSucceeded(trx, payment, now))).toBe(
      'already_paid',
    )
    const order = await t.db
      .selectFrom('orders')
      .select(['status', 'ship_by_at'])
      .where('checkout_id', '=', placed.checkoutId)
      .executeTakeFirstOrThrow()
    expect(order.status).toBe('paid')
    expect(order.ship_by_at!.getTime()).toBe(now.getTime() + 24 * 3_600_000)
    expect(await releaseCheckout(t.db, { checkoutId: placed.checkoutId, to: 'cancelled', now, memberId: b.id })).toBe(
      false,
    )
  })
})

describe('wired to membership and catalog', () => {
  it('records sale movements, credits growth points on payment and takes them back on refund', async () => {
    const b = await member(t.db)
    const { sisId } = await skuInSession(t.db, { units: 5, base: 60000 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
      addressId: b.addressId,
      now,
    })
    const sale = await t.db
      .selectFrom('stock_movements')
      .select(['kind', 'quantity'])
      .where('session_item_sku_id', '=', sisId)
      .execute()
    expect(sale).toEqual([{ kind: 'sale', quantity: -1 }])
    const paymentId = crypto.randomUUID()
    await t.db
      .transaction()
      .execute((trx) =>
        orderPaymentHandler.onSucceeded(
          trx,
          { id: paymentId, reference_id: placed.checkoutId, amount_minor: 60000, currency: 'CNY' },
          now,
        ),
      )
    const ledger = await t.db
      .selectFrom('growth_ledger')
      .select(['delta', 'reason', 'order_id'])
      .where('member_id', '=', b.id)
      .execute()
    expect(ledger).toEqual([{ delta: 60, reason: 'purchase', order_id: placed.orderIds[0] }])
    wireOrderIntegrations({ refundPayment: async () => ({ refundId: 're_1', status: 'succeeded' }) })
    try {
      await refundOrder(t.db, { orderId: placed.orderIds[0], reason: 'test', now })
    } finally {
      resetOrderIntegrations()
    }
    const after = await t.db
      .selectFrom('growth_ledger')
      .select(({ fn }) => fn.sum<number>('delta').as('n'))
      .where('member_id', '=', b.id)
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(0)
  })

  it('an unpaid checkout that expires after the session released its unsold units sends them to released', async () => {
    const b = await member(t.db)
    const { sisId, sessionId, brandId } = await skuInSession(t.db, { units: 4 })
    const placed = await placeCheckout(t.db, {
      memberId: b.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
      addressId: b.addressId,
      now,
    })
    await t.db.transaction().execute(async (trx) => {
      await releaseUnsold(trx, brandId, sessionId)
      await trx.updateTable('clearance_sessions').set({ released_at: now }).where('id', '=', sessionId).execute()
    })
    expect(
      await releaseCheckout(t.db, {
        checkoutId: placed.checkoutId,
        to: 'expired',
        now: new Date(placed.expiresAt.getTime() + 1),
      }),
    ).toBe(true)
    const row = await t.db
      .selectFrom('session_item_skus')
      .select(['available', 'released'])
      .where('id', '=', sisId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ available: 0, released: 4 })
    const moves = await t.db
      .selectFrom('stock_movements')
      .select(['kind', 'quantity'])
      .where('session_item_sku_id', '=', sisId)
      .orderBy('id')
      .execute()
    expect(moves).toEqual([
      { kind: 'sale', quantity: -1 },
      { kind: 'release', quantity: -3 },
      { kind: 'sale_cancelled', quantity: 1 },
      { kind: 'release', quantity: -1 },
    ])
  })
})
