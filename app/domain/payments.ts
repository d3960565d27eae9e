import { DomainError } from './errors'

// Payment state rules: what a provider outcome does to a payment, whatever order events arrive in.
import type { PaymentStatus } from '#db/schema/payments'

/** What a provider tells us happened to a checkout. */
export type PaymentOutcome = 'succeeded' | 'failed' | 'expired'

export interface Transition {
  status: PaymentStatus
  /** Which purpose handler to call, exactly once for this transition; null = nothing changes. */
  notify: 'succeeded' | 'failed' | null
}

/**
 * Money received always wins: a success after a decline/expiry is still recorded (the purpose
 * handler decides, e.g. refunds an order whose stock was released). A failure or expiry after
 * a success, or a second failure, changes nothing.
 */
export function paymentTransition(current: PaymentStatus, outcome: PaymentOutcome): Transition {
  if (outcome === 'succeeded') {
    if (current === 'pending' || current === 'failed' || current === 'expired')
      return { status: 'succeeded', notify: 'succeeded' }
    return { status: current, notify: null }
  }
  if (current === 'pending') return { status: outcome, notify: 'failed' }
  return { status: current, notify: null }
}

/** Status after refunds totalling `refundedMinor` of a paid amount. */
export function refundedStatus(amountMinor: number, refundedMinor: number): PaymentStatus {
  if (refundedMinor <= 0) return 'succeeded'
  return refundedMinor >= amountMinor ? 'refunded' : 'partially_refunded'
}

/** Amount still refundable: paid − refunded − refunds in flight. */
export function refundableMinor(
  payment: { status: PaymentStatus; amount_minor: number; refunded_minor: number },
  pendingRefundsMinor: number,
): number {
  if (payment.status !== 'succeeded' && payment.status !== 'partially_refunded') return 0
  return Math.max(0, payment.amount_minor - payment.refunded_minor - pendingRefundsMinor)
}

/** Return paths are same-site paths only ("/x", never "//host" or "https://…"). */
export function isSafeReturnPath(path: string): boolean {
  return /^\/(?![/\\])/.test(path) && !/[\s]/.test(path) && path.length <= 500
}

export class RefundRefusedError extends DomainError {
  readonly code = 'refund_refused'
  override readonly status = 409
}
