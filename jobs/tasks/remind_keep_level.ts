import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { remindKeepLevel } from '#app/services/notifications/events.server'
import { NotificationTaskPayload } from '../payloads-notifications'

/** Daily: the keep-level reminder in the last five days of the month (once a month per member). */
export function remindKeepLevelTask(db: Db): Task {
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    await remindKeepLevel(db, new Date())
  }
}
