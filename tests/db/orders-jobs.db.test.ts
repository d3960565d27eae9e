import { describe, expect, it } from 'vitest'
import { enqueue } from '#jobs/enqueue'
import { startCheckoutPayment } from '#app/services/orders/orders.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { databaseWithWorker, liveSku, memberCheckout, waitFor } from '#tests/fixtures/worker-checkouts'

const t = databaseWithWorker(2)

describe('expire_checkout through the real worker', () => {
  it('cancels an unpaid checkout at its deadline and returns the stock; a payment arriving later is refunded by a job', async () => {
    const sisId = await liveSku(t.db, 2)
    const { member, placed } = await memberCheckout(t.db, { sisId, quantity: 2, holdMs: 1200 })
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
      (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', sisId).executeTakeFirstOrThrow())
        .available,
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
      (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', sisId).executeTakeFirstOrThrow())
        .available,
    ).toBe(2)
  })

  it('a batch job expires each of its checkouts once; an old single-id job still works', async () => {
    const sisId = await liveSku(t.db, 5)
    const placed: Awaited<ReturnType<typeof memberCheckout>>['placed'][] = []
    // An hour's hold: their own expiry jobs are not due; the deadlines are moved into the past below and the jobs
    // enqueued there (due now) expire them.
    for (let i = 0; i < 3; i++)
      placed.push((await memberCheckout(t.db, { sisId, quantity: 1, holdMs: 3_600_000 })).placed)
    expect(
      (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', sisId).executeTakeFirstOrThrow())
        .available,
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
      (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', sisId).executeTakeFirstOrThrow())
        .available,
    ).toBe(5)
  })
})
