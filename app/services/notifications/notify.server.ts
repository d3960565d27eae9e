import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '#db/schema'
import type { Conn } from '#db/queries/conn'
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
  /** The values the event's texts interpolate (see the catalogue's `fields`); `<field>En` overrides `<field>` in English. */
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
  recipients: RawBuilder<{ user_id: string }>
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

/**
 * Records a notification in the caller's transaction, so it exists only if the change it reports commits, and
 * schedules its e-mail and push deliveries (on the channels the recipient has on and can be reached by). A
 * repeat with the same event, recipient and dedupe key changes nothing. Returns how many notifications were new.
 */
export async function notify(trx: Conn, input: NotifyInput): Promise<number> {
  if ('userId' in input.recipient) {
    return notifyMany(trx, {
      ...input,
      recipients: sql<{ user_id: string }>`select ${input.recipient.userId}::uuid as user_id`,
    })
  }
  check(input.event, input.data, input.dedupeKey, input.link)
  const at = input.at ?? input.now
  const email = input.recipient.email.trim()
  const spec = NOTIFICATION_EVENTS[input.event]
  const r = await sql<{ id: string }>`
    with ins as (
      insert into notifications (event, recipient_email, recipient_locale, dedupe_key, category, data, link, show_at)
      values (${input.event}, ${email}, ${input.recipient.locale ?? 'zh-CN'}, ${input.dedupeKey}, ${spec.category}, ${JSON.stringify(input.data)}::text::jsonb, ${input.link ?? null}, ${at})
      on conflict do nothing
      returning id
    )
    insert into notification_deliveries (notification_id, channel, due_at)
    select ins.id, 'email', ${at}::timestamptz from ins
    where not exists (select 1 from email_opt_outs o where o.email = lower(${email}) and o.event = ${input.event})
    returning notification_id as id`.execute(trx)
  if (r.rows.length) await scheduleDelivery(trx, at, input.now)
  return r.rows.length
}

/**
 * The set-based form: one statement writes the notification of every recipient the query names (a session's
 * followers can be tens of thousands) and their deliveries.
 */
export async function notifyMany(trx: Conn, input: NotifyManyInput): Promise<number> {
  check(input.event, input.data, input.dedupeKey, input.link)
  const spec = NOTIFICATION_EVENTS[input.event]
  const at = input.at ?? input.now
  const r = await sql<{ created: number; deliveries: number }>`
    with recipients as (select distinct user_id from (${input.recipients}) r),
    ins as (
      insert into notifications (event, recipient_id, dedupe_key, category, data, link, show_at)
      select ${input.event}, rc.user_id, ${input.dedupeKey}, ${spec.category}, ${JSON.stringify(input.data)}::text::jsonb, ${input.link ?? null}, ${at}::timestamptz
      from recipients rc join users u on u.id = rc.user_id
      on conflict do nothing
      returning id, recipient_id
    ),
    dl as (
      insert into notification_deliveries (notification_id, channel, due_at)
      select ins.id, c.channel, ${at}::timestamptz
      from ins
      join users u on u.id = ins.recipient_id
      cross join (values ('email'), ('push')) as c(channel)
      where coalesce((select p.enabled from notification_preferences p where p.user_id = ins.recipient_id and p.event = ${input.event} and p.channel = c.channel),
                     case c.channel when 'email' then ${spec.defaults.email}::boolean else ${spec.defaults.push}::boolean end)
        and case c.channel when 'email' then u.email is not null
                           else exists (select 1 from push_subscriptions s where s.user_id = ins.recipient_id) end
      on conflict do nothing
      returning 1
    )
    select (select count(*) from ins)::int as created, (select count(*) from dl)::int as deliveries`.execute(trx)
  const { created, deliveries } = r.rows[0] ?? { created: 0, deliveries: 0 }
  if (deliveries > 0) await scheduleDelivery(trx, at, input.now)
  return created
}

/** Runs `fn` in the caller's transaction when it already is one, else in a new one (services are called both ways). */
export function inTransaction<T>(db: Conn, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn)
}

/** Recipients: every operator. */
export const operators = () => sql<{ user_id: string }>`select id as user_id from users where role = 'operator'`
/** Recipients: the staff of one brand. */
export const brandStaff = (brandId: string) =>
  sql<{ user_id: string }>`select id as user_id from users where role = 'brand_staff' and brand_id = ${brandId}::uuid`

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
