import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
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
  const rows = await trx
    .selectFrom('orders as o')
    .innerJoin('brands as b', 'b.id', 'o.brand_id')
    .leftJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .select(['o.id', 'o.member_id', 'o.carrier', 'o.tracking_no', 'b.name', 'b.name_en', 'co.id as customer_order_id'])
    .where('o.id', 'in', orderIds)
    .execute()
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
  const rows = await trx
    .selectFrom('orders as o')
    .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .innerJoin('users as u', 'u.id', 'co.reseller_id')
    .leftJoin('reseller_profiles as rp', 'rp.user_id', 'co.reseller_id')
    .select([
      'o.id',
      'o.checkout_id',
      'o.carrier',
      'o.tracking_no',
      'co.id as customer_order_id',
      'co.reseller_id',
      'co.name',
      'co.email',
      'co.locale',
      'co.token',
      'co.retail_total_minor',
      'co.currency',
      sql<string>`coalesce(nullif(rp.display_name, ''), u.display_name)`.as('shop'),
    ])
    .where('o.id', 'in', orderIds)
    .orderBy('o.id')
    .execute()
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
    const due = await sql<{
      user_id: string
      session_item_sku_id: string
      created_at: Date
      title: string
      title_en: string
      size: string
      colour: string
      size_en: string
      colour_en: string
      product_id: string
    }>`
      select r.user_id, r.session_item_sku_id, r.created_at, p.title, p.title_en, k.size, k.colour, k.size_en, k.colour_en, p.id as product_id
      from restock_requests r
      join session_item_skus s on s.id = r.session_item_sku_id
      join session_items i on i.id = s.session_item_id
      join clearance_sessions cs on cs.id = i.session_id
      join products p on p.id = i.product_id
      join skus k on k.id = s.sku_id
      where r.notified_at is null and s.available > 0 and cs.status = 'scheduled' and cs.starts_at <= ${now} and cs.ends_at > ${now}
      limit 1000
      for update of r skip locked`.execute(trx)
    for (const r of due.rows) {
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
      await trx
        .updateTable('restock_requests')
        .set({ notified_at: now })
        .where('user_id', '=', r.user_id)
        .where('session_item_sku_id', '=', r.session_item_sku_id)
        .execute()
    }
    return due.rows.length
  })
}

/** Brands hear about paid orders whose ship-by deadline is less than two hours away. */
export async function warnLateOrders(db: Db, now: Date): Promise<number> {
  const soon = new Date(now.getTime() + NOTIFICATION_RULES.lateWarningMs)
  return db.transaction().execute(async (trx) => {
    const orders = await trx
      .selectFrom('orders')
      .select(['id', 'brand_id', 'ship_by_at'])
      .where('status', '=', 'paid')
      .where('ship_by_at', '>', now)
      .where('ship_by_at', '<=', soon)
      .limit(2000)
      .execute()
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
  const monthStart = sql`(date_trunc('month', ${now}::timestamptz at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')`
  const behind = await sql<{ id: string; vip_level: number; keep: number; earned: number }>`
    select u.id, u.vip_level, t.keep_points_per_month as keep,
      coalesce((select sum(g.delta) from growth_ledger g where g.member_id = u.id and g.created_at >= ${monthStart} and g.reason <> 'retention_reset'), 0)::int as earned
    from users u join vip_tiers t on t.level = u.vip_level
    where u.role = 'member' and t.keep_points_per_month is not null and t.keep_points_per_month > 0`.execute(db)
  let n = 0
  for (const m of behind.rows.filter((r) => r.earned < r.keep)) {
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
  const tier = await trx.selectFrom('vip_tiers').select('discount_bps').where('level', '=', input.to).executeTakeFirst()
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
    const session = payout.session_id
      ? await trx
          .selectFrom('clearance_sessions')
          .select(['title', 'title_en'])
          .where('id', '=', payout.session_id)
          .executeTakeFirst()
      : undefined
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
    const payee =
      payout.payee_type === 'brand'
        ? await trx
            .selectFrom('brands')
            .select(['name', 'name_en'])
            .where('id', '=', payout.payee_id)
            .executeTakeFirst()
        : await trx
            .selectFrom('users')
            .select(['display_name as name', 'display_name as name_en'])
            .where('id', '=', payout.payee_id)
            .executeTakeFirst()
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
  const sellers = await sql<{ user_id: string }>`
    select si.user_id from shop_items si
      join session_items i on i.id = si.session_item_id
      join clearance_sessions s on s.id = i.session_id
      where s.status = 'scheduled' and s.ends_at > ${now}
    union
    select l.user_id from share_links l
      join clearance_sessions s on s.id = l.session_id
      where l.revoked_at is null and s.status = 'scheduled' and s.ends_at > ${now}`.execute(db)
  let n = 0
  for (const { user_id } of sellers.rows) {
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
