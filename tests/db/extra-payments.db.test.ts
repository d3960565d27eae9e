import { describe, expect, it } from 'vitest'
import { EXTRA_PAYMENT_REFUND_GRACE_MS } from '#app/domain/extra-payments'
import { checkCheckoutPayments } from '#app/services/orders/order-payments.server'
import { startCheckoutPayment } from '#app/services/orders/orders.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { databaseWithWorker, liveSku, memberCheckout, waitFor } from '#tests/fixtures/worker-checkouts'

// A member who pays one checkout several times (each "pay" opens a new payment) gets every payment beyond the
// first refunded, exactly once each, whatever the order and timing of the approvals; the periodic check flags
// an extra payment that is still not refunded.

const t = databaseWithWorker(3)

async function checkoutWithPayments(n: number) {
  const sisId = await liveSku(t.db, 2)
  const { member, placed } = await memberCheckout(t.db, { sisId, quantity: 1, holdMs: 3_600_000 })
  const payments: string[] = []
  for (let i = 0; i < n; i++) {
    const p = await startCheckoutPayment(t.db, {
      checkoutId: placed.checkoutId,
      memberId: member.id,
      amountMinor: placed.totalMinor,
      currency: placed.currency,
      origin: 'http://localhost:3000',
      orderId: placed.orderIds[0],
    })
    payments.push(p.paymentId)
  }
  return { placed, payments }
}

const refundsOf = (paymentIds: string[]) =>
  t.db
    .selectFrom('payment_refunds')
    .select(['payment_id', 'amount_minor', 'status'])
    .where('payment_id', 'in', paymentIds)
    .execute()
const paymentRows = (ids: string[]) =>
  t.db.selectFrom('payments').select(['id', 'status', 'refunded_minor']).where('id', 'in', ids).execute()

describe('a checkout paid several times', () => {
  it('keeps the payment that paid it and refunds each other one once, approved apart or at once', async () => {
    const { placed, payments } = await checkoutWithPayments(4)
    const [first, second, third, fourth] = payments as [string, string, string, string]
    await decideTestPayment(t.db, first, 'approve')
    await decideTestPayment(t.db, second, 'approve')
    await new Promise((r) => setTimeout(r, 1500)) // the second's refund has run before the others arrive
    await Promise.all([decideTestPayment(t.db, third, 'approve'), decideTestPayment(t.db, fourth, 'approve')])

    await waitFor(async () => (await refundsOf(payments)).filter((r) => r.status === 'succeeded').length === 3)
    await new Promise((r) => setTimeout(r, 500))
    const refunds = await refundsOf(payments)
    expect(refunds.map((r) => r.payment_id).sort()).toEqual([second, third, fourth].sort())
    expect(refunds.every((r) => r.amount_minor === placed.totalMinor && r.status === 'succeeded')).toBe(true)
    const rows = new Map((await paymentRows(payments)).map((p) => [p.id, p]))
    expect(rows.get(first)).toMatchObject({ status: 'succeeded', refunded_minor: 0 })
    for (const id of [second, third, fourth])
      expect(rows.get(id)).toMatchObject({ status: 'refunded', refunded_minor: placed.totalMinor })
    const checkout = await t.db
      .selectFrom('checkouts')
      .select(['status', 'payment_id', 'late_payment_id', 'late_refund_id'])
      .where('id', '=', placed.checkoutId)
      .executeTakeFirstOrThrow()
    expect(checkout).toMatchObject({ status: 'paid', payment_id: first, late_payment_id: second })
    expect(checkout.late_refund_id).not.toBeNull()

    // The check finds nothing to flag, now or long after.
    expect(await checkCheckoutPayments(t.db, new Date(Date.now() + 2 * EXTRA_PAYMENT_REFUND_GRACE_MS))).toEqual([])
  })

  it('the periodic check flags an extra payment left unrefunded, once, and has it refunded', async () => {
    const { placed, payments } = await checkoutWithPayments(2)
    const [first, second] = payments as [string, string]
    await decideTestPayment(t.db, first, 'approve')
    // A second payment recorded as succeeded with no refund scheduled (what an earlier defect left behind).
    const paidAt = new Date(Date.now() - EXTRA_PAYMENT_REFUND_GRACE_MS - 60_000)
    await t.db.updateTable('payments').set({ status: 'succeeded', paid_at: paidAt }).where('id', '=', second).execute()

    // Within the grace period: not yet missing.
    expect(
      await checkCheckoutPayments(t.db, new Date(paidAt.getTime() + EXTRA_PAYMENT_REFUND_GRACE_MS - 1000)),
    ).toEqual([])
    const found = await checkCheckoutPayments(t.db, new Date())
    expect(found).toEqual([{ checkoutId: placed.checkoutId, paymentId: second }])
    await checkCheckoutPayments(t.db, new Date()) // a second run flags nothing new
    const flags = await t.db
      .selectFrom('audit_log')
      .select(['target_id', 'details'])
      .where('action', '=', 'checkout.unrefunded_payment')
      .where('target_id', '=', second)
      .execute()
    expect(flags).toHaveLength(1)
    expect(flags[0]!.details).toMatchObject({ checkoutId: placed.checkoutId, paidBy: first })

    await waitFor(async () => (await refundsOf([second])).some((r) => r.status === 'succeeded'))
    expect(await refundsOf(payments)).toEqual([
      { payment_id: second, amount_minor: placed.totalMinor, status: 'succeeded' },
    ])
    expect(await checkCheckoutPayments(t.db, new Date())).toEqual([])
  })
})
