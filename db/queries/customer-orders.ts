import { sql } from 'kysely'
import type { Conn } from './conn'
import type { PriceAlertReason } from '../schema/customer-orders'

/** Counts `quantity` more against a customer's cap (per mobile number); undefined when that would pass the cap. */
export async function takeAgainstCustomerCap(
  db: Conn,
  phone: string,
  sessionItemSkuId: string,
  quantity: number,
  cap: number,
) {
  const { rows } = await sql<{ taken: number }>`
    insert into customer_sku_takes as t (phone, session_item_sku_id, taken)
    select ${phone}, ${sessionItemSkuId}, ${quantity} where ${quantity}::int <= ${cap}::int
    on conflict (phone, session_item_sku_id) do update set taken = t.taken + excluded.taken
      where t.taken + excluded.taken <= ${cap}::int
    returning taken`.execute(db)
  return rows[0]
}

/** The customer's mobile number when a checkout is a customer order (caps were counted against it). */
export async function customerPhoneOfCheckout(db: Conn, checkoutId: string): Promise<string | null> {
  const row = await db
    .selectFrom('customer_orders')
    .select('phone')
    .where('checkout_id', '=', checkoutId)
    .executeTakeFirst()
  return row?.phone ?? null
}

export function findCustomerOrderByIdempotencyKey(db: Conn, key: string) {
  return db.selectFrom('customer_orders').selectAll().where('idempotency_key', '=', key).executeTakeFirst()
}

/** The share link a customer orders from: whose it is and whether it was revoked. */
export function findShareLinkForOrders(db: Conn, token: string) {
  return db
    .selectFrom('share_links')
    .select(['id', 'user_id', 'revoked_at'])
    .where('token', '=', token)
    .executeTakeFirst()
}

/** What a share link offers for the SKUs asked about: the link's retail price and what the checks need. */
export function shareLinkOffer(db: Conn, token: string, sessionItemSkuIds: string[]) {
  return db
    .selectFrom('share_links as l')
    .innerJoin('share_link_items as li', 'li.share_link_id', 'l.id')
    .innerJoin('session_items as i', 'i.id', 'li.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .innerJoin('session_item_skus as k', 'k.session_item_id', 'i.id')
    .select([
      'l.id as link_id',
      'l.user_id as reseller_id',
      'l.revoked_at',
      'i.id as session_item_id',
      'k.id as session_item_sku_id',
      'li.retail_price_minor',
      'li.currency',
      'i.base_price_minor',
      'i.min_retail_price_minor',
      'p.tag_cut',
    ])
    .where('l.token', '=', token)
    .where('k.id', 'in', sessionItemSkuIds)
    .execute()
}

export function findResellerForOrders(db: Conn, resellerId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('reseller_profiles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.role', 'u.vip_level', 'u.display_name', 'r.display_name as shop_name'])
    .where('u.id', '=', resellerId)
    .executeTakeFirst()
}

/** Serialises a mobile number's and a client's orders (hold limits are counted, then an order is placed). */
export async function lockCustomerKeys(db: Conn, keys: string[]) {
  for (const k of [...keys].sort())
    await sql`select pg_advisory_xact_lock(hashtextextended(${'customer:' + k}, 0))`.execute(db)
}

/** Unpaid customer orders still holding stock, for a mobile number and for a client. */
export async function countOpenHolds(db: Conn, phone: string, clientKey: string, now: Date) {
  const { rows } = await sql<{ phone_n: number; client_n: number }>`
    select count(*) filter (where co.phone = ${phone})::int as phone_n, count(*) filter (where co.client_key = ${clientKey})::int as client_n
    from customer_orders co join checkouts c on c.id = co.checkout_id
    where (co.phone = ${phone} or co.client_key = ${clientKey}) and c.status = 'pending_payment' and c.expires_at > ${now}`.execute(
    db,
  )
  return { openForPhone: rows[0]?.phone_n ?? 0, openForClient: rows[0]?.client_n ?? 0 }
}

export function checkoutOrderLines(db: Conn, checkoutId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.id', 'l.session_item_sku_id', 'l.unit_price_minor', 'l.quantity'])
    .where('o.checkout_id', '=', checkoutId)
    .execute()
}

