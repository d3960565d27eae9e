import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  delayDeliveries,
  deletePushSubscriptionsById,
  insertMarketingCapUse,
  lockDueDeliveries,
  lockMarketingCap,
  markFailed,
  markSending,
  markSent,
  marketingCapUse,
  optOutsOf,
  preferencesOf,
  pushSubscriptionsOf,
  requeueStaleClaims,
  retryDeliveryAt,
  settingsOf,
  skipDeliveries,
  usersWithPush,
} from '#db/queries/notification-deliveries'
import type { DeliveryChannel, NotificationCategory } from '#db/schema/notifications'
import { isNotificationEvent } from '#app/domain/notification-events'
import {
  NOTIFICATION_RULES,
  afterFailure,
  capAllows,
  channelEnabled,
  deliveryDecision,
  localDay,
  type QuietHours,
} from '#app/domain/notifications'
import type { Channels } from './channels.server'
import { publicBase, renderMail, renderPush, unsubscribeToken } from './render.server'

// The delivery worker: claims due deliveries in batches (FOR UPDATE SKIP LOCKED, so concurrent runs never take the
// same row), decides each one by the pure rules, sends at a bounded rate outside any transaction, and records the
// outcome. A delivery row exists once per (notification, channel) and leaves `pending` once per send, so a
// duplicate job run finds nothing to do.

interface Claimed {
  id: number
  channel: DeliveryChannel
  attempts: number
  notificationId: string
  event: string
  category: NotificationCategory
  data: unknown
  link: string | null
  locale: 'zh-CN' | 'en'
  userId: string | null
  email: string | null
}

export interface DeliveryOptions {
  channels: Channels
  now?: () => Date
  /** Deliveries sent per second at most. */
  ratePerSecond?: number
  /** Stop claiming after this long (the job re-runs for the rest). */
  budgetMs?: number
  batch?: number
  base?: string
}

export interface DeliveryReport {
  sent: number
  failed: number
  retried: number
  skipped: number
  delayed: number
  /** Whether due deliveries were left when the budget ran out. */
  more: boolean
}

export async function deliverDue(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date())
  const rate = options.ratePerSecond ?? NOTIFICATION_RULES.sendRatePerSecond
  const batch = Math.max(1, Math.min(options.batch ?? NOTIFICATION_RULES.claimBatch, rate))
  const budget = options.budgetMs ?? 30_000
  const base = options.base ?? publicBase()
  const report: DeliveryReport = { sent: 0, failed: 0, retried: 0, skipped: 0, delayed: 0, more: false }
  const started = Date.now()

  // A claim whose worker died mid-send goes back to the queue.
  await requeueStaleClaims(db, new Date(now().getTime() - NOTIFICATION_RULES.claimTimeoutMs))

  for (;;) {
    if (Date.now() - started > budget) {
      report.more = true
      break
    }
    const t0 = Date.now()
    const claimed = await claim(db, now(), batch, report)
    if (claimed === null) break
    if (claimed.length) await sendAll(db, claimed, options.channels, base, now, report)
    // Pace: a batch of n takes at least n / rate seconds.
    const floor = (Math.max(claimed.length, 1) / rate) * 1000
    const spent = Date.now() - t0
    if (spent < floor) await sleep(floor - spent)
  }
  return report
}

