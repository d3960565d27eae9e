import { sql, type RawBuilder } from 'kysely'
import type { Conn } from './conn'
import type { NotificationCategory } from '../schema/notifications'

// Writing notifications and scheduling their deliveries, each in one statement so that a notification and its
// deliveries exist together or not at all.

/** The users a notification goes to, as a subquery of one column `user_id` (uuid). */
export type Recipients = RawBuilder<{ user_id: string }>

/** Recipients: one user. */
export const justUser = (userId: string): Recipients => sql`select ${userId}::uuid as user_id`
/** Recipients: every operator. */
export const operators = (): Recipients => sql`select id as user_id from users where role = 'operator'`
/** Recipients: the staff of one brand. */
export const brandStaff = (brandId: string): Recipients =>
  sql`select id as user_id from users where role = 'brand_staff' and brand_id = ${brandId}::uuid`

export interface NewNotification {
  event: string
  category: NotificationCategory
  dedupeKey: string
  data: Record<string, unknown>
  link: string | null
  showAt: Date
}

/**
 * A notification to an address without an account, and its e-mail delivery unless the address opted out of the
 * event. A repeat (same event, address and key) writes nothing. Returns whether an e-mail was scheduled.
 */
export async function insertEmailNotification(
  db: Conn,
  n: NewNotification & { email: string; locale: string },
): Promise<boolean> {
  const r = await sql<{ id: string }>`
    with ins as (
      insert into notifications
        (event, recipient_email, recipient_locale, dedupe_key, category, data, link, show_at)
      values (${n.event}, ${n.email}, ${n.locale}, ${n.dedupeKey}, ${n.category},
        ${JSON.stringify(n.data)}::text::jsonb, ${n.link}, ${n.showAt})
      on conflict do nothing
      returning id
    )
    insert into notification_deliveries (notification_id, channel, due_at)
    select ins.id, 'email', ${n.showAt}::timestamptz from ins
    where not exists (select 1 from email_opt_outs o where o.email = lower(${n.email}) and o.event = ${n.event})
    returning notification_id as id`.execute(db)
  return r.rows.length > 0
}

/**
 * The notification of every user `recipients` names (a session's followers can be tens of thousands) and their
 * e-mail and push deliveries: a channel is used when the user's preference for the event (or else the event's
 * default) has it on and the user can be reached on it. Repeats write nothing.
 */
export async function insertUserNotifications(
  db: Conn,
  n: NewNotification & { recipients: Recipients; defaults: { email: boolean; push: boolean } },
): Promise<{ created: number; deliveries: number }> {
  const r = await sql<{ created: number; deliveries: number }>`
    with recipients as (select distinct user_id from (${n.recipients}) r),
    ins as (
      insert into notifications (event, recipient_id, dedupe_key, category, data, link, show_at)
      select ${n.event}, rc.user_id, ${n.dedupeKey}, ${n.category}, ${JSON.stringify(n.data)}::text::jsonb,
        ${n.link}, ${n.showAt}::timestamptz
      from recipients rc join users u on u.id = rc.user_id
      on conflict do nothing
      returning id, recipient_id
    ),
    dl as (
      insert into notification_deliveries (notification_id, channel, due_at)
      select ins.id, c.channel, ${n.showAt}::timestamptz
      from ins
      join users u on u.id = ins.recipient_id
      cross join (values ('email'), ('push')) as c(channel)
      where coalesce(
          (select p.enabled from notification_preferences p
            where p.user_id = ins.recipient_id and p.event = ${n.event} and p.channel = c.channel),
          case c.channel when 'email' then ${n.defaults.email}::boolean else ${n.defaults.push}::boolean end)
        and case c.channel when 'email' then u.email is not null
                           else exists (select 1 from push_subscriptions s where s.user_id = ins.recipient_id) end
      on conflict do nothing
      returning 1
    )
    select (select count(*) from ins)::int as created, (select count(*) from dl)::int as deliveries`.execute(db)
  return r.rows[0] ?? { created: 0, deliveries: 0 }
}
