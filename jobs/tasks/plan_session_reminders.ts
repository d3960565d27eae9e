import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { planSessionReminders } from '#app/services/notifications/session-reminders.server'
import { NotificationTaskPayload } from '../payloads-notifications'

/** Every minute: writes the reminders of sessions opening within 11 minutes, ahead of their start. */
export function planSessionRemindersTask(db: Db): Task {
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    await planSessionReminders(db, new Date())
  }
}