/** Claims up to `limit` due deliveries; null when none were due. Skips and delays are settled here. */
async function claim(db: Db, now: Date, limit: number, report: DeliveryReport): Promise<Claimed[] | null> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockDueDeliveries(trx, now, limit)
    if (!rows.length) return null
    const userIds = [...new Set(rows.map((r) => r.recipient_id).filter((x): x is string => !!x))]
    const [prefs, settings, pushers, optOuts] = userIds.length
      ? await Promise.all([
          preferencesOf(trx, userIds),
          settingsOf(trx, userIds),
          usersWithPush(trx, userIds),
          Promise.resolve([] as { email: string; event: string }[]),
        ])
      : [[], [], new Set<string>(), [] as { email: string; event: string }[]]
    const mailOnly = rows.filter((r) => r.recipient_email).map((r) => r.recipient_email!.toLowerCase())
    const optedOut = mailOnly.length ? await optOutsOf(trx, mailOnly) : optOuts

    const send: Claimed[] = []
    const skip = new Map<string, number[]>()
    const delay = new Map<number, number[]>()
    const day = localDay(now, NOTIFICATION_RULES.quietHours.timeZone)
    for (const r of rows) {
      const s = r.recipient_id ? settings.find((x) => x.user_id === r.recipient_id) : undefined
      const quiet: QuietHours = s
        ? {
            startMinute: s.quiet_start_minute,
            endMinute: s.quiet_end_minute,
            timeZone: NOTIFICATION_RULES.quietHours.timeZone,
            enabled: s.quiet_enabled,
          }
        : NOTIFICATION_RULES.quietHours
      const enabled = !isNotificationEvent(r.event)
        ? false
        : r.recipient_id
          ? channelEnabled(
              r.event,
              r.channel,
              prefs.filter((p) => p.user_id === r.recipient_id),
            )
          : !optedOut.some((o) => o.email === r.recipient_email!.toLowerCase() && o.event === r.event)
      const reachable =
        r.channel === 'email' ? !!(r.user_email ?? r.recipient_email) : !!r.recipient_id && pushers.has(r.recipient_id)
      const d = deliveryDecision({ category: r.category, enabled, reachable, now, quiet })
      if (d.kind === 'skip') {
        push(skip, d.reason, r.id)
        continue
      }
      if (d.kind === 'delay') {
        push(delay, d.until.getTime(), r.id)
        continue
      }
      if (
        r.category === 'marketing' &&
        r.recipient_id &&
        !(await takeCapSlot(trx, r.recipient_id, day, r.notification_id))
      ) {
        push(skip, 'daily_cap', r.id)
        continue
      }
      send.push({
        id: r.id,
        channel: r.channel,
        attempts: r.attempts + 1,
        notificationId: r.notification_id,
        event: r.event,
        category: r.category,
        data: r.data,
        link: r.link,
        locale: r.recipient_locale,
        userId: r.recipient_id,
        email: r.user_email ?? r.recipient_email,
      })
    }
    for (const [reason, ids] of skip) {
      await skipDeliveries(trx, ids, reason, now)
      report.skipped += ids.length
    }
    for (const [until, ids] of delay) {
      await delayDeliveries(trx, ids, new Date(until))
      report.delayed += ids.length
    }
    if (send.length) {
      await markSending(
        trx,
        send.map((c) => c.id),
        now,
      )
    }
    return send
  })
}

function push<K>(m: Map<K, number[]>, k: K, id: number) {
  const list = m.get(k)
  if (list) list.push(id)
  else m.set(k, [id])
}

/**
 * One marketing notification uses one of the member's daily slots, whichever channels carry it. Serialised per
 * member by an advisory lock, so concurrent workers never exceed the cap.
 */
async function takeCapSlot(trx: Conn, userId: string, day: string, notificationId: string): Promise<boolean> {
  await lockMarketingCap(trx, userId)
  const { used: n, mine } = await marketingCapUse(trx, userId, day, notificationId)
  if (mine) return true
  if (!capAllows(n)) return false
  await insertMarketingCapUse(trx, userId, day, notificationId)
  return true
}

async function sendAll(
  db: Db,
  claimed: Claimed[],
  channels: Channels,
  base: string,
  now: () => Date,
  report: DeliveryReport,
) {
  const subs = claimed.some((c) => c.channel === 'push')
    ? await pushSubscriptionsOf(db, [...new Set(claimed.filter((c) => c.channel === 'push').map((c) => c.userId!))])
    : []
  const sent: number[] = []
  const outcomes: Array<{ c: Claimed; error: string | null; gone?: boolean }> = []
  const goneSubs: string[] = []
  // A few sends at a time: SMTP and push services answer in tens of milliseconds.
  const queue = [...claimed]
  await Promise.all(
    Array.from({ length: Math.min(8, queue.length) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        try {
          const url = c.link ? (c.userId ? `${base}/notifications/${c.notificationId}` : `${base}${c.link}`) : null
          if (c.channel === 'email') {
            const token = unsubscribeToken(
              c.userId ? { userId: c.userId, event: c.event as never } : { email: c.email!, event: c.event as never },
            )
            await channels.sendMail(
              renderMail({
                to: c.email!,
                event: c.event,
                data: c.data,
                primary: c.locale,
                url,
                unsubscribeUrl: `${base}/notifications/unsubscribe/${token}`,
              }),
            )
            sent.push(c.id)
          } else {
            const mine = subs.filter((s) => s.user_id === c.userId)
            const payload = renderPush(c.event, c.data, url)
            let ok = 0
            for (const s of mine) {
              if ((await channels.sendPush(s, payload)) === 'gone') goneSubs.push(s.id)
              else ok += 1
            }
            if (ok > 0) sent.push(c.id)
            else outcomes.push({ c, error: null, gone: true })
          }
        } catch (e) {
          outcomes.push({ c, error: (e instanceof Error ? e.message : String(e)).slice(0, 400) })
        }
      }
    }),
  )
  const at = now()
  if (sent.length) {
    await markSent(db, sent, at)
    report.sent += sent.length
  }
  if (goneSubs.length) await deletePushSubscriptionsById(db, goneSubs)
  for (const o of outcomes) {
    if (o.gone) {
      await skipDeliveries(db, [o.c.id], 'unreachable', at)
      report.skipped += 1
      continue
    }
    const next = afterFailure(o.c.attempts, at)
    if (next.kind === 'failed') {
      await markFailed(db, o.c.id, o.error, at)
      report.failed += 1
    } else {
      await retryDeliveryAt(db, o.c.id, o.error, next.at)
      report.retried += 1
    }
  }
}
