import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  itemAskers,
  justUser,
  lockSessionReminders,
  plannedStart,
  recordReminderRun,
  requestedItems,
  sessionAudience,
  sessionItemIds,
  upcomingSessions,
  wantsSessionReminder,
  withdrawNotifications,
  type Recipients,
} from '#db/queries/session-reminders'
import { NOTIFICATION_RULES } from '#app/domain/notifications'
import { inTransaction, notifyMany } from './notify.server'

// Session reminders: "opens in 10 minutes" and "opens now" for followers of the brand and members who asked to be
// reminded of the session, "opens now" for members who asked about one item. The planner writes them for everyone
// a little before the start; a member who follows or asks after that is caught up at once with the same texts and
// dedupe keys, and one who unfollows or cancels has what was not sent yet withdrawn. The planner and the catch-up
// serialise on a per-session advisory lock, so a follow racing the planner is planned by exactly one of them.

interface PlannedSession {
  id: string
  brand_id: string
  title: string
  title_en: string
  starts_at: Date | string
  name: string
  name_en: string
}

const sessionKey = (id: string, startsAt: Date) => `${id}@${startsAt.toISOString()}`
const SESSION_EVENTS = ['session_soon', 'session_open'] as const

/** Writes the session's two reminders for `recipients` (dedupe keys make a repeat write nothing). */
async function notifySession(trx: Conn, s: PlannedSession, recipients: Recipients, now: Date): Promise<number> {
  const startsAt = new Date(s.starts_at)
  const common = {
    recipients,
    dedupeKey: sessionKey(s.id, startsAt),
    link: `/sessions/${s.id}`,
    now,
    data: {
      brand: s.name,
      brandEn: s.name_en,
      session: s.title,
      sessionEn: s.title_en || s.title,
      startsAt: startsAt.toISOString(),
    },
  }
  const soonAt = new Date(Math.max(now.getTime(), startsAt.getTime() - NOTIFICATION_RULES.sessionSoonLeadMs))
  const n = await notifyMany(trx, { ...common, event: 'session_soon', at: soonAt })
  await notifyMany(trx, { ...common, event: 'session_open', at: startsAt })
  return n
}

/** Writes the "item opens now" reminder of one item of the session for `recipients`. */
async function notifyItem(
  trx: Conn,
  s: PlannedSession,
  item: { id: string; product_id: string; title: string; title_en: string },
  recipients: Recipients,
  now: Date,
) {
  const startsAt = new Date(s.starts_at)
  await notifyMany(trx, {
    event: 'item_open',
    now,
    at: startsAt,
    dedupeKey: sessionKey(item.id, startsAt),
    link: `/products/${item.product_id}`,
    data: { brand: s.name, brandEn: s.name_en, item: item.title, itemEn: item.title_en || item.title },
    recipients,
  })
}

async function plannedFor(trx: Conn, sessionId: string, startsAt: Date | string): Promise<boolean> {
  const run = await plannedStart(trx, sessionId)
  return !!run && new Date(run).getTime() === new Date(startsAt).getTime()
}

const planned = (s: { starts_at: Date | string; planned_for: Date | string | null }) =>
  s.planned_for !== null && new Date(s.planned_for).getTime() === new Date(s.starts_at).getTime()

/**
 * Fans out the reminders of every session that opens within the planning horizon and has not been planned for
 * its current start time. Everything is written ahead of the start (the open reminders are due at the start), so
 * the grab storm's first seconds only see sends.
 */
export async function planSessionReminders(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + NOTIFICATION_RULES.planAheadMs)
  const sessions = (await upcomingSessions(db, now).where('s.starts_at', '<=', horizon).execute()).filter(
    (s) => !planned(s),
  )
  let total = 0
  for (const s of sessions) {
    total += await db.transaction().execute(async (trx) => {
      await lockSessionReminders(trx, s.id)
      if (await plannedFor(trx, s.id, s.starts_at)) return 0 // a concurrent run did it while we waited
      // Read the followers only now, under the lock: a follow committed meanwhile is either seen here or sees
      // this run and is caught up by `syncMemberReminders`.
      const startsAt = new Date(s.starts_at)
      const recipients = sessionAudience(s.brand_id, s.id)
      const n = await notifySession(trx, s, recipients, now)
      for (const it of await requestedItems(trx, s.id)) {
        await notifyItem(trx, s, it, itemAskers(it.id), now)
      }
      await recordReminderRun(trx, s.id, startsAt, n, now)
      return n
    })
  }
  return total
}

/**
 * Brings one member's reminders of already planned, not yet started sessions in line with what she now asks for,
 * after she followed or unfollowed a brand (`brandId`) or asked for or cancelled a reminder (`sessionId`): writes
 * the ones she is missing, withdraws the ones she no longer wants. Sessions not planned yet are left to the
 * planner, which reads followers and requests when it runs. Call it in the transaction that changed her choice.
 */
export async function syncMemberReminders(
  db: Conn,
  input: { userId: string; brandId?: string; sessionId?: string; now: Date },
): Promise<void> {
  const { userId, now } = input
  await inTransaction(db, async (trx) => {
    let q = upcomingSessions(trx, now)
    if (input.brandId) q = q.where('s.brand_id', '=', input.brandId)
    if (input.sessionId) q = q.where('s.id', '=', input.sessionId)
    const sessions = await q.orderBy('s.id').execute()
    const me = justUser(userId)
    for (const s of sessions) {
      await lockSessionReminders(trx, s.id)
      // Planned for its current start only once the planner committed, which this lock waits for.
      if (!(await plannedFor(trx, s.id, s.starts_at))) continue
      const startsAt = new Date(s.starts_at)
      const key = sessionKey(s.id, startsAt)
      if (await wantsSessionReminder(trx, userId, s.brand_id, s.id)) await notifySession(trx, s, me, now)
      else await withdraw(trx, userId, [...SESSION_EVENTS], [key], now)
      const items = await requestedItems(trx, s.id, userId)
      for (const it of items) await notifyItem(trx, s, it, me, now)
      const wanted = new Set(items.map((i) => i.id))
      const all = await sessionItemIds(trx, s.id)
      const dropped = all.filter((i) => !wanted.has(i.id)).map((i) => sessionKey(i.id, startsAt))
      if (dropped.length) await withdraw(trx, userId, ['item_open'], dropped, now)
    }
  })
}

/**
 * Stops reminders a member no longer wants: deliveries not yet picked up by a worker are skipped, and a
 * notification not shown yet is removed with them (so asking again writes it afresh). What is already sent, or
 * being sent, stays.
 */
async function withdraw(trx: Conn, userId: string, events: string[], keys: string[], now: Date) {
  await withdrawNotifications(trx, userId, events, keys, now)
}
