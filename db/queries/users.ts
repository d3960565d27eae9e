import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema'
import type { Conn } from './conn'

export function findUserByIdentifier(db: Conn, identifier: { kind: 'email' | 'phone'; value: string }) {
  return db.selectFrom('users').selectAll().where(identifier.kind, '=', identifier.value).executeTakeFirst()
}

/**
 * Counts one attempt on each key before the caller checks anything: under a per-key advisory lock, the recent
 * attempts are read and, unless a key is at its limit (`blocked` says which rows made it so), one row per key is
 * added and its ids returned. Concurrent attempts queue on the lock, so a burst never gets past the limit.
 */
export async function takeThrottleAttempt(
  db: Kysely<Database>,
  keys: { key: string; maxFailures: number; windowMs: number }[],
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    for (const k of [...keys].sort((a, b) => a.key.localeCompare(b.key)))
      await sql`select pg_advisory_xact_lock(hashtext(${k.key}))`.execute(trx)
    const since = new Date(now.getTime() - Math.max(...keys.map((k) => k.windowMs)))
    const recent = await trx
      .selectFrom('sign_in_failures')
      .select(['throttle_key', 'failed_at'])
      .where(
        'throttle_key',
        'in',
        keys.map((k) => k.key),
      )
      .where('failed_at', '>', since)
      .execute()
    const full = keys.filter(
      (k) =>
        recent.filter((r) => r.throttle_key === k.key && r.failed_at.getTime() > now.getTime() - k.windowMs).length >=
        k.maxFailures,
    )
    if (full.length)
      return {
        blocked: full.map((k) => ({
          ...k,
          failures: recent.filter((r) => r.throttle_key === k.key).map((r) => r.failed_at),
        })),
        ids: [] as number[],
      }
    const rows = await trx
      .insertInto('sign_in_failures')
      .values(keys.map((k) => ({ throttle_key: k.key, failed_at: now })))
      .returning('id')
      .execute()
    return { blocked: [], ids: rows.map((r) => r.id) }
  })
}

/** An attempt that turned out right is not a failure. */
export async function forgetThrottleAttempt(db: Conn, ids: number[]) {
  if (ids.length) await db.deleteFrom('sign_in_failures').where('id', 'in', ids).execute()
}

export async function clearSignInFailures(db: Conn, key: string) {
  await db.deleteFrom('sign_in_failures').where('throttle_key', '=', key).execute()
}

export async function insertUserSession(db: Conn, session: { id: string; userId: string; expiresAt: Date }) {
  await db
    .insertInto('user_sessions')
    .values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt })
    .execute()
}

function sessionUserQuery(db: Conn, sessionId: string, now: Date) {
  return db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('brands as b', 'b.id', 'u.brand_id')
    .select([
      'u.id',
      'u.role',
      'u.display_name',
      'u.vip_level',
      'u.brand_id',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'b.slug as brand_slug',
      'b.status as brand_status',
    ])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
}

export function findSessionUser(db: Conn, sessionId: string, now: Date) {
  return sessionUserQuery(db, sessionId, now).executeTakeFirst()
}

/**
 * The session's user with what pages show of her besides: her unread notifications already shown, counted up to 100
 * as countUnread does (every page's header), and for a member the brands she follows (their follow buttons). Asked
 * with the user, in the same statement, they cost a page no round trip of their own.
 */
export function findSessionViewer(db: Conn, sessionId: string, now: Date) {
  return sessionUserQuery(db, sessionId, now)
    .select([
      sql<number>`(select count(*)::int from (
        select 1 from notifications n
        where n.recipient_id = u.id and n.read_at is null and n.show_at <= ${now}
        limit 100
      ) x)`.as('unread'),
      sql<string[]>`case when u.role = 'member'
        then array(select f.brand_id from brand_follows f where f.user_id = u.id) else '{}' end`.as(
        'followed_brand_ids',
      ),
    ])
    .executeTakeFirst()
}

export async function deleteUserSession(db: Conn, sessionId: string) {
  await db.deleteFrom('user_sessions').where('id', '=', sessionId).execute()
}
