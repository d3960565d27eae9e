import type { Conn } from './conn'

export function findUserByIdentifier(db: Conn, identifier: { kind: 'email' | 'phone'; value: string }) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(identifier.kind, '=', identifier.value)
    .executeTakeFirst()
}

export async function recentSignInFailures(db: Conn, keys: string[], since: Date) {
  const rows = await db
    .selectFrom('sign_in_failures')
    .select(['throttle_key', 'failed_at'])
    .where('throttle_key', 'in', keys)
    .where('failed_at', '>', since)
    .execute()
  return rows
}

export async function recordSignInFailure(db: Conn, keys: string[], at: Date) {
  await db.insertInto('sign_in_failures').values(keys.map((throttle_key) => ({ throttle_key, failed_at: at }))).execute()
}

export async function clearSignInFailures(db: Conn, key: string) {
  await db.deleteFrom('sign_in_failures').where('throttle_key', '=', key).execute()
}

export async function insertUserSession(db: Conn, session: { id: string; userId: string; expiresAt: Date }) {
  await db.insertInto('user_sessions').values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt }).execute()
}

export function findSessionUser(db: Conn, sessionId: string, now: Date) {
  return db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('brands as b', 'b.id', 'u.brand_id')
    .select(['u.id', 'u.role', 'u.display_name', 'u.vip_level', 'u.brand_id', 'b.name as brand_name', 'b.name_en as brand_name_en', 'b.slug as brand_slug', 'b.status as brand_status'])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .executeTakeFirst()
}

export async function deleteUserSession(db: Conn, sessionId: string) {
  await db.deleteFrom('user_sessions').where('id', '=', sessionId).execute()
}
