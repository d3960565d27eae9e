import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { RefundDuplicateDepositPayload } from '../payloads-payouts'
import { refundDuplicateDeposit } from '#app/services/payouts/deposits.server'

/** A second deposit payment for a brand already paid: refunded in full (idempotency key per payment). */
export function refundDuplicateDepositTask(db: Db): Task {
  return async (payload) => {
    const { paymentId } = RefundDuplicateDepositPayload.parse(payload)
    await refundDuplicateDeposit(db, { paymentId, now: new Date() })
  }
}
