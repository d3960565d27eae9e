import { sql } from 'kysely'
import type { Conn } from './conn'
import type { DeliveryStatus } from '#db/schema/notifications'

/** The e-mail address a user's notifications go to (null when she has none). */
export function findUserEmail(db: Conn, userId: string) {
  return db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst()
}

/** The events and channels a user switched on or off (the rest keep their defaults). */
export function listPreferenceChoices(db: Conn, userId: string) {
  return db
    .selectFrom('notification_preferences')
    .select(['event', 'channel', 'enabled'])
    .where('user_id', '=', userId)
    .execute()
}

export function findNotificationSettings(db: Conn, userId: string) {
  return db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

export function listPushEndpoints(db: Conn, userId: string) {
  return db.selectFrom('push_subscriptions').select(['endpoint']).where('user_id', '=', userId).execute()
}

/** Writes a user's choice for each event and channel given, replacing earlier ones. */
export async function upsertPreferences(
  db: Conn,
  rows: { user_id: string; event: string; channel: 'email' | 'push'; enabled: boolean; updated_at: Date }[],
) {
  await db
    .insertInto('notification_preferences')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'event', 'channel'])
        .doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: eb.ref('excluded.updated_at') })),
    )
    .execute()
}

/** A user's quiet hours (minutes after local midnight), replacing earlier ones. */
export async function upsertQuietHours(
  db: Conn,
  v: { userId: string; enabled: boolean; startMinute: number; endMinute: number; now: Date },
) {
  const quiet = {
    quiet_enabled: v.enabled,
    quiet_start_minute: v.startMinute,
    quiet_end_minute: v.endMinute,
    updated_at: v.now,
  }
  await db
    .insertInto('notification_settings')
    .values({ user_id: v.userId, ...quiet })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(quiet))
    .execute()
}

/** A browser's push subscription; an endpoint already known moves to this user. */
export async function upsertPushSubscription(
  db: Conn,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string },
) {
  await db
    .insertInto('push_subscriptions')
    .values({ user_id: userId, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet({ user_id: userId, p256dh: sub.p256dh, auth: sub.auth }))
    .execute()
}

/** Removes one of a user's push subscriptions (or, without an endpoint, all); returns how many went. */
export async function deletePushSubscriptions(db: Conn, userId: string, endpoint: string | null): Promise<number> {
  let q = db.deleteFrom('push_subscriptions').where('user_id', '=', userId)
  if (endpoint) q = q.where('endpoint', '=', endpoint)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Switches one event's e-mail off for a user; fails with a foreign-key violation (23503) for an unknown user. */
export function switchEmailOff(db: Conn, v: { userId: string; event: string; now: Date }) {
  return db
    .insertInto('notification_preferences')
    .values({ user_id: v.userId, event: v.event, channel: 'email', enabled: false, updated_at: v.now })
    .onConflict((oc) => oc.columns(['user_id', 'event', 'channel']).doUpdateSet({ enabled: false, updated_at: v.now }))
    .returning('user_id')
    .executeTakeFirst()
}

/** An address without an account opts out of one event's e-mail. */
export async function insertEmailOptOut(db: Conn, v: { email: string; event: string; now: Date }) {
  await db
    .insertInto('email_opt_outs')
    .values({ email: v.email, event: v.event, created_at: v.now })
    .onConflict((oc) => oc.columns(['email', 'event']).doNothing())
    .execute()
}

/** A session that is still to start, of a live brand (one can ask to be reminded of it). */
export function findUpcomingSession(db: Conn, sessionId: string, now: Date) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select('s.id')
    .where('s.id', '=', sessionId)
    .where('s.status', '=', 'scheduled')
    .where('b.status', '=', 'live')
    .where('s.starts_at', '>', now)
    .executeTakeFirst()
}

export async function sessionHasItem(db: Conn, sessionId: string, itemId: string): Promise<boolean> {
  const item = await db
    .selectFrom('session_items')
    .select('id')
    .where('id', '=', itemId)
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  return Boolean(item)
}

/** "Remind me" of a session (or, with an item, of that item); asking twice keeps one request. */
export async function insertReminderRequest(db: Conn, v: { userId: string; sessionId: string; itemId: string | null }) {
  await sql`insert into reminder_requests (user_id, session_id, session_item_id)
    values (${v.userId}::uuid, ${v.sessionId}::uuid, ${v.itemId}::uuid)
    on conflict do nothing`.execute(db)
}

export async function deleteReminderRequest(db: Conn, v: { userId: string; sessionId: string; itemId: string | null }) {
  let q = db.deleteFrom('reminder_requests').where('user_id', '=', v.userId).where('session_id', '=', v.sessionId)
  q = v.itemId ? q.where('session_item_id', '=', v.itemId) : q.where('session_item_id', 'is', null)
  await q.execute()
}

/** Whether a user asked to be reminded of a whole session. */
export async function hasSessionReminder(db: Conn, userId: string, sessionId: string): Promise<boolean> {
  const r = await db
    .selectFrom('reminder_requests')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('session_id', '=', sessionId)
    .where('session_item_id', 'is', null)
    .executeTakeFirst()
  return Boolean(r)
}

/** A size of a session that is scheduled and not over yet (one can ask to hear when it comes back). */
export function findRestockableSku(db: Conn, sessionItemSkuId: string, now: Date) {
  return db
    .selectFrom('session_item_skus as k')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .select('k.id')
    .where('k.id', '=', sessionItemSkuId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .executeTakeFirst()
}

/** Asks (again) to be told when a size comes back: asking anew resets an earlier notice. */
export async function upsertRestockRequest(db: Conn, v: { userId: string; sessionItemSkuId: string; now: Date }) {
  await db
    .insertInto('restock_requests')
    .values({ user_id: v.userId, session_item_sku_id: v.sessionItemSkuId, created_at: v.now, notified_at: null })
    .onConflict((oc) =>
      oc.columns(['user_id', 'session_item_sku_id']).doUpdateSet({ created_at: v.now, notified_at: null }),
    )
    .execute()
}

/** The newest 200 deliveries with their notification and recipient, optionally of one status or event. */
export function listDeliveries(db: Conn, filter: { status: DeliveryStatus | 'all'; event?: string }) {
  let q = db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .leftJoin('users as u', 'u.id', 'n.recipient_id')
    .select([
      'd.id',
      'd.channel',
      'd.status',
      'd.attempts',
      'd.due_at',
      'd.finished_at',
      'd.outcome',
      'n.event',
      'n.category',
      'u.display_name',
      'u.email',
      'n.recipient_email',
    ])
  if (filter.status !== 'all') q = q.where('d.status', '=', filter.status)
  if (filter.event) q = q.where('n.event', '=', filter.event)
  return q.orderBy('d.id', 'desc').limit(200).execute()
}

/** How many deliveries are in each status. */
export function countDeliveriesByStatus(db: Conn) {
  return db
    .selectFrom('notification_deliveries')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status')
    .execute()
}

/** The newest 50 e-mails the development mailbox caught. */
export function latestDevMail(db: Conn) {
  return db
    .selectFrom('dev_mailbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'created_at'])
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
}
