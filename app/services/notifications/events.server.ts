import { createHash } from 'node:crypto'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  customerOrdersForNotice,
  keepLevelProgress,
  lockDueRestocks,
  markRestockNotified,
  ordersDueToShipBy,
  ordersForNotice,
  payeeName,
  resellersShowingPrices,
  sessionTitles,
  tierDiscount,
} from '#db/queries/notification-events'
import type { Payout } from '#db/schema/payouts'
import { i18nFor, type Locale } from '#app/i18n'
import { discountWords } from '#app/domain/discount-words'
import { formatMoney, type Currency } from '#app/domain/money'
import { NOTIFICATION_RULES, keepReminderMonth } from '#app/domain/notifications'
import { priceIssues } from '#app/services/reseller/offers.server'
import { brandStaff, notify, notifyMany, operators } from './notify.server'

// Events found by scanning (the clock, not a request, makes them true): restocks, orders about to be late,
// keep-level reminders (session reminders live in session-reminders.server.ts). Each runs from a cron task and is
// safe to repeat: the dedupe keys make a second run write nothing.

export const orderNo = (orderId: string) => orderId.slice(0, 8).toUpperCase()

type OrderEvent = 'order_paid' | 'order_shipped' | 'order_auto_received'

/**
 * Tells members about their orders (in the caller's transaction): paid, shipped with tracking, received automatically.
 * A customer order is the reseller's only on paper: it is told as her customer's (`customerOrderNotices`), never as
 * her own purchase.
 */
export async function orderNotices(trx: Conn, event: OrderEvent, orderIds: string[], now: Date): Promise<void> {
  if (!orderIds.length) return
  const rows = await ordersForNotice(trx, orderIds)
  const ofCustomers = rows.filter((o) => o.customer_order_id).map((o) => o.id)
  if (ofCustomers.length && event !== 'order_auto_received')
    await customerOrderNotices(trx, event === 'order_paid' ? 'paid' : 'shipped', ofCustomers, now)
  for (const o of rows) {
    if (o.customer_order_id) continue
    await notify(trx, {
      event,
      recipient: { userId: o.member_id },
      dedupeKey: o.id,
      link: `/orders/${o.id}`,
      now,
      data: {
        orderNo: orderNo(o.id),
        brand: o.name,
        brandEn: o.name_en,
        ...(event === 'order_shipped' ? { carrier: o.carrier ?? '', trackingNo: o.tracking_no ?? '' } : {}),
      },
    })
  }
}

/**
 * A reseller's customer paid (once per customer order) or one of her parcels shipped (once per parcel): the reseller
 * hears it in her inbox and by push, linked to her customers page; the customer, when she gave an e-mail address,
 * gets a mail leading with the language she ordered in, linked to her private order page. The mail names the shop
 * and what she paid, never the reseller's own price, level or anything of the brand's side.
 */
export async function customerOrderNotices(
  trx: Conn,
  event: 'paid' | 'shipped',
  orderIds: string[],
  now: Date,
): Promise<void> {
  if (!orderIds.length) return
  const rows = await customerOrdersForNotice(trx, orderIds)
  const told = new Set<string>()
  for (const o of rows) {
    // Paid is one event per customer order (one checkout, one payment), shipped one per parcel.
    const key = event === 'paid' ? o.customer_order_id : o.id
    if (told.has(key)) continue
    told.add(key)
    const no = orderNo(o.checkout_id)
    const money = (locale: string) =>
      formatMoney({ amountMinor: o.retail_total_minor, currency: o.currency as Currency }, locale)
    const shipping = { carrier: o.carrier ?? '', trackingNo: o.tracking_no ?? '' }
    await notify(trx, {
      event: event === 'paid' ? 'customer_order_paid' : 'customer_order_shipped',
      recipient: { userId: o.reseller_id },
      dedupeKey: key,
      link: '/reseller/customers',
      now,
      data:
        event === 'paid'
          ? { customer: o.name, orderNo: no, amount: money('zh-CN'), amountEn: money('en') }
          : { customer: o.name, orderNo: no, ...shipping },
    })
    if (!o.email) continue
    await notify(trx, {
      event: event === 'paid' ? 'customer_paid_mail' : 'customer_shipped_mail',
      recipient: { email: o.email, locale: o.locale },
      dedupeKey: key,
      link: `/o/${o.token}`,
      now,
      data:
        event === 'paid'
          ? { orderNo: no, shop: o.shop, amount: money('zh-CN'), amountEn: money('en') }
          : { orderNo: no, shop: o.shop, ...shipping },
    })
  }
}

/** Restock alerts: a size a member asked for that has stock again in a live session (holds expired or stock added). */
export async function checkRestocks(db: Db, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await lockDueRestocks(trx, now)
    for (const r of due) {
      await notify(trx, {
        event: 'restock',
        recipient: { userId: r.user_id },
        now,
        link: `/products/${r.product_id}`,
        dedupeKey: `${r.session_item_sku_id}@${new Date(r.created_at).toISOString()}`,
        data: {
          item: r.title,
          itemEn: r.title_en || r.title,
          size: r.size,
          sizeEn: r.size_en,
          colour: r.colour,
          colourEn: r.colour_en,
        },
      })
      await markRestockNotified(trx, r.user_id, r.session_item_sku_id, now)
    }
    return due.length
  })
}

