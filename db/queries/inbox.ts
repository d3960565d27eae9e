import { sql } from 'kysely'
import type { Conn } from './conn'

// The in-app inbox: a user's notifications already shown, and marking them read.

/** Unread notifications already shown, counted up to 100: one range scan of a partial index. */
export async function countUnread(db: Conn, userId: string, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from notifications
      where recipient_id = ${userId}::uuid and read_at is null and show_at <= ${now}
      limit 100
    ) x`.execute(db)
  return r.rows[0]?.n ?? 0
}

/** A page of the user's notifications shown by `now` (before `before` when given), newest first, 50 at most. */
export function inboxPage(db: Conn, userId: string, now: Date, before?: Date) {
  let q = db
    .selectFrom('notifications')
    .select(['id', 'event', 'data', 'link', 'show_at', 'read_at'])
    .where('recipient_id', '=', userId)
    .where('show_at', '<=', now)
  if (before) q = q.where('show_at', '<', before)
  return q.orderBy('show_at', 'desc').orderBy('id').limit(50).execute()
}

/** Marks one of the user's notifications read (the first time counts); its link, or nothing when not theirs. */
export function markNotificationRead(db: Conn, userId: string, id: string, now: Date) {
  return db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, ${now}::timestamptz)` as never })
    .where('id', '=', id)
    .where('recipient_id', '=', userId)
    .returning(['id', 'link'])
    .executeTakeFirst()
}

/** Marks every shown, unread notification of the user read; returns how many. */
export async function markAllNotificationsRead(db: Conn, userId: string, now: Date): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('recipient_id', '=', userId)
    .where('read_at', 'is', null)
    .where('show_at', '<=', now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
