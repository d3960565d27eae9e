import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { channelsFromEnv, type Channels } from '#app/services/notifications/channels.server'
import { deliverDue } from '#app/services/notifications/delivery.server'
import { setting } from '#app/utils/env.server'
import { enqueue } from '../enqueue'
import { NotificationTaskPayload } from '../payloads-notifications'

/**
 * Sends due e-mail and push deliveries at a bounded rate (NOTIFY_RATE_PER_SECOND) for up to 30 s, then hands the
 * rest to a fresh run so one fan-out never holds a worker slot for long.
 */
export function deliverNotificationsTask(db: Db, channels?: Channels): Task {
  let own: Channels | undefined = channels
  return async (payload) => {
    NotificationTaskPayload.parse(payload ?? {})
    own ??= channelsFromEnv(db)
    const rate = setting('NOTIFY_RATE_PER_SECOND')
    const report = await deliverDue(db, { channels: own, ratePerSecond: rate })
    if (report.more) await enqueue(db, 'deliver_notifications', {}, { jobKey: 'deliver_notifications:now' })
  }
}
