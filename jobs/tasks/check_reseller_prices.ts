import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { checkResellerPrices } from '#app/services/notifications/events.server'
import { NotificationTaskPayload } from '../payloads-notifications'

/** Every 5 minutes: resellers hear of retail prices a moved floor has broken. */
export function checkResellerPricesTask(db: Db): Task {
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    await checkResellerPrices(db, new Date())
  }
}
