import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { warnLateOrders } from '#app/services/notifications/events.server'
import { NotificationTaskPayload } from '../payloads-notifications'

/** Every 5 minutes: brands hear of orders due to ship within two hours. */
export function warnLateOrdersTask(db: Db): Task {
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    await warnLateOrders(db, new Date())
  }
}