export async function recordPriceAlerts(
  db: Conn,
  resellerId: string,
  alerts: { sessionItemId: string; reason: PriceAlertReason; retailPriceMinor: number }[],
  now: Date,
) {
  if (!alerts.length) return
  await db
    .insertInto('reseller_price_alerts')
    .values(
      alerts.map((a) => ({
        reseller_id: resellerId,
        session_item_id: a.sessionItemId,
        reason: a.reason,
        retail_price_minor: a.retailPriceMinor,
        last_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['reseller_id', 'session_item_id']).doUpdateSet((eb) => ({
        reason: eb.ref('excluded.reason'),
        retail_price_minor: eb.ref('excluded.retail_price_minor'),
        last_at: eb.ref('excluded.last_at'),
        refused: sql`reseller_price_alerts.refused + 1`,
      })),
    )
    .execute()
}

/** Paid customer lines of a checkout, with what an earning row needs. */
export function customerLinesOfCheckout(db: Conn, checkoutId: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('customer_order_lines as cl', 'cl.customer_order_id', 'co.id')
    .innerJoin('order_lines as l', 'l.id', 'cl.order_line_id')
    .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
    .select([
      'co.id as customer_order_id',
      'co.reseller_id',
      'co.currency',
      'l.id as order_line_id',
      'l.quantity',
      'cl.retail_unit_minor',
      'cl.own_unit_minor',
      's.after_sale_deadline_at',
    ])
    .where('co.checkout_id', '=', checkoutId)
    .execute()
}

/** The customer lines of one order (empty for a member's own order). */
export function customerLinesOfOrder(db: Conn, orderId: string) {
  return db
    .selectFrom('customer_order_lines as cl')
    .innerJoin('order_lines as l', 'l.id', 'cl.order_line_id')
    .innerJoin('customer_orders as co', 'co.id', 'cl.customer_order_id')
    .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
    .select([
      'cl.order_line_id',
      'cl.customer_order_id',
      'cl.retail_unit_minor',
      'cl.own_unit_minor',
      'co.reseller_id',
      'co.currency',
      's.after_sale_deadline_at',
    ])
    .where('l.order_id', '=', orderId)
    .execute()
}

export interface EarningRow {
  resellerId: string
  customerOrderId: string
  orderLineId: string
  kind: 'earning' | 'reversal'
  quantity: number
  amountMinor: number
  currency: string
  availableAt: Date
  orderRefundId: string | null
  at: Date
}

/** Appends ledger rows; a repeat of the same line's earning or the same refund's reversal is ignored. */
export async function appendEarnings(db: Conn, rows: EarningRow[]) {
  if (!rows.length) return 0
  const r = await db
    .insertInto('reseller_earnings')
    .values(
      rows.map((e) => ({
        reseller_id: e.resellerId,
        customer_order_id: e.customerOrderId,
        order_line_id: e.orderLineId,
        kind: e.kind,
        quantity: e.quantity,
        amount_minor: e.amountMinor,
        currency: e.currency,
        available_at: e.availableAt,
        order_refund_id: e.orderRefundId,
        created_at: e.at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0)
}

export function listEarnings(db: Conn, resellerId: string) {
  return db
    .selectFrom('reseller_earnings as e')
    .innerJoin('order_lines as l', 'l.id', 'e.order_line_id')
    .innerJoin('customer_orders as co', 'co.id', 'e.customer_order_id')
    .select([
      'e.id',
      'e.kind',
      'e.quantity',
      'e.amount_minor',
      'e.currency',
      'e.available_at',
      'e.created_at',
      'e.order_line_id',
      'e.customer_order_id',
      'l.title',
      'l.size',
      'l.colour',
      'co.name as customer_name',
    ])
    .where('e.reseller_id', '=', resellerId)
    .orderBy('e.id', 'desc')
    .execute()
}

/** A filter for members' own order pages: the order is not one her customers placed through her pages. */
export const notACustomerOrder = (checkoutIdRef: string) =>
  sql<boolean>`not exists (select 1 from customer_orders x where x.checkout_id = ${sql.ref(checkoutIdRef)})`
