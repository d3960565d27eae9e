import type { Db } from '#db/client'
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-orders'
import {
  alreadyFlaggedPayments,
  findCheckoutPayment,
  findCheckoutPayments,
  lockCheckoutPayments,
  markCheckoutOrdersPaid,
  markCheckoutPaidBy,
  recordLatePayment,
  recordLateRefund,
  unrefundedCheckoutPayments,
} from '#db/queries/orders'
import { EXTRA_PAYMENT_REFUND_GRACE_MS, unrefundedExtraPayments } from '#app/domain/extra-payments'
import { shipByDeadline } from '#app/domain/orders'
import { UUID } from '#app/utils/http.server'
import { recordAudit } from '../onboarding/audit.server'
import { orderIntegrations } from './integrations.server'
import { orderNotices } from '../notifications/events.server'

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
        await orderIntegrations.creditPurchasePoints(trx, {
          memberId: won.memberId,
          orderId: o.id,
          paidGoodsMinor: o.goods_minor,
          now,
        })
      }
      if (won.orders[0])
        await orderIntegrations.awardInviteBonusIfFirstOrder(trx, {
          memberId: won.memberId,
          orderId: won.orders[0].id,
          now,
        })
      await orderNotices(
        trx,
        'order_paid',
        won.orders.map((o) => o.id),
        now,
      )
      return 'paid'
    }
    return handleLatePayment(trx, payment, now)
  },

  /** A failed or abandoned payment changes nothing: the checkout stays pending until it expires. */
  async onFailed(_trx: Transaction<Database>, _payment: OrderPayment, _now: Date): Promise<void> {},
}

/** A checkout still pending becomes paid with its orders (the ship-by clock starts); null when it was not pending. */
export async function markCheckoutPaid(trx: Transaction<Database>, payment: OrderPayment, now: Date) {
  const won = await markCheckoutPaidBy(trx, payment.reference_id, payment.id, now)
  if (!won) return null
  const orders = await markCheckoutOrdersPaid(trx, won.id, now, shipByDeadline(now))
  return { checkoutId: won.id, memberId: won.member_id, orders }
}

/** A payment for a checkout no longer pending: recorded on the checkout and refunded in full by a job. */
export async function handleLatePayment(
  trx: Transaction<Database>,
  payment: OrderPayment,
  now: Date,
): Promise<PaymentOutcome> {
  const current = await lockCheckoutPayments(trx, payment.reference_id)
  if (!current) return 'missing'
  if (current.payment_id === payment.id || current.late_payment_id === payment.id) return 'already_paid'
  // Expired/cancelled (stock already returned), or paid again: record the first such payment on the checkout and
  // give each one's money back (one refund job per payment, whatever came before).
  await recordLatePayment(trx, current.id, payment.id, now)
  await enqueueExtraPaymentRefund(trx, current.id, payment.id)
  return 'late_refund_scheduled'
}

function enqueueExtraPaymentRefund(db: Db | Transaction<Database>, checkoutId: string, paymentId: string) {
  return enqueue(db, 'refund_late_payment', { checkoutId, paymentId }, { jobKey: `refund_late_payment:${paymentId}` })
}

/**
 * Job body: refunds in full a payment of a checkout that is not the one that paid it (it arrived after the checkout
 * closed, or the checkout was paid by another). Exactly once per payment: the refund's idempotency key is the payment's.
 */
// The payment's own amount is refunded: a reseller's customer pays the retail total, not the checkout's goods total.
export async function refundLatePayment(db: Db, input: { checkoutId: string; paymentId: string }) {
  const c = await findCheckoutPayments(db, input.checkoutId)
  if (!c || c.payment_id === input.paymentId) return 'nothing_to_do' as const
  const p = await findCheckoutPayment(db, c.id, input.paymentId)
  if (!p?.paid_at) return 'nothing_to_do' as const
  const refund = await orderIntegrations.refundPayment(db, {
    paymentId: p.id,
    amountMinor: p.amount_minor,
    idempotencyKey: `late-payment:${p.id}`,
    reason: 'payment beyond the one that paid the checkout, or after it closed',
  })
  if (c.late_payment_id === p.id && !c.late_refund_id) {
    await recordLateRefund(db, c.id, refund.refundId)
  }
  return 'refunded' as const
}

/**
 * Periodic check: a checkout's successful payments must be (1 if paid) + refunded extras. Each extra payment still
 * not refunded after the grace period is flagged once in the audit log (operators see it there) and its refund job
 * is enqueued again. Returns the payments found.
 */
export async function checkCheckoutPayments(db: Db, now: Date) {
  const rows = await unrefundedCheckoutPayments(db, new Date(now.getTime() - EXTRA_PAYMENT_REFUND_GRACE_MS))
  const missing = rows.filter(
    (r) =>
      unrefundedExtraPayments(
        r.paid_by,
        [{ id: r.id, amountMinor: r.amount_minor, refundedMinor: r.refunded_minor, paidAt: r.paid_at! }],
        now,
      ).length,
  )
  const flagged = await alreadyFlaggedPayments(
    db,
    missing.map((r) => r.id),
  )
  for (const r of missing) {
    await db.transaction().execute(async (trx) => {
      if (!flagged.has(r.id)) {
        await recordAudit(trx, {
          actorId: null,
          action: 'checkout.unrefunded_payment',
          targetType: 'payment',
          targetId: r.id,
          details: {
            checkoutId: r.checkout_id,
            paidBy: r.paid_by,
            amountMinor: r.amount_minor,
            refundedMinor: r.refunded_minor,
          },
        })
      }
      await enqueueExtraPaymentRefund(trx, r.checkout_id, r.id)
    })
  }
  if (missing.length)
    console.warn(
      `Checkout payments: ${missing.length} extra payment(s) not refunded; see the audit log (checkout.unrefunded_payment)`,
    )
  return missing.map((r) => ({ checkoutId: r.checkout_id, paymentId: r.id }))
}
