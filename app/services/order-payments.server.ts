import type { Db } from '#db/client'
import { sql, type Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-orders'
import { shipByDeadline } from '#app/domain/orders'
import { UUID } from '#app/utils/http.server'
import { orderIntegrations } from './order-integrations.server'
import { orderNotices } from './notifications/events.server'

/** The fields of a payment row the orders feature reads (payments.reference_id is the checkout id). */
export interface OrderPayment {
  id: string
  reference_id: string
  amount_minor: number
  currency: string
}

export type PaymentOutcome = 'paid' | 'already_paid' | 'late_refund_scheduled' | 'missing'

/**
 * The `order` purpose handler for the payments feature. Runs inside the payment's transaction.
 * A checkout still pending becomes paid (its orders paid, ship-by clock starts, points credited).
 * A checkout that expired or was cancelled first already returned its stock: the payment is recorded
 * on the checkout and refunded in full by a job (no network call inside this transaction).
 */
export const orderPaymentHandler = {
  async onSucceeded(trx: Transaction<Database>, payment: OrderPayment, now: Date): Promise<PaymentOutcome> {
    // Only checkout ids are order references; anything else is not ours to settle.
    if (!UUID.test(payment.reference_id)) return 'missing'
    const won = await markCheckoutPaid(trx, payment, now)
    if (won) {
      for (const o of won.orders) {
        await orderIntegrations.creditPurchasePoints(trx, { memberId: won.memberId, orderId: o.id, paidGoodsMinor: o.goods_minor, now })
      }
      if (won.orders[0]) await orderIntegrations.awardInviteBonusIfFirstOrder(trx, { memberId: won.memberId, orderId: won.orders[0].id, now })
      await orderNotices(trx, 'order_paid', won.orders.map((o) => o.id), now)
      return 'paid'
    }
    return handleLatePayment(trx, payment, now)
  },

  /** A failed or abandoned payment changes nothing: the checkout stays pending until it expires. */
  async onFailed(_trx: Transaction<Database>, _payment: OrderPayment, _now: Date): Promise<void> {},
}

/** A checkout still pending becomes paid with its orders (the ship-by clock starts); null when it was not pending. */
export async function markCheckoutPaid(trx: Transaction<Database>, payment: OrderPayment, now: Date) {
  const won = await trx.updateTable('checkouts').set({ status: 'paid', paid_at: now, payment_id: payment.id })
    .where('id', '=', payment.reference_id).where('status', '=', 'pending_payment')
    .returning(['id', 'member_id']).executeTakeFirst()
  if (!won) return null
  const orders = await trx.updateTable('orders').set({ status: 'paid', paid_at: now, ship_by_at: shipByDeadline(now) })
    .where('checkout_id', '=', won.id).where('status', '=', 'pending_payment')
    .returning(['id', 'goods_minor']).execute()
  return { checkoutId: won.id, memberId: won.member_id, orders }
}

/** A payment for a checkout no longer pending: recorded on the checkout and refunded in full by a job. */
export async function handleLatePayment(trx: Transaction<Database>, payment: OrderPayment, now: Date): Promise<PaymentOutcome> {
  const current = await trx.selectFrom('checkouts').select(['id', 'status', 'payment_id', 'late_payment_id'])
    .where('id', '=', payment.reference_id).forUpdate().executeTakeFirst()
  if (!current) return 'missing'
  if (current.payment_id === payment.id || current.late_payment_id === payment.id) return 'already_paid'
  // Expired/cancelled (stock already returned), or paid twice: record it and give the money back.
  await trx.updateTable('checkouts').set({ late_payment_id: payment.id, late_paid_at: now })
    .where('id', '=', current.id).where('late_payment_id', 'is', null).execute()
  await enqueue(trx, 'refund_late_payment', { checkoutId: current.id, paymentId: payment.id }, { jobKey: `refund_late_payment:${payment.id}` })
  return 'late_refund_scheduled'
}

/** Job body: refunds a payment that arrived after its checkout closed, once (idempotency key). */
export async function refundLatePayment(db: Db, input: { checkoutId: string; paymentId: string }) {
  // The payment's own amount: a customer pays the retail total, not the checkout's goods total.
  const c = await db.selectFrom('checkouts as c').innerJoin('payments as p', (j) => j.on('p.id', '=', input.paymentId).on('p.reference_id', '=', sql<string>`c.id::text`))
    .select(['c.id', 'p.amount_minor', 'c.late_payment_id', 'c.late_refund_id'])
    .where('c.id', '=', input.checkoutId).executeTakeFirst()
  if (!c || c.late_refund_id) return 'nothing_to_do' as const
  const refund = await orderIntegrations.refundPayment(db, {
    paymentId: input.paymentId, amountMinor: c.amount_minor, idempotencyKey: `late-payment:${input.paymentId}`,
    reason: 'checkout closed before the payment arrived',
  })
  await db.updateTable('checkouts').set({ late_refund_id: refund.refundId }).where('id', '=', c.id).execute()
  return 'refunded' as const
}
