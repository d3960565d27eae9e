import type { Runner } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueue } from '#jobs/enqueue'
import { startWorker } from '#jobs/worker'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { startCheckoutPayment } from '#app/services/orders/orders.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let runner: Runner
beforeAll(async () => {
  t = await createTestDatabase()
  runner = await startWorker({
    connectionString: t.url,
    db: t.db,
    pollInterval: 100,
    noHandleSignals: true,
    concurrency: 2,
  })
})
afterAll(async () => {
  await runner.stop()
  await t.drop()
})

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('expire_checkout through the real worker', () => {
  it('cancels an unpaid checkout at its deadline and returns the stock; a payment arriving later is refunded by a job', async () => {
    const brand = await createBrand(t.db)
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const { product, skus } = await createProduct(t.db, { brandId: brand.id })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 5000,
      quantity: 2,
    })
    const sis = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
    const member = await createUser(t.db)
    const address = await t.db
      .insertInto('addresses')
      .values({
        member_id: member.id,
        kind: 'own',
        recipient: '赵六',
        phone: '13600000000',
        region: '广州',
        line: '天河路 1 号',
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const placed = await placeCheckout(t.db, {
      memberId: member.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sis.id, quantity: 2 }],
      addressId: address.id,
      now: new Date(),
      holdMs: 1200,
    })
    const payment = await startCheckoutPayment(t.db, {
      checkoutId: placed.checkoutId,
      memberId: member.id,
      amountMinor: placed.totalMinor,
      currency: placed.currency,
      origin: 'http://localhost:3000',
      orderId: placed.orderIds[0],
    })
    await new Promise((r) => setTimeout(r, 400))
    expect(
      (
        await t.db
          .selectFrom('checkouts')
          .select('status')
          .where('id', '=', placed.checkoutId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending_payment')

    await waitFor(
      async () =>
        (
          await t.db
            .selectFrom('checkouts')
            .select('status')
            .where('id', '=', placed.checkoutId)
            .executeTakeFirstOrThrow()
        ).status === 'expired',
    )
    expect(
      (
        await t.db
          .selectFrom('session_item_skus')
          .select('available')
          .where('id', '=', sis.id)
          .executeTakeFirstOrThrow()
      ).available,
    ).toBe(2)
    expect(
      (
        await t.db
          .selectFrom('orders')
          .select('status')
          .where('checkout_id', '=', placed.checkoutId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('cancelled')

    // The member approves the test payment after the hold ran out: recorded, then refunded in full by a job.
    await decideTestPayment(t.db, payment.paymentId, 'approve')
    const refunded = await waitFor(async () =>
      t.db
        .selectFrom('checkouts')
        .select(['late_payment_id', 'late_refund_id'])
        .where('id', '=', placed.checkoutId)
        .where('late_refund_id', 'is not', null)
        .executeTakeFirst(),
    )
    expect(refunded.late_payment_id).toBe(payment.paymentId)
    const p = await t.db
      .selectFrom('payments')
      .select(['status', 'refunded_minor'])
      .where('id', '=', payment.paymentId)
      .executeTakeFirstOrThrow()
    expect(p).toEqual({ status: 'refunded', refunded_minor: placed.totalMinor })
    expect(
      (
        await t.db
          .selectFrom('session_item_skus')
          .select('available')
          .where('id', '=', sis.id)
          .executeTakeFirstOrThrow()
      ).available,
    ).toBe(2)
  })

  it('a batch job expires each of its checkouts once; an old single-id job still works', async () => {
    const brand = await createBrand(t.db)
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const { product, skus } = await createProduct(t.db, { brandId: brand.id })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 5000,
      quantity: 5,
    })
    const sis = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
    const placed: Awaited<ReturnType<typeof placeCheckout>>[] = []
    for (let i = 0; i < 3; i++) {
      const member = await createUser(t.db)
      const address = await t.db
        .insertInto('addresses')
        .values({
          member_id: member.id,
          kind: 'own',
          recipient: '钱七',
          phone: '13500000000',
          region: '深圳',
          line: `南山路 ${i} 号`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      // An hour's hold: their own expiry jobs are not due; the deadlines are moved into the past below and the jobs
      // enqueued there (due now) expire them.
      placed.push(
        await placeCheckout(t.db, {
          memberId: member.id,
          vipLevel: 0,
          lines: [{ sessionItemSkuId: sis.id, quantity: 1 }],
          addressId: address.id,
          now: new Date(),
          holdMs: 3_600_000,
        }),
      )
    }
    expect(
      (
        await t.db
          .selectFrom('session_item_skus')
          .select('available')
          .where('id', '=', sis.id)
          .executeTakeFirstOrThrow()
      ).available,
    ).toBe(2)
    await t.db
      .updateTable('checkouts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where(
        'id',
        'in',
        placed.map((p) => p.checkoutId),
      )
      .execute()
    await enqueue(t.db, 'expire_checkout', { checkoutIds: [placed[0]!.checkoutId, placed[1]!.checkoutId] })
    await enqueue(t.db, 'expire_checkout', { checkoutId: placed[2]!.checkoutId })
    await waitFor(async () => {
      const rows = await t.db
        .selectFrom('checkouts')
        .select('status')
        .where(
          'id',
          'in',
          placed.map((p) => p.checkoutId),
        )
        .execute()
      return rows.every((r) => r.status === 'expired')
    })
    expect(
      (
        await t.db
          .selectFrom('session_item_skus')
          .select('available')
          .where('id', '=', sis.id)
          .executeTakeFirstOrThrow()
      ).available,
    ).toBe(5)
  })
})
