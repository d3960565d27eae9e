import { sql } from 'kysely'
import type { Db } from '#db/client'
import type { Role } from '#db/schema'
import type { DeliveryStatus } from '#db/schema/notifications'
import {
  eventsFor,
  NOTIFICATION_EVENTS,
  type NotificationAudience,
  type NotificationEvent,
} from '#app/domain/notification-events'
import { NOTIFICATION_RULES, channelEnabled, formatClock } from '#app/domain/notifications'
import { vapidKeys } from './channels.server'
import { syncMemberReminders } from './session-reminders.server'
import { readUnsubscribeToken, type UnsubscribeTarget } from './render.server'

// Preferences (per event and channel), quiet hours, push subscriptions, unsubscribe links, "remind me" and restock
// requests, and the operator's view of deliveries.

const audienceOf = (role: Role): NotificationAudience => role

export async function preferencesPage(db: Db, user: { id: string; role: Role }) {
  const [account, choices, settings, subs, keys] = await Promise.all([
    db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirst(),
    db
      .selectFrom('notification_preferences')
      .select(['event', 'channel', 'enabled'])
      .where('user_id', '=', user.id)
      .execute(),
    db.selectFrom('notification_settings').selectAll().where('user_id', '=', user.id).executeTakeFirst(),
    db.selectFrom('push_subscriptions').select(['endpoint']).where('user_id', '=', user.id).execute(),
    vapidKeys(db),
  ])
  const events = eventsFor(audienceOf(user.role))
  return {
    /** Brand staff and operators get no marketing reminders: quiet hours and the daily cap do not concern them. */
    getsMarketing: events.some((event) => NOTIFICATION_EVENTS[event].category === 'marketing'),
    events: events.map((event) => ({
      event,
      category: NOTIFICATION_EVENTS[event].category,
      email: channelEnabled(event, 'email', choices),
      push: channelEnabled(event, 'push', choices),
    })),
    quiet: {
      enabled: settings?.quiet_enabled ?? true,
      start: formatClock(settings?.quiet_start_minute ?? NOTIFICATION_RULES.quietHours.startMinute),
      end: formatClock(settings?.quiet_end_minute ?? NOTIFICATION_RULES.quietHours.endMinute),
    },
    hasEmail: !!account?.email,
    pushEndpoints: subs.map((s) => s.endpoint),
    vapidPublicKey: keys.publicKey,
    dailyCap: NOTIFICATION_RULES.marketingDailyCap,
  }
}

/** Saves the whole matrix the page shows: every event of the role, both channels; and quiet hours. */
export async function savePreferences(
  db: Db,
  user: { id: string; role: Role },
  input: { on: Set<string>; quietEnabled: boolean; quietStart: number; quietEnd: number; now: Date },
) {
  const events = eventsFor(audienceOf(user.role))
  await db.transaction().execute(async (trx) => {
    const rows = events.flatMap((event) =>
      (['email', 'push'] as const).map((channel) => ({
        user_id: user.id,
        event,
        channel,
        enabled: input.on.has(`${event}.${channel}`),
        updated_at: input.now,
      })),
    )
    await trx
      .insertInto('notification_preferences')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'event', 'channel'])
          .doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute()
    await trx
      .insertInto('notification_settings')
      .values({
        user_id: user.id,
        quiet_enabled: input.quietEnabled,
        quiet_start_minute: input.quietStart,
        quiet_end_minute: input.quietEnd,
        updated_at: input.now,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          quiet_enabled: input.quietEnabled,
          quiet_start_minute: input.quietStart,
          quiet_end_minute: input.quietEnd,
          updated_at: input.now,
        }),
      )
      .execute()
  })
}

