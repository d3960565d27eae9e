import { sql } from 'kysely'
import type { Conn } from './conn'

// What the event notices read: the orders, payouts and members an event is about, and the scans that find
// events the clock makes true (restocks, orders about to be late, members behind their level, broken prices).

/** Orders with their brand, and the customer order each belongs to (if any). */
export function ordersForNotice(db: Conn, orderIds: string[]) {
  return db
    .selectFrom('orders as o')
    .innerJoin('brands as b', 'b.id', 'o.brand_id')
    .leftJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .select(['o.id', 'o.member_id', 'o.carrier', 'o.tracking_no', 'b.name', 'b.name_en', 'co.id as customer_order_id'])
    .where('o.id', 'in', orderIds)
    .execute()
}

/** Customers' orders with their customer order and the reseller's shop name, by order id. */
export function customerOrdersForNotice(db: Conn, orderIds: string[]) {
  return db
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
}

export interface DueRestock {
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
}

/**
 * Restock requests not yet answered whose size has stock again in a live session (at most 1,000), locked until
 * the transaction ends; rows another run holds are skipped.
 */
export async function lockDueRestocks(db: Conn, now: Date): Promise<DueRestock[]> {
  const { rows } = await sql<DueRestock>`
    select r.user_id, r.session_item_sku_id, r.created_at, p.title, p.title_en, k.size, k.colour, k.size_en,
      k.colour_en, p.id as product_id
    from restock_requests r
    join session_item_skus s on s.id = r.session_item_sku_id
    join session_items i on i.id = s.session_item_id
    join clearance_sessions cs on cs.id = i.session_id
    join products p on p.id = i.product_id
    join skus k on k.id = s.sku_id
    where r.notified_at is null and s.available > 0
      and cs.status = 'scheduled' and cs.starts_at <= ${now} and cs.ends_at > ${now}
    limit 1000
    for update of r skip locked`.execute(db)
  return rows
}

/** A restock request was answered. */
export async function markRestockNotified(db: Conn, userId: string, sessionItemSkuId: string, now: Date) {
  await db
    .updateTable('restock_requests')
    .set({ notified_at: now })
    .where('user_id', '=', userId)
    .where('session_item_sku_id', '=', sessionItemSkuId)
    .execute()
}

/** Paid orders whose ship-by deadline falls in (now, soon] (at most 2,000). */
export function ordersDueToShipBy(db: Conn, now: Date, soon: Date) {
  return db
    .selectFrom('orders')
    .select(['id', 'brand_id', 'ship_by_at'])
    .where('status', '=', 'paid')
    .where('ship_by_at', '>', now)
    .where('ship_by_at', '<=', soon)
    .limit(2000)
    .execute()
}

/**
 * Members whose level has a monthly keep requirement, with the points they earned this month (Shanghai time),
 * the monthly reset not counted.
 */
export async function keepLevelProgress(db: Conn, now: Date) {
  const monthStart = sql`(date_trunc('month', ${now}::timestamptz at time zone 'Asia/Shanghai')
    at time zone 'Asia/Shanghai')`
  const { rows } = await sql<{ id: string; vip_level: number; keep: number; earned: number }>`
    select u.id, u.vip_level, t.keep_points_per_month as keep,
      coalesce((select sum(g.delta) from growth_ledger g
        where g.member_id = u.id and g.created_at >= ${monthStart} and g.reason <> 'retention_reset'), 0)::int
        as earned
    from users u join vip_tiers t on t.level = u.vip_level
    where u.role = 'member' and t.keep_points_per_month is not null and t.keep_points_per_month > 0`.execute(db)
  return rows
}

/** A level's discount. */
export function tierDiscount(db: Conn, level: number) {
  return db.selectFrom('vip_tiers').select('discount_bps').where('level', '=', level).executeTakeFirst()
}

/** A session's titles. */
export function sessionTitles(db: Conn, sessionId: string) {
  return db
    .selectFrom('clearance_sessions')
    .select(['title', 'title_en'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
}

/** A payee's name (a brand's, or a reseller's display name for both languages). */
export function payeeName(db: Conn, payeeType: 'brand' | 'reseller', payeeId: string) {
  return payeeType === 'brand'
    ? db.selectFrom('brands').select(['name', 'name_en']).where('id', '=', payeeId).executeTakeFirst()
    : db
        .selectFrom('users')
        .select(['display_name as name', 'display_name as name_en'])
        .where('id', '=', payeeId)
        .executeTakeFirst()
}

/** Resellers with a price still shown to customers: a shop item or a live share link of a session not yet over. */
export async function resellersShowingPrices(db: Conn, now: Date): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`
    select si.user_id from shop_items si
      join session_items i on i.id = si.session_item_id
      join clearance_sessions s on s.id = i.session_id
      where s.status = 'scheduled' and s.ends_at > ${now}
    union
    select l.user_id from share_links l
      join clearance_sessions s on s.id = l.session_id
      where l.revoked_at is null and s.status = 'scheduled' and s.ends_at > ${now}`.execute(db)
  return rows.map((r) => r.user_id)
}