/** Brands hear about paid orders whose ship-by deadline is less than two hours away. */
export async function warnLateOrders(db: Db, now: Date): Promise<number> {
  const soon = new Date(now.getTime() + NOTIFICATION_RULES.lateWarningMs)
  return db.transaction().execute(async (trx) => {
    const orders = await ordersDueToShipBy(trx, now, soon)
    let n = 0
    for (const o of orders) {
      n += await notifyMany(trx, {
        event: 'order_late_soon',
        recipients: brandStaff(o.brand_id),
        dedupeKey: o.id,
        link: '/brand/orders',
        now,
        data: {
          orderNo: orderNo(o.id),
          shipBy: new Date(o.ship_by_at!).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        },
      })
    }
    return n
  })
}

/**
 * 保级: in the last days of the month, members whose points this month are below their level's keep requirement
 * are told what is missing (once a month).
 */
export async function remindKeepLevel(db: Db, now: Date): Promise<number> {
  const month = keepReminderMonth(now, NOTIFICATION_RULES.quietHours.timeZone)
  if (!month) return 0
  const behind = await keepLevelProgress(db, now)
  let n = 0
  for (const m of behind.filter((r) => r.earned < r.keep)) {
    n += await notify(db, {
      event: 'keep_level_reminder',
      recipient: { userId: m.id },
      dedupeKey: month,
      link: '/account',
      now,
      data: { level: `VIP${m.vip_level}`, missing: m.keep - m.earned, keep: m.keep },
    })
  }
  return n
}

/**
 * A member's level moved (up by purchases, down at the monthly judgement): she is told the new level and the price
 * it gives, in 折 for Chinese readers and percent off in English, as the member centre words it.
 */
export async function levelChanged(
  trx: Conn,
  input: { memberId: string; from: number; to: number; key: string; now: Date },
) {
  if (input.from === input.to) return
  const label = (l: number) => (l === 0 ? 'Trial' : `VIP${l}`)
  const tier = await tierDiscount(trx, input.to)
  const words = discountWords(10_000 - (tier?.discount_bps ?? 0))
  const price = (locale: Locale) => {
    const t = i18nFor(locale).t
    return words ? t('discounts.change.price', words) : t('discounts.change.priceBase')
  }
  await notify(trx, {
    event: 'level_changed',
    recipient: { userId: input.memberId },
    data: { from: label(input.from), to: label(input.to), price: price('zh-CN'), priceEn: price('en') },
    dedupeKey: input.key,
    link: '/account',
    now: input.now,
  })
}

/**
 * A payout went out or failed (in the caller's transaction, with the status change): the payee hears — a brand's
 * staff, or the reseller herself — and operators hear of every failure, since a failed payout waits for their retry.
 * A failure is reported once per attempt: `attempt` is the attempt that failed.
 */
export async function payoutNotice(
  trx: Conn,
  outcome: 'sent' | 'failed',
  payout: Pick<Payout, 'id' | 'payee_type' | 'payee_id' | 'session_id' | 'amount_minor' | 'currency' | 'error'>,
  attempt: number,
  now: Date,
): Promise<void> {
  const money = (locale: string) =>
    formatMoney({ amountMinor: payout.amount_minor, currency: payout.currency as Currency }, locale)
  const amount = { amount: money('zh-CN'), amountEn: money('en') }
  const key = outcome === 'sent' ? payout.id : `${payout.id}#${attempt}`
  if (payout.payee_type === 'brand') {
    const session = payout.session_id ? await sessionTitles(trx, payout.session_id) : undefined
    await notifyMany(trx, {
      event: outcome === 'sent' ? 'payout_sent' : 'payout_failed',
      recipients: brandStaff(payout.payee_id),
      dedupeKey: key,
      link: '/brand/payouts',
      now,
      data: { ...amount, session: session?.title ?? '', sessionEn: session?.title_en || session?.title || '' },
    })
  } else {
    await notify(trx, {
      event: outcome === 'sent' ? 'reseller_payout_sent' : 'reseller_payout_failed',
      recipient: { userId: payout.payee_id },
      dedupeKey: key,
      link: '/reseller/payouts',
      now,
      data: amount,
    })
  }
  if (outcome === 'failed') {
    const payee = await payeeName(trx, payout.payee_type, payout.payee_id)
    await notifyMany(trx, {
      event: 'payout_failed_operator',
      recipients: operators(),
      dedupeKey: key,
      link: '/admin/payouts',
      now,
      data: {
        ...amount,
        payee: payee?.name ?? payout.payee_id,
        payeeEn: payee?.name_en || payee?.name || payout.payee_id,
        error: (payout.error ?? '').slice(0, 200),
      },
    })
  }
}

/**
 * Resellers whose retail prices, still shown to customers on their shop or share links, now break a floor (the
 * brand raised its minimum or base price, the VIP table changed, her level dropped): each hears once per distinct
 * set of broken prices, so a later change that breaks another price, or breaks one again at a new floor, tells her
 * again, and a repeated scan does not.
 */
export async function checkResellerPrices(db: Db, now: Date): Promise<number> {
  const sellers = await resellersShowingPrices(db, now)
  let n = 0
  for (const user_id of sellers) {
    const issues = await priceIssues(db, user_id, now)
    if (!issues.length) continue
    const fingerprint = issues
      .map((i) => `${i.itemId}:${i.priceMinor}:${i.violation.floor}:${i.violation.floorMinor}`)
      .sort()
      .join('|')
    n += await notify(db, {
      event: 'reseller_price_broken',
      recipient: { userId: user_id },
      link: '/reseller/shop',
      now,
      dedupeKey: createHash('sha256').update(fingerprint).digest('hex').slice(0, 40),
      data: { count: issues.length, item: issues[0].title, itemEn: issues[0].titleEn || issues[0].title },
    })
  }
  return n
}

export { operators, brandStaff }
