import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { releaseCheckout } from '#app/services/checkout.server'
import { ExpireCheckoutPayload } from '../payloads-orders'

/** Runs at a checkout's payment deadline: cancels it and returns its stock unless it was paid or closed first. */
export function expireCheckoutTask(db: Db): Task {
  return async (payload) => {
    const { checkoutId } = ExpireCheckoutPayload.parse(payload)
    await releaseCheckout(db, { checkoutId, to: 'expired', now: new Date() })
  }
}
