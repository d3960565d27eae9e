import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { refundLatePayment } from '#app/services/orders/order-payments.server'
import { RefundLatePaymentPayload } from '../payloads-orders'

/** Refunds a payment that arrived after its checkout had expired or been cancelled. */
export function refundLatePaymentTask(db: Db): Task {
  return async (payload) => {
    await refundLatePayment(db, RefundLatePaymentPayload.parse(payload))
  }
}
