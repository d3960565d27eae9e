import type { Db } from '#db/client'
import {
  countDeliveriesByStatus,
  deletePushSubscriptions,
  deleteReminderRequest,
  findNotificationSettings,
  findRestockableSku,
  findUpcomingSession,
  findUserEmail,
  hasSessionReminder,
  insertEmailOptOut,
  insertReminderRequest,
  latestDevMail,
  listDeliveries,
  listPreferenceChoices,
  listPushEndpoints,
  sessionHasItem,
  switchEmailOff,
  upsertPreferences,
  upsertPushSubscription,
  upsertQuietHours,
  upsertRestockRequest,
} from '#db/queries/notification-settings'
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
    findUserEmail(db, user.id),
    listPreferenceChoices(db, user.id),
    findNotificationSettings(db, user.id),
    listPushEndpoints(db, user.id),
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
    await upsertPreferences(trx, rows)
    await upsertQuietHours(trx, {
      userId: user.id,
      enabled: input.quietEnabled,
      startMinute: input.quietStart,
      endMinute: input.quietEnd,
      now: input.now,
    })
  })
}

/** A browser's push subscription for this user (an endpoint moves to whoever subscribed it last). */
export async function savePushSubscription(
  db: Db,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string },
) {
  await upsertPushSubscription(db, userId, sub)
}

export async function removePushSubscription(db: Db, userId: string, endpoint: string | null) {
  return deletePushSubscriptions(db, userId, endpoint)
}

// ---------------- unsubscribe ----------------

export function unsubscribeTarget(token: string): UnsubscribeTarget | null {
  return readUnsubscribeToken(token)
}

/**
 * Turns the e-mail of one event off for whoever the signed token names; idempotent. Pending e-mails of it are
 * skipped at send time.
 */
export async function unsubscribe(db: Db, token: string, now: Date): Promise<{ event: NotificationEvent } | null> {
  const t = readUnsubscribeToken(token)
  if (!t) return null
  if ('userId' in t) {
    // A token for an account deleted since it was sent unsubscribes nobody.
    const r = await switchEmailOff(db, { userId: t.userId, event: t.event, now }).catch((e: { code?: string }) => {
      if (e.code === '23503') return undefined
      throw e
    })
    if (!r) return null
  } else {
    await insertEmailOptOut(db, { email: t.email, event: t.event, now })
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
  const s = await findUpcomingSession(db, input.sessionId, input.now)
  if (!s) return false
  if (input.itemId && !(await sessionHasItem(db, s.id, input.itemId))) return false
  const request = { userId: input.userId, sessionId: s.id, itemId: input.itemId ?? null }
  await db.transaction().execute(async (trx) => {
    if (input.on) await insertReminderRequest(trx, request)
    else await deleteReminderRequest(trx, request)
    // Reminders already written for the session's other members: hers now too, or hers withdrawn.
    await syncMemberReminders(trx, { userId: input.userId, sessionId: s.id, now: input.now })
  })
  return true
}

export async function hasReminder(db: Db, userId: string, sessionId: string): Promise<boolean> {
  return hasSessionReminder(db, userId, sessionId)
}

/** Asks to be told when a size of a live or upcoming session comes back; false for an unknown size. */
export async function requestRestock(
  db: Db,
  input: { userId: string; sessionItemSkuId: string; now: Date },
): Promise<boolean> {
  const sku = await findRestockableSku(db, input.sessionItemSkuId, input.now)
  if (!sku) return false
  await upsertRestockRequest(db, { userId: input.userId, sessionItemSkuId: sku.id, now: input.now })
  return true
}

// ---------------- operator ----------------

export async function deliveryLog(db: Db, filter: { status: DeliveryStatus | 'all'; event?: string }) {
  const [rows, counts] = await Promise.all([listDeliveries(db, filter), countDeliveriesByStatus(db)])
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
  const rows = await latestDevMail(db)
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    at: new Date(r.created_at).toISOString(),
  }))
}
