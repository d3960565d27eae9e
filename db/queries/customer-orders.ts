import { sql } from 'kysely'
import type { Conn } from './conn'
import type { PriceAlertReason } from '../schema/customer-orders'

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

/** What her shop offers for the SKUs asked about: her shop price for each item on her shelves, and what the checks need. */
export function shopOffer(db: Conn, resellerId: string, sessionItemSkuIds: string[]) {
  return db
    .selectFrom('shop_items as si')
    .innerJoin('reseller_prices as rp', (j) =>
      j.onRef('rp.session_item_id', '=', 'si.session_item_id').onRef('rp.user_id', '=', 'si.user_id'),
    )
    .innerJoin('session_items as i', 'i.id', 'si.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .innerJoin('session_item_skus as k', 'k.session_item_id', 'i.id')
    .select([
      'i.id as session_item_id',
      'k.id as session_item_sku_id',
      'rp.retail_price_minor',
      'rp.currency',
      'i.base_price_minor',
      'i.min_retail_price_minor',
      'p.tag_cut',
    ])
    .where('si.user_id', '=', resellerId)
    .where('k.id', 'in', sessionItemSkuIds.length ? sessionItemSkuIds : ['00000000-0000-0000-0000-000000000000'])
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

/**
 * Customer lines — of one order, or among some order lines — with whose customer they are, the retail and own unit
 * prices and the session's after-sale deadline. Members' own lines are not among them.
 */
export function customerLines(db: Conn, of: { orderId: string } | { orderLineIds: string[] }) {
  const q = db
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
  if ('orderId' in of) return q.where('l.order_id', '=', of.orderId).execute()
  if (!of.orderLineIds.length) return Promise.resolve([])
  return q.where('cl.order_line_id', 'in', of.orderLineIds).execute()
}

/** Her markup on a paid checkout, per session: (retail − her own price) × units of its customer lines. */
export function checkoutEarnings(db: Conn, checkoutId: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('customer_order_lines as cl', 'cl.customer_order_id', 'co.id')
    .innerJoin('order_lines as l', 'l.id', 'cl.order_line_id')
    .select([
      'co.reseller_id',
      'l.session_id',
      sql<string>`sum((cl.retail_unit_minor - cl.own_unit_minor) * l.quantity)`.as('earning'),
    ])
    .where('co.checkout_id', '=', checkoutId)
    .groupBy(['co.reseller_id', 'l.session_id'])
    .execute()
}

/**
 * Sessions whose pending earnings may become available: the after-sale deadline has passed and none of her
 * customers' after-sale requests in the session is still open. `postings` numbers the pending postings so far, so a
 * release is posted once per state of the pending balance.
 */
export function releasableEarnings(db: Conn, now: Date, resellerId?: string) {
  let q = db
    .selectFrom('ledger_postings as p')
    .innerJoin('clearance_sessions as s', 's.id', 'p.session_id')
    .select([
      'p.party_id',
      'p.session_id',
      'p.currency',
      sql<string>`sum(p.amount_minor)`.as('balance'),
      sql<number>`count(*)::int`.as('postings'),
    ])
    .where('p.account', '=', 'reseller_pending')
    .where('s.after_sale_deadline_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('after_sale_requests as r')
            .innerJoin('orders as o', 'o.id', 'r.order_id')
            .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
            .innerJoin('order_lines as l', 'l.order_id', 'o.id')
            .select(sql`1`.as('x'))
            .where('r.status', '=', 'open')
            .whereRef('co.reseller_id', '=', 'p.party_id')
            .whereRef('l.session_id', '=', 'p.session_id'),
        ),
      ),
    )
    .groupBy(['p.party_id', 'p.session_id', 'p.currency'])
    .having(sql`sum(p.amount_minor)`, '<', 0)
  if (resellerId) q = q.where('p.party_id', '=', resellerId)
  return q.execute()
}

/** Her earnings as the journal has them: every posting to her pending and available accounts, newest first, with the customer order it came from. */
export function earningsPostings(db: Conn, resellerId: string) {
  return sql<{
    entry_id: string
    reference: string
    kind: string
    occurred_at: Date
    account: 'reseller_pending' | 'reseller_available'
    amount_minor: string
    currency: string
    session_title: string | null
    customer_name: string | null
    order_token: string | null
  }>`
    select e.id::text as entry_id, e.reference, e.kind, e.occurred_at, p.account, p.amount_minor::text, p.currency, s.title as session_title,
      co.name as customer_name, co.token as order_token
    from ledger_postings p
      join ledger_entries e on e.id = p.entry_id
      left join clearance_sessions s on s.id = p.session_id
      left join lateral (
        select c.checkout_id from payments pay join customer_orders c on c.checkout_id::text = pay.reference_id
        where pay.id = case when e.reference like 'payment:%' then substring(e.reference from 9)::uuid end
        union all
        select o.checkout_id from order_refunds r join orders o on o.id = r.order_id
        where r.id = case when e.reference like 'refund-owed:order-refund:%' then substring(e.reference from 26)::uuid end
        limit 1
      ) src on true
      left join customer_orders co on co.checkout_id = src.checkout_id
    where p.party_id = ${resellerId} and p.account in ('reseller_pending', 'reseller_available')
    order by e.id desc, p.account
    limit 500`.execute(db)
}

/** A filter for members' own order pages: the order is not one her customers placed through her pages. */
export const notACustomerOrder = (checkoutIdRef: string) =>
  sql<boolean>`not exists (select 1 from customer_orders x where x.checkout_id = ${sql.ref(checkoutIdRef)})`