/** A browser's push subscription for this user (an endpoint moves to whoever subscribed it last). */
export async function savePushSubscription(
  db: Db,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string },
) {
  await db
    .insertInto('push_subscriptions')
    .values({ user_id: userId, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet({ user_id: userId, p256dh: sub.p256dh, auth: sub.auth }))
    .execute()
}

export async function removePushSubscription(db: Db, userId: string, endpoint: string | null) {
  let q = db.deleteFrom('push_subscriptions').where('user_id', '=', userId)
  if (endpoint) q = q.where('endpoint', '=', endpoint)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

// ---------------- unsubscribe ----------------

export function unsubscribeTarget(token: string): UnsubscribeTarget | null {
  return readUnsubscribeToken(token)
}

/** Turns the e-mail of one event off for whoever the signed token names; idempotent. Pending e-mails of it are skipped at send time. */
export async function unsubscribe(db: Db, token: string, now: Date): Promise<{ event: NotificationEvent } | null> {
  const t = readUnsubscribeToken(token)
  if (!t) return null
  if ('userId' in t) {
    const r = await db
      .insertInto('notification_preferences')
      .values({ user_id: t.userId, event: t.event, channel: 'email', enabled: false, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'event', 'channel']).doUpdateSet({ enabled: false, updated_at: now }))
      .returning('user_id')
      .executeTakeFirst()
      .catch((e: { code?: string }) => {
        if (e.code === '23503') return undefined
        throw e
      })
    if (!r) return null
  } else {
    await db
      .insertInto('email_opt_outs')
      .values({ email: t.email, event: t.event, created_at: now })
      .onConflict((oc) => oc.columns(['email', 'event']).doNothing())
      .execute()
  }
  return { event: t.event }
}

// ---------------- remind me / restock ----------------

/**
 * "Remind me" on an upcoming session (or one of its items), or its cancellation; false when there is no such
 * upcoming session/item.
 */
export async function requestReminder(
  db: Db,
  input: { userId: string; sessionId: string; itemId?: string | null; on: boolean; now: Date },
): Promise<boolean> {
  const s = await db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select('s.id')
    .where('s.id', '=', input.sessionId)
    .where('s.status', '=', 'scheduled')
    .where('b.status', '=', 'live')
    .where('s.starts_at', '>', input.now)
    .executeTakeFirst()
  if (!s) return false
  if (input.itemId) {
    const item = await db
      .selectFrom('session_items')
      .select('id')
      .where('id', '=', input.itemId)
      .where('session_id', '=', s.id)
      .executeTakeFirst()
    if (!item) return false
  }
  await db.transaction().execute(async (trx) => {
    if (input.on) {
      await sql`insert into reminder_requests (user_id, session_id, session_item_id) values (${input.userId}::uuid, ${s.id}::uuid, ${input.itemId ?? null}::uuid)
        on conflict do nothing`.execute(trx)
    } else {
      let q = trx.deleteFrom('reminder_requests').where('user_id', '=', input.userId).where('session_id', '=', s.id)
      q = input.itemId ? q.where('session_item_id', '=', input.itemId) : q.where('session_item_id', 'is', null)
      await q.execute()
    }
    // Reminders already written for the session's other members: hers now too, or hers withdrawn.
    await syncMemberReminders(trx, { userId: input.userId, sessionId: s.id, now: input.now })
  })
  return true
}

export async function hasReminder(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const r = await db
    .selectFrom('reminder_requests')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('session_id', '=', sessionId)
    .where('session_item_id', 'is', null)
    .executeTakeFirst()
  return !!r
}

/** Asks to be told when a size of a live or upcoming session comes back; false for an unknown size. */
export async function requestRestock(
  db: Db,
  input: { userId: string; sessionItemSkuId: string; now: Date },
): Promise<boolean> {
  const s = await db
    .selectFrom('session_item_skus as k')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .select('k.id')
    .where('k.id', '=', input.sessionItemSkuId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', input.now)
    .executeTakeFirst()
  if (!s) return false
  await db
    .insertInto('restock_requests')
    .values({ user_id: input.userId, session_item_sku_id: s.id, created_at: input.now, notified_at: null })
    .onConflict((oc) =>
      oc.columns(['user_id', 'session_item_sku_id']).doUpdateSet({ created_at: input.now, notified_at: null }),
    )
    .execute()
  return true
}

// ---------------- operator ----------------

export async function deliveryLog(db: Db, filter: { status: DeliveryStatus | 'all'; event?: string }) {
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
  const [rows, counts] = await Promise.all([
    q.orderBy('d.id', 'desc').limit(200).execute(),
    db
      .selectFrom('notification_deliveries')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .groupBy('status')
      .execute(),
  ])
  return {
    counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<DeliveryStatus, number>>,
    rows: rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      status: r.status,
      attempts: r.attempts,
      event: r.event,
      category: r.category,
      recipient: r.display_name ?? r.recipient_email ?? '',
      address: r.email ?? r.recipient_email ?? '',
      dueAt: new Date(r.due_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      outcome: r.outcome,
    })),
  }
}

export async function devMailbox(db: Db) {
  const rows = await db
    .selectFrom('dev_mailbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'created_at'])
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    at: new Date(r.created_at).toISOString(),
  }))
}
