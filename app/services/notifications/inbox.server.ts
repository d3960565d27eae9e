import { sql } from 'kysely'
import type { Db } from '#db/client'
import type { Locale } from '#app/i18n'
import { renderNotification } from './render.server'

// The in-app inbox: what every role sees at /notifications and counts in the header badge.

/** Unread notifications already shown, counted up to 100 (the badge says 99+): one range scan of a partial index. */
export async function unreadCount(db: Db, userId: string, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from notifications where recipient_id = ${userId}::uuid and read_at is null and show_at <= ${now} limit 100
    ) x`.execute(db)
  return r.rows[0]?.n ?? 0
}

export async function inbox(db: Db, userId: string, locale: Locale, now: Date, options: { before?: Date } = {}) {
  let q = db
    .selectFrom('notifications')
    .select(['id', 'event', 'data', 'link', 'show_at', 'read_at'])
    .where('recipient_id', '=', userId)
    .where('show_at', '<=', now)
  if (options.before) q = q.where('show_at', '<', options.before)
  const rows = await q.orderBy('show_at', 'desc').orderBy('id').limit(50).execute()
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    ...renderNotification(r.event, r.data, locale),
    hasLink: !!r.link,
    at: new Date(r.show_at).toISOString(),
    read: r.read_at !== null,
  }))
}

/** Marks one of the user's notifications read; null when it is not theirs (or does not exist). */
export async function markRead(db: Db, userId: string, id: string, now: Date): Promise<boolean | null> {
  const row = await db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, ${now}::timestamptz)` as never })
    .where('id', '=', id)
    .where('recipient_id', '=', userId)
    .returning('id')
    .executeTakeFirst()
  return row ? true : null
}

export async function markAllRead(db: Db, userId: string, now: Date): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('recipient_id', '=', userId)
    .where('read_at', 'is', null)
    .where('show_at', '<=', now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Opening a notification (from the inbox, an e-mail or a push) marks it read and leads to its thing. */
export async function openNotification(db: Db, userId: string, id: string, now: Date): Promise<string | null> {
  const row = await db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, ${now}::timestamptz)` as never })
    .where('id', '=', id)
    .where('recipient_id', '=', userId)
    .returning('link')
    .executeTakeFirst()
  if (!row) return null
  return row.link ?? '/notifications'
}
