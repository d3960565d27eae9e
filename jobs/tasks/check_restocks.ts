import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { checkRestocks } from '#app/services/notifications/events.server'
import { NotificationTaskPayload } from '../payloads-notifications'

/** Every minute: restock alerts for sizes that have stock again. */
export function checkRestocksTask(db: Db): Task {
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    await checkRestocks(db, new Date())
  }
}
