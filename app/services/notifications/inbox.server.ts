import type { Db } from '#db/client'
import { countUnread, inboxPage, markAllNotificationsRead, markNotificationRead } from '#db/queries/inbox'
import type { Locale } from '#app/i18n'
import { renderNotification } from './render.server'

// The in-app inbox: what every role sees at /notifications and counts in the header badge.

/** Unread notifications already shown, counted up to 100 (the badge says 99+): one range scan of a partial index. */
export async function unreadCount(db: Db, userId: string, now: Date): Promise<number> {
  return countUnread(db, userId, now)
}

export async function inbox(db: Db, userId: string, locale: Locale, now: Date, options: { before?: Date } = {}) {
  const rows = await inboxPage(db, userId, now, options.before)
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
  const row = await markNotificationRead(db, userId, id, now)
  return row ? true : null
}

export async function markAllRead(db: Db, userId: string, now: Date): Promise<number> {
  return markAllNotificationsRead(db, userId, now)
}

/** Opening a notification (from the inbox, an e-mail or a push) marks it read and leads to its thing. */
export async function openNotification(db: Db, userId: string, id: string, now: Date): Promise<string | null> {
  const row = await markNotificationRead(db, userId, id, now)
  if (!row) return null
  return row.link ?? '/notifications'
}
