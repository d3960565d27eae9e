import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { checkCheckoutPayments } from '#app/services/orders/order-payments.server'

/** Cron: flags (audit log) and re-enqueues the refund of any extra checkout payment still not refunded. */
export function checkCheckoutPaymentsTask(db: Db): Task {
  return async () => {
    await checkCheckoutPayments(db, new Date())
  }
}
