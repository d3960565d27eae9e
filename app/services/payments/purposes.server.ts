// What a payment is for decides what its success or failure does: one handler per purpose, registered at
// start-up (app/services/payment-purposes.server.ts), so the payments layer never imports the features it serves.
// Handlers run inside the transaction that records the payment outcome, exactly once per transition;
// they must not make network calls (enqueue a job instead) and may throw to roll everything back.
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import type { Payment, PaymentPurpose } from '#db/schema/payments'

export interface PaymentPurposeHandler {
  onSucceeded(trx: Transaction<Database>, payment: Payment, now: Date): Promise<unknown>
  /** Declined, expired or async-failed. */
  onFailed(trx: Transaction<Database>, payment: Payment, now: Date): Promise<unknown>
}

const handlers = new Map<PaymentPurpose, PaymentPurposeHandler>()

export function registerPaymentPurpose(purpose: PaymentPurpose, handler: PaymentPurposeHandler): void {
  handlers.set(purpose, handler)
}

/** The registered handler; a purpose nobody registered is a wiring mistake, so it throws (and rolls back). */
export function paymentPurposeHandler(purpose: PaymentPurpose): PaymentPurposeHandler {
  const handler = handlers.get(purpose)
  if (!handler)
    throw new Error(
      `no handler registered for payment purpose "${purpose}": call registerPaymentPurposes() at start-up`,
    )
  return handler
}
