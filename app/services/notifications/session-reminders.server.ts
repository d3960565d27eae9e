import { sql, type RawBuilder } from 'kysely'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { NOTIFICATION_RULES } from '#app/domain/notifications'
import { inTransaction, notifyMany } from './notify.server'

// Session reminders: "opens in 10 minutes" and "opens now" for followers of the brand and members who asked to be
// reminded of the session, "opens now" for members who asked about one item. The planner writes them for everyone
// a little before the start; a member who follows or asks after that is caught up at once with the same texts and
// dedupe keys, and one who unfollows or cancels has what was not sent yet withdrawn. The planner and the catch-up
// serialise on a per-session advisory lock, so a follow racing the planner is planned by exactly one of them.

type Recipients = RawBuilder<{ user_id: string }>

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

async function lockSession(trx: Conn, sessionId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`session-reminders:${sessionId}`}, 0))`.execute(trx)
}

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

function requestedItems(trx: Conn, sessionId: string, userId?: string) {
  let q = trx
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

function upcomingSessions(db: Conn, now: Date) {
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

async function plannedFor(trx: Conn, sessionId: string, startsAt: Date | string): Promise<boolean> {
  const run = await trx
    .selectFrom('session_reminder_runs')
    .select('starts_at')
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  return !!run && new Date(run.starts_at).getTime() === new Date(startsAt).getTime()
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
      await lockSession(trx, s.id)
      if (await plannedFor(trx, s.id, s.starts_at)) return 0 // a concurrent run did it while we waited
      // Read the followers only now, under the lock: a follow committed meanwhile is either seen here or sees
      // this run and is caught up by `syncMemberReminders`.
      const startsAt = new Date(s.starts_at)
      const recipients = sql<{ user_id: string }>`
        select f.user_id from brand_follows f join users u on u.id = f.user_id and u.role = 'member' where f.brand_id = ${s.brand_id}::uuid
        union select user_id from reminder_requests where session_id = ${s.id}::uuid and session_item_id is null`
      const n = await notifySession(trx, s, recipients, now)
      for (const it of await requestedItems(trx, s.id)) {
        await notifyItem(
          trx,
          s,
          it,
          sql<{ user_id: string }>`select user_id from reminder_requests where session_item_id = ${it.id}::uuid`,
          now,
        )
      }
      await trx
        .insertInto('session_reminder_runs')
        .values({ session_id: s.id, starts_at: startsAt, recipients: n })
        .onConflict((oc) =>
          oc.column('session_id').doUpdateSet({ starts_at: startsAt, recipients: n, planned_at: now }),
        )
        .execute()
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
    const me = sql<{ user_id: string }>`select ${userId}::uuid as user_id`
    for (const s of sessions) {
      await lockSession(trx, s.id)
      // Planned for its current start only once the planner committed, which this lock waits for.
      if (!(await plannedFor(trx, s.id, s.starts_at))) continue
      const startsAt = new Date(s.starts_at)
      const wants = await sql<{ session: boolean }>`
        select exists (select 1 from brand_follows f join users u on u.id = f.user_id and u.role = 'member'
                       where f.user_id = ${userId}::uuid and f.brand_id = ${s.brand_id}::uuid)
            or exists (select 1 from reminder_requests where user_id = ${userId}::uuid and session_id = ${s.id}::uuid
                       and session_item_id is null) as session`.execute(trx)
      const key = sessionKey(s.id, startsAt)
      if (wants.rows[0]?.session) await notifySession(trx, s, me, now)
      else await withdraw(trx, userId, [...SESSION_EVENTS], [key], now)
      const items = await requestedItems(trx, s.id, userId)
      for (const it of items) await notifyItem(trx, s, it, me, now)
      const wanted = new Set(items.map((i) => i.id))
      const all = await trx.selectFrom('session_items').select('id').where('session_id', '=', s.id).execute()
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
  const mine = sql`select id from notifications where recipient_id = ${userId}::uuid and event = any(${events}::text[]) and dedupe_key = any(${keys}::text[])`
  await sql`
    update notification_deliveries set status = 'skipped', outcome = 'withdrawn: no longer asked for', finished_at = ${now}
    where notification_id in (${mine}) and status = 'pending'`.execute(trx)
  await sql`
    delete from notifications n where n.id in (${mine}) and n.show_at > ${now}
      and not exists (select 1 from notification_deliveries d where d.notification_id = n.id and d.status <> 'skipped')`.execute(
    trx,
  )
}
