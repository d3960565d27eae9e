import { sql } from 'kysely'
import type { Conn } from './conn'
import type { DeliveryChannel, NotificationCategory } from '../schema/notifications'

// The delivery worker's statements: claiming due deliveries, what decides each one (preferences, settings,
// push subscriptions, opt-outs, the marketing cap), and recording outcomes.

/** Claims whose worker died mid-send (claimed before `claimedBefore`) go back to the queue. */
export async function requeueStaleClaims(db: Conn, claimedBefore: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'pending', outcome: 'claim timed out' })
    .where('status', '=', 'sending')
    .where('claimed_at', '<', claimedBefore)
    .execute()
}

export interface DueDelivery {
  id: number
  channel: DeliveryChannel
  attempts: number
  notification_id: string
  event: string
  category: NotificationCategory
  data: unknown
  link: string | null
  recipient_locale: 'zh-CN' | 'en'
  recipient_id: string | null
  recipient_email: string | null
  user_email: string | null
}

/**
 * Up to `limit` pending deliveries due by `now`, oldest first, locked until the transaction ends; rows another
 * worker holds are skipped, so concurrent runs never take the same row.
 */
export async function lockDueDeliveries(db: Conn, now: Date, limit: number): Promise<DueDelivery[]> {
  const { rows } = await sql<DueDelivery>`
    select d.id, d.channel, d.attempts, n.id as notification_id, n.event, n.category, n.data, n.link,
      n.recipient_locale, n.recipient_id, n.recipient_email, u.email as user_email
    from notification_deliveries d
    join notifications n on n.id = d.notification_id
    left join users u on u.id = n.recipient_id
    where d.status = 'pending' and d.due_at <= ${now}
    order by d.due_at, d.id
    limit ${limit}
    for update of d skip locked`.execute(db)
  return rows
}

/** These users' per-event channel choices. */
export function preferencesOf(db: Conn, userIds: string[]) {
  return db
    .selectFrom('notification_preferences')
    .select(['user_id', 'event', 'channel', 'enabled'])
    .where('user_id', 'in', userIds)
    .execute()
}

/** These users' notification settings (quiet hours). */
export function settingsOf(db: Conn, userIds: string[]) {
  return db.selectFrom('notification_settings').selectAll().where('user_id', 'in', userIds).execute()
}

/** Which of these users have at least one push subscription. */
export async function usersWithPush(db: Conn, userIds: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('push_subscriptions')
    .select('user_id')
    .distinct()
    .where('user_id', 'in', userIds)
    .execute()
  return new Set(rows.map((r) => r.user_id))
}

/** The events these addresses (lower-case) opted out of by email. */
export function optOutsOf(db: Conn, emails: string[]) {
  return db.selectFrom('email_opt_outs').select(['email', 'event']).where('email', 'in', emails).execute()
}

/** The push subscriptions of these users. */
export function pushSubscriptionsOf(db: Conn, userIds: string[]) {
  return db
    .selectFrom('push_subscriptions')
    .select(['id', 'user_id', 'endpoint', 'p256dh', 'auth'])
    .where('user_id', 'in', userIds)
    .execute()
}

/** Push subscriptions the push service says are gone. */
export async function deletePushSubscriptionsById(db: Conn, ids: string[]) {
  await db.deleteFrom('push_subscriptions').where('id', 'in', ids).execute()
}

/** Serialises one user's marketing cap until the transaction ends. */
export async function lockMarketingCap(db: Conn, userId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`notify-cap:${userId}`}, 0))`.execute(db)
}

/** How many marketing slots the user used on `day` (a local date), and whether this notification holds one. */
export async function marketingCapUse(db: Conn, userId: string, day: string, notificationId: string) {
  const { rows } = await sql<{ used: number; mine: boolean }>`
    select count(*)::int as used, coalesce(bool_or(notification_id = ${notificationId}::uuid), false) as mine
    from marketing_cap_uses where user_id = ${userId}::uuid and day = ${day}::date`.execute(db)
  return rows[0]
}

/** The notification takes one of the user's marketing slots of `day`. */
export async function insertMarketingCapUse(db: Conn, userId: string, day: string, notificationId: string) {
  await sql`insert into marketing_cap_uses (user_id, day, notification_id)
    values (${userId}::uuid, ${day}::date, ${notificationId}::uuid)`.execute(db)
}

/** Deliveries not sent, with why (off, unreachable, the daily cap). */
export async function skipDeliveries(db: Conn, ids: number[], reason: string, now: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'skipped', outcome: reason, finished_at: now })
    .where('id', 'in', ids)
    .execute()
}

/** Deliveries held back until the quiet hours end. */
export async function delayDeliveries(db: Conn, ids: number[], until: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ due_at: until, outcome: 'quiet hours' })
    .where('id', 'in', ids)
    .execute()
}

/** Deliveries taken by this worker for sending; each counts one more attempt. */
export async function markSending(db: Conn, ids: number[], now: Date) {
  await db
    .updateTable('notification_deliveries')
    .set((eb) => ({ status: 'sending', claimed_at: now, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .execute()
}

/** Deliveries the channel accepted (if still this worker's). */
export async function markSent(db: Conn, ids: number[], now: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'sent', finished_at: now, outcome: null })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute()
}

/** A delivery that failed for good. */
export async function markFailed(db: Conn, id: number, error: string | null, now: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'failed', finished_at: now, outcome: error })
    .where('id', '=', id)
    .execute()
}

/** A failed delivery goes back to the queue, due again at `at`. */
export async function retryDeliveryAt(db: Conn, id: number, error: string | null, at: Date) {
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'pending', due_at: at, outcome: error })
    .where('id', '=', id)
    .execute()
}

/** Without SMTP, an e-mail goes into the local mailbox that the development mail page shows. */
export async function insertDevMail(
  db: Conn,
  m: { to: string; subject: string; text: string; html: string; raw: string; headers: Record<string, string> },
) {
  await db
    .insertInto('dev_mailbox')
    .values({
      to_address: m.to,
      subject: m.subject,
      text_body: m.text,
      html_body: m.html,
      raw: m.raw,
      headers: JSON.stringify(m.headers),
    })
    .execute()
}

/** The stored VAPID key pair; `fresh` is stored first when there is none (the first writer wins). */
export async function storedVapidKeys(db: Conn, fresh: { publicKey: string; privateKey: string }) {
  await db
    .insertInto('vapid_keys')
    .values({ id: 1, public_key: fresh.publicKey, private_key: fresh.privateKey })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const row = await db
    .selectFrom('vapid_keys')
    .select(['public_key', 'private_key'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  return { publicKey: row.public_key, privateKey: row.private_key }
}
