// A checkout is paid by one payment. A member can start several (each "pay" opens a new one) and approve
// them all: every successful payment beyond the one that paid the checkout — or every one, when the checkout
// had closed first — is refunded in full, exactly once each. So a checkout's successful payments always come
// to (1 if it was paid) + its refunded extras; the periodic check flags any checkout where they do not.

/** How long the refund job has, after an extra payment succeeded, before the check calls it missing. */
export const EXTRA_PAYMENT_REFUND_GRACE_MS = 30 * 60_000

export interface CheckoutPaymentFacts {
  id: string
  amountMinor: number
  refundedMinor: number
  paidAt: Date
}

/**
 * The extra payments of a checkout not (fully) refunded within the grace period. `paidBy`: the payment that paid
 * it, if any.
 */
export function unrefundedExtraPayments(
  paidBy: string | null,
  payments: readonly CheckoutPaymentFacts[],
  now: Date,
): CheckoutPaymentFacts[] {
  return payments.filter(
    (p) =>
      p.id !== paidBy &&
      p.refundedMinor < p.amountMinor &&
      now.getTime() - p.paidAt.getTime() >= EXTRA_PAYMENT_REFUND_GRACE_MS,
  )
}
