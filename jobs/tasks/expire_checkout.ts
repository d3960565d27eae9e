import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { ExpireCheckoutPayload } from '../payloads-orders'

/**
 * Runs at the payment deadline (of the latest checkout, for a batch): cancels each checkout and returns its stock
 * unless it was paid or closed first. Each release is its own conditional transaction, so a retry after a failure
 * part-way repeats nothing that already happened.
 */
export function expireCheckoutTask(db: Db): Task {
  return async (payload) => {
    const { checkoutIds } = ExpireCheckoutPayload.parse(payload)
    for (const checkoutId of checkoutIds) await releaseCheckout(db, { checkoutId, to: 'expired', now: new Date() })
  }
}
