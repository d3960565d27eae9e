import {
  NOTIFICATION_EVENTS,
  type NotificationCategory,
  type NotificationChannel,
  type NotificationEvent,
} from './notification-events'

// Rules of sending: preferences, quiet hours, the daily cap on marketing reminders, retries. All pure, all take `now`.

export const NOTIFICATION_RULES = {
  /** Quiet hours (local minutes of the day, start inclusive, end exclusive); marketing waits until they end. */
  quietHours: { startMinute: 22 * 60, endMinute: 8 * 60, timeZone: 'Asia/Shanghai' },
  /** Marketing notifications that may interrupt a member (e-mail or push) per local day. */
  marketingDailyCap: 5,
  /** Send attempts per delivery before it is recorded as failed; the wait doubles from retryBaseMs up to retryMaxMs. */
  maxAttempts: 6,
  retryBaseMs: 30_000,
  retryMaxMs: 60 * 60 * 1000,
  /** A delivery claimed this long ago whose worker never answered (crash) is tried again. */
  claimTimeoutMs: 10 * 60 * 1000,
  /** Lead of the "opens soon" reminder, and how early its fan-out is written (before the grab storm). */
  sessionSoonLeadMs: 10 * 60 * 1000,
  planAheadMs: 11 * 60 * 1000,
  /** Brands are warned this long before an order's ship-by deadline. */
  lateWarningMs: 2 * 60 * 60 * 1000,
  /** The keep-level reminder goes out when this many days or fewer are left in the month. */
  keepReminderDaysLeft: 5,
  /** Deliveries sent per second by the worker (a bounded rate keeps a fan-out from crowding the database). */
  sendRatePerSecond: 200,
  /** Deliveries claimed per database round trip. */
  claimBatch: 100,
} as const

export interface QuietHours {
  startMinute: number
  endMinute: number
  timeZone: string
  enabled?: boolean
}

const partsCache = new Map<string, Intl.DateTimeFormat>()
function localParts(now: Date, timeZone: string) {
  let f = partsCache.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    partsCache.set(timeZone, f)
  }
  const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]))
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  }
}

/** The calendar day at `now` in the zone, as YYYY-MM-DD (the daily cap counts per local day). */
export function localDay(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

function inWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return false
  return start < end ? minute >= start && minute < end : minute >= start || minute < end
}

/** When the quiet period `now` falls in ends, or null when `now` is outside quiet hours. */
export function quietUntil(now: Date, quiet: QuietHours): Date | null {
  if (quiet.enabled === false) return null
  const p = localParts(now, quiet.timeZone)
  const minute = p.hour * 60 + p.minute
  if (!inWindow(minute, quiet.startMinute, quiet.endMinute)) return null
  const wait = (quiet.endMinute - minute + 1440) % 1440
  return new Date(now.getTime() + wait * 60_000 - p.second * 1000 - now.getMilliseconds())
}

export type DeliveryDecision =
  { kind: 'send' } | { kind: 'delay'; until: Date } | { kind: 'skip'; reason: 'preference' | 'unreachable' }

/**
 * What to do with a due delivery: skip it when the recipient turned the channel off or cannot be reached on it
 * (no e-mail address, no push subscription), hold marketing until quiet hours end, otherwise send.
 * Transactional notifications ignore quiet hours. The daily cap is checked after this (capAllows) under a lock.
 */
export function deliveryDecision(input: {
  category: NotificationCategory
  enabled: boolean
  reachable: boolean
  now: Date
  quiet: QuietHours
}): DeliveryDecision {
  if (!input.enabled) return { kind: 'skip', reason: 'preference' }
  if (!input.reachable) return { kind: 'skip', reason: 'unreachable' }
  if (input.category === 'marketing') {
    const until = quietUntil(input.now, input.quiet)
    if (until) return { kind: 'delay', until }
  }
  return { kind: 'send' }
}

/** Whether one more marketing notification fits in the member's day. */
export function capAllows(usedToday: number, cap: number = NOTIFICATION_RULES.marketingDailyCap): boolean {
  return usedToday < cap
}

/** After a failed attempt (attempts counts it): retry at a later time, or give up. */
export function afterFailure(
  attempts: number,
  now: Date,
  rules: { maxAttempts: number; retryBaseMs: number; retryMaxMs: number } = NOTIFICATION_RULES,
): { kind: 'retry'; at: Date } | { kind: 'failed' } {
  if (attempts >= rules.maxAttempts) return { kind: 'failed' }
  const wait = Math.min(rules.retryBaseMs * 2 ** Math.max(0, attempts - 1), rules.retryMaxMs)
  return { kind: 'retry', at: new Date(now.getTime() + wait) }
}

/** Whether the event is on for the channel: the recipient's own choice, else the catalogue default. */
export function channelEnabled(
  event: NotificationEvent,
  channel: NotificationChannel,
  choices: ReadonlyArray<{ event: string; channel: string; enabled: boolean }>,
): boolean {
  const own = choices.find((c) => c.event === event && c.channel === channel)
  return own ? own.enabled : NOTIFICATION_EVENTS[event].defaults[channel]
}

/**
 * 'YYYY-MM' of the month when its keep-level reminder is due at `now` (≤ keepReminderDaysLeft days left), else
 * null.
 */
export function keepReminderMonth(
  now: Date,
  timeZone: string,
  daysLeft: number = NOTIFICATION_RULES.keepReminderDaysLeft,
): string | null {
  const p = localParts(now, timeZone)
  const lastDay = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate()
  if (lastDay - p.day > daysLeft) return null
  return `${p.year}-${String(p.month).padStart(2, '0')}`
}

/** Minutes of the day from an "HH:MM" string, or null when malformed. */
export function parseClock(v: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
}

/** Interpolates {{key}} placeholders of a catalogue text with an event's data. */
export function fillText(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
    data[k] === undefined || data[k] === null ? '' : String(data[k]),
  )
}
