// What a payment is for decides what its success or failure does: one handler per purpose.
// Handlers run inside the transaction that records the payment outcome, exactly once per transition;
// they must not make network calls (enqueue a job instead) and may throw to roll everything back.
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import type { Payment, PaymentPurpose } from '#db/schema/payments'
import { depositPaymentHandler } from '#app/services/deposits.server'
import { orderPaymentHandler } from '#app/services/order-payments.server'
import { customerOrderPaymentHandler } from '#app/services/customer-orders/payment.server'

export interface PaymentPurposeHandler {
  onSucceeded(trx: Transaction<Database>, payment: Payment, now: Date): Promise<void>
  /** Declined, expired or async-failed. */
  onFailed(trx: Transaction<Database>, payment: Payment, now: Date): Promise<void>
}

export const purposeHandlers: Record<PaymentPurpose, PaymentPurposeHandler> = {
  brand_deposit: depositPaymentHandler,
  order: {
    async onSucceeded(trx, payment, now) {
      await orderPaymentHandler.onSucceeded(trx, payment, now)
    },
    async onFailed(trx, payment, now) {
      await orderPaymentHandler.onFailed(trx, payment, now)
    },
  },
  customer_order: {
    async onSucceeded(trx, payment, now) {
      await customerOrderPaymentHandler.onSucceeded(trx, payment, now)
    },
    async onFailed() {},
  },
}
