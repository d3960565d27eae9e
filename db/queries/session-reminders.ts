import { sql } from 'kysely'
import type { Conn } from './conn'
import type { Recipients } from './notifications'

// The statements of session reminders: who is to be reminded, which sessions are planned, and withdrawing what a
// member no longer asks for.

/** Serialises the planner and the catch-up of one session until the transaction ends. */
export async function lockSessionReminders(db: Conn, sessionId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`session-reminders:${sessionId}`}, 0))`.execute(db)
}

/** The items of a session someone asked to be reminded of (only `userId`'s when given). */
export function requestedItems(db: Conn, sessionId: string, userId?: string) {
  let q = db
    .selectFrom('reminder_requests as r')
    .innerJoin('session_items as i', 'i.id', 'r.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select(['i.id', 'p.id as product_id', 'p.title', 'p.title_en'])
    .distinct()
    .where('r.session_id', '=', sessionId)
    .where('r.session_item_id', 'is not', null)
  if (userId) q = q.where('r.user_id', '=', userId)
  return q.execute()
}

/** Scheduled sessions of live brands that start after `now`, with the start they were planned for: a query. */
export function upcomingSessions(db: Conn, now: Date) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .leftJoin('session_reminder_runs as r', 'r.session_id', 's.id')
    .select([
      's.id',
      's.brand_id',
      's.title',
      's.title_en',
      's.starts_at',
      'b.name',
      'b.name_en',
      'r.starts_at as planned_for',
    ])
    .where('s.status', '=', 'scheduled')
    .where('b.status', '=', 'live')
    .where('s.starts_at', '>', now)
}

/** The start a session's reminders were planned for, if they were. */
export async function plannedStart(db: Conn, sessionId: string): Promise<Date | string | undefined> {
  const run = await db
    .selectFrom('session_reminder_runs')
    .select('starts_at')
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  return run?.starts_at
}

/** Records that a session's reminders were planned for this start, to `recipients` users. */
export async function recordReminderRun(db: Conn, sessionId: string, startsAt: Date, recipients: number, now: Date) {
  await db
    .insertInto('session_reminder_runs')
    .values({ session_id: sessionId, starts_at: startsAt, recipients })
    .onConflict((oc) => oc.column('session_id').doUpdateSet({ starts_at: startsAt, recipients, planned_at: now }))
    .execute()
}

/** The brand's member followers and who asked to be reminded of the whole session. */
export const sessionAudience = (brandId: string, sessionId: string): Recipients => sql<{ user_id: string }>`
  select f.user_id from brand_follows f join users u on u.id = f.user_id and u.role = 'member'
  where f.brand_id = ${brandId}::uuid
  union select user_id from reminder_requests where session_id = ${sessionId}::uuid and session_item_id is null`

/** Who asked to be reminded of one item. */
export const itemAskers = (sessionItemId: string): Recipients =>
  sql<{ user_id: string }>`select user_id from reminder_requests where session_item_id = ${sessionItemId}::uuid`

export { justUser, type Recipients } from './notifications'

/** Whether the user follows the brand (as a member) or asked to be reminded of the whole session. */
export async function wantsSessionReminder(db: Conn, userId: string, brandId: string, sessionId: string) {
  const { rows } = await sql<{ session: boolean }>`
    select exists (select 1 from brand_follows f join users u on u.id = f.user_id and u.role = 'member'
                   where f.user_id = ${userId}::uuid and f.brand_id = ${brandId}::uuid)
        or exists (select 1 from reminder_requests where user_id = ${userId}::uuid and session_id = ${sessionId}::uuid
                   and session_item_id is null) as session`.execute(db)
  return rows[0]?.session ?? false
}

/** The ids of a session's items. */
export function sessionItemIds(db: Conn, sessionId: string) {
  return db.selectFrom('session_items').select('id').where('session_id', '=', sessionId).execute()
}

/**
 * A user's notifications of these events and dedupe keys are withdrawn: pending deliveries are skipped, and a
 * notification not shown yet with nothing but skipped deliveries is removed.
 */
export async function withdrawNotifications(db: Conn, userId: string, events: string[], keys: string[], now: Date) {
  const mine = sql`select id from notifications
    where recipient_id = ${userId}::uuid and event = any(${events}::text[]) and dedupe_key = any(${keys}::text[])`
  await sql`
    update notification_deliveries
    set status = 'skipped', outcome = 'withdrawn: no longer asked for', finished_at = ${now}
    where notification_id in (${mine}) and status = 'pending'`.execute(db)
  await sql`
    delete from notifications n where n.id in (${mine}) and n.show_at > ${now}
      and not exists (select 1 from notification_deliveries d
                      where d.notification_id = n.id and d.status <> 'skipped')`.execute(db)
}
