import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import type { Conn } from '#db/queries/conn'
import {
  insertEmailNotification,
  insertUserNotifications,
  justUser,
  type NewNotification,
  type Recipients,
} from '#db/queries/notifications'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-notifications'
import {
  NOTIFICATION_EVENTS,
  isNotificationEvent,
  missingFields,
  type NotificationEvent,
} from '#app/domain/notification-events'

export type NotificationData = Record<string, string | number | boolean | null>

/** A user (inbox, e-mail, push) or someone without an account, reached by e-mail only. */
export type NotificationRecipient = { userId: string } | { email: string; locale?: 'zh-CN' | 'en' }

export interface NotifyInput {
  event: NotificationEvent
  recipient: NotificationRecipient
  /**
   * The values the event's texts interpolate (see the catalogue's `fields`); `<field>En` overrides `<field>` in
   * English.
   */
  data: NotificationData
  /** Same event + recipient + key = the same notification: repeats are no-ops. */
  dedupeKey: string
  /** Where the notification leads, a path on this site. */
  link?: string | null
  /** When it appears in the inbox and its e-mail/push go out (default: now). */
  at?: Date
  now: Date
}

export interface NotifyManyInput extends Omit<NotifyInput, 'recipient'> {
  /** A query returning one column `user_id` (uuid): every user it names is a recipient. */
  recipients: Recipients
}

function check(event: string, data: NotificationData, dedupeKey: string, link: string | null | undefined) {
  if (!isNotificationEvent(event))
    throw new Error(`unknown notification event ${event}: add it to app/domain/notification-events.ts`)
  const missing = missingFields(event, data)
  if (missing.length) throw new Error(`notification ${event} lacks ${missing.join(', ')}`)
  if (!dedupeKey || dedupeKey.length > 200) throw new Error('a dedupe key of 1–200 characters is required')
  if (link && (!link.startsWith('/') || link.startsWith('//')))
    throw new Error('a notification link is a path on this site')
}

function newNotification(input: Omit<NotifyInput, 'recipient'>, showAt: Date): NewNotification {
  const { event, dedupeKey, data } = input
  return { event, category: NOTIFICATION_EVENTS[event].category, dedupeKey, data, link: input.link ?? null, showAt }
}

/**
 * Records a notification in the caller's transaction, so it exists only if the change it reports commits, and
 * schedules its e-mail and push deliveries (on the channels the recipient has on and can be reached by). A
 * repeat with the same event, recipient and dedupe key changes nothing. Returns how many notifications were new.
 */
export async function notify(trx: Conn, input: NotifyInput): Promise<number> {
  if ('userId' in input.recipient) {
    return notifyMany(trx, {
      ...input,
      recipients: justUser(input.recipient.userId),
    })
  }
  check(input.event, input.data, input.dedupeKey, input.link)
  const at = input.at ?? input.now
  const email = input.recipient.email.trim()
  const created = await insertEmailNotification(trx, {
    ...newNotification(input, at),
    email,
    locale: input.recipient.locale ?? 'zh-CN',
  })
  if (created) await scheduleDelivery(trx, at, input.now)
  return created ? 1 : 0
}

/**
 * The set-based form: one statement writes the notification of every recipient the query names (a session's
 * followers can be tens of thousands) and their deliveries.
 */
export async function notifyMany(trx: Conn, input: NotifyManyInput): Promise<number> {
  check(input.event, input.data, input.dedupeKey, input.link)
  const spec = NOTIFICATION_EVENTS[input.event]
  const at = input.at ?? input.now
  const { created, deliveries } = await insertUserNotifications(trx, {
    ...newNotification(input, at),
    recipients: input.recipients,
    defaults: spec.defaults,
  })
  if (deliveries > 0) await scheduleDelivery(trx, at, input.now)
  return created
}

/** Runs `fn` in the caller's transaction when it already is one, else in a new one (services are called both ways). */
export function inTransaction<T>(db: Conn, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn)
}

export { brandStaff, operators } from '#db/queries/notifications'

/**
 * The delivery job runs when the deliveries are due: at once (one shared job key, so a burst of events makes one
 * job), or at their future time (one job per distinct time). The every-minute cron run is the safety net.
 */
async function scheduleDelivery(trx: Conn, at: Date, now: Date) {
  if (at.getTime() <= now.getTime() + 1000) {
    await enqueue(trx, 'deliver_notifications', {}, { jobKey: 'deliver_notifications:now' })
  } else {
    await enqueue(trx, 'deliver_notifications', {}, { jobKey: `deliver_notifications:${at.toISOString()}`, runAt: at })
  }
}
