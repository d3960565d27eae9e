// The event catalogue: every notification the product sends, who receives it, whether it is marketing (quiet
// hours and the daily cap apply) or transactional (sent at once, never capped), and which channels are on until
// the recipient changes them. Texts live in app/locales/features/notifications.ts (English: notifications.en.ts) under `notifications.events.<event>`
// with the same {{placeholders}} as the event's data. To add an event: an entry here, its two texts, then call
// `notify(trx, { event, recipient, data, dedupeKey })` in the transaction that makes it true.

export type NotificationAudience = 'member' | 'brand_staff' | 'operator' | 'customer'
export type NotificationCategory = 'marketing' | 'transactional'
export type NotificationChannel = 'inbox' | 'email' | 'push'
export const NOTIFICATION_CHANNELS = ['inbox', 'email', 'push'] as const satisfies readonly NotificationChannel[]

export interface NotificationEventSpec {
  audience: NotificationAudience
  category: NotificationCategory
  /** Channels on by default (a preference row overrides). */
  defaults: Record<NotificationChannel, boolean>
  /** The data keys the texts interpolate; notify() refuses data missing one of them. */
  fields: readonly string[]
}

const all = { inbox: true, email: true, push: true }
const inboxPush = { inbox: true, email: false, push: true }
const inboxEmail = { inbox: true, email: true, push: false }
const inboxOnly = { inbox: true, email: false, push: false }
const emailOnly = { inbox: false, email: true, push: false }

export const NOTIFICATION_EVENTS = {
  // A followed brand's session (or one the member asked to be reminded of) opens in 10 minutes / opens now.
  session_soon: { audience: 'member', category: 'marketing', defaults: all, fields: ['brand', 'session', 'startsAt'] },
  session_open: { audience: 'member', category: 'marketing', defaults: all, fields: ['brand', 'session'] },
  // "Remind me" on one item of an upcoming session: at the session's open.
  item_open: { audience: 'member', category: 'marketing', defaults: all, fields: ['brand', 'item'] },
  // A sold-out size the member asked for has stock again (holds expired or stock added).
  restock: { audience: 'member', category: 'marketing', defaults: inboxPush, fields: ['item', 'size', 'colour'] },
  order_paid: { audience: 'member', category: 'transactional', defaults: inboxEmail, fields: ['orderNo', 'brand'] },
  order_shipped: {
    audience: 'member',
    category: 'transactional',
    defaults: all,
    fields: ['orderNo', 'brand', 'carrier', 'trackingNo'],
  },
  order_auto_received: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxOnly,
    fields: ['orderNo', 'brand'],
  },
  after_sale_decided: { audience: 'member', category: 'transactional', defaults: all, fields: ['orderNo', 'decision'] },
  // 保级: five days before the month ends, when this month's points are below the keep requirement.
  keep_level_reminder: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['level', 'missing', 'keep'],
  },
  // `price`: what the new level pays, already worded (9折 / 10% off).
  level_changed: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['from', 'to', 'price'],
  },
  // A reseller's retail price that customers see (shop, share link) is under a floor after the floor moved.
  reseller_price_broken: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['count', 'item'],
  },
  // Money paid out to a reseller (her earnings), or a transfer that failed.
  reseller_payout_sent: { audience: 'member', category: 'transactional', defaults: inboxEmail, fields: ['amount'] },
  reseller_payout_failed: { audience: 'member', category: 'transactional', defaults: inboxEmail, fields: ['amount'] },
  // A reseller's customer paid / her parcel shipped: told to the reseller (her customer's name, never the e-mail).
  customer_order_paid: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxPush,
    fields: ['customer', 'orderNo', 'amount'],
  },
  customer_order_shipped: {
    audience: 'member',
    category: 'transactional',
    defaults: inboxPush,
    fields: ['customer', 'orderNo', 'carrier', 'trackingNo'],
  },
  // The same, by e-mail to the customer when she gave one (she has no account: e-mail only, to her private page).
  customer_paid_mail: {
    audience: 'customer',
    category: 'transactional',
    defaults: emailOnly,
    fields: ['orderNo', 'shop', 'amount'],
  },
  customer_shipped_mail: {
    audience: 'customer',
    category: 'transactional',
    defaults: emailOnly,
    fields: ['orderNo', 'shop', 'carrier', 'trackingNo'],
  },
  order_late_soon: { audience: 'brand_staff', category: 'transactional', defaults: all, fields: ['orderNo', 'shipBy'] },
  settlement_ready: {
    audience: 'brand_staff',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['session', 'payable'],
  },
  payout_sent: {
    audience: 'brand_staff',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['session', 'amount'],
  },
  payout_failed: {
    audience: 'brand_staff',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['session', 'amount'],
  },
  application_waiting: { audience: 'operator', category: 'transactional', defaults: inboxEmail, fields: ['company'] },
  after_sale_waiting: {
    audience: 'operator',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['orderNo', 'kind'],
  },
  // Any payout (brand or reseller) the provider refused: it waits for the operator's retry.
  payout_failed_operator: {
    audience: 'operator',
    category: 'transactional',
    defaults: inboxEmail,
    fields: ['payee', 'amount', 'error'],
  },
} as const satisfies Record<string, NotificationEventSpec>

export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS
export const NOTIFICATION_EVENT_NAMES = Object.keys(NOTIFICATION_EVENTS) as NotificationEvent[]

export function isNotificationEvent(v: unknown): v is NotificationEvent {
  return typeof v === 'string' && Object.hasOwn(NOTIFICATION_EVENTS, v)
}

export function eventSpec(event: NotificationEvent): NotificationEventSpec {
  return NOTIFICATION_EVENTS[event]
}

/** The events a role can receive (the preferences page lists these). */
export function eventsFor(audience: NotificationAudience): NotificationEvent[] {
  return NOTIFICATION_EVENT_NAMES.filter((e) => NOTIFICATION_EVENTS[e].audience === audience)
}

/** The data keys an event's texts need that `data` lacks. */
export function missingFields(event: NotificationEvent, data: Record<string, unknown>): string[] {
  return NOTIFICATION_EVENTS[event].fields.filter((f) => data[f] === undefined || data[f] === null)
}
