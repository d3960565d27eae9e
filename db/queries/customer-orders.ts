import { sql, type RawBuilder } from 'kysely'
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

/** The share link a customer orders from: whose it is and whether it was revoked. */
/** A customer order by its private token, with its checkout's state (her pay step). */
export function customerOrderForPayment(db: Conn, token: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('checkouts as c', 'c.id', 'co.checkout_id')
    .select(['co.token', 'co.retail_total_minor', 'co.currency', 'c.id as checkout_id', 'c.status', 'c.expires_at'])
    .where('co.token', '=', token)
    .executeTakeFirst()
}

export function findShareLinkForOrders(db: Conn, token: string) {
  return db
    .selectFrom('share_links')
    .select(['id', 'user_id', 'revoked_at'])
    .where('token', '=', token)
    .executeTakeFirst()
}

/** The SKUs of these session items a customer may pick from, with stock left and the item's cap, by colour and size. */
export function bagSkus(db: Conn, itemIds: string[]) {
  return db
    .selectFrom('session_item_skus as k')
    .innerJoin('skus as s', 's.id', 'k.sku_id')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .select([
      'k.id',
      'k.session_item_id',
      'k.available',
      's.colour',
      's.size',
      's.colour_en',
      's.size_en',
      'i.per_member_cap',
    ])
    .where('k.session_item_id', 'in', itemIds)
    .orderBy('s.colour')
    .orderBy('s.size')
    .execute()
}

// ---- the checkout pipeline's statements for customer orders (sent on its transaction, after its locks) ----

/** Advisory lock keys (lockHolders) that serialise a customer's orders: her number, her client, her idempotency key. */
export const customerLockKeys = (o: { phone: string; clientKey: string; idempotencyKey: string }) => [
  `customer:phone:${o.phone}`,
  `customer:client:${o.clientKey}`,
  `customer:key:${o.idempotencyKey}`,
]

/** Where a customer line is priced: a share link's price (`linkId`), or her shop price (`linkId` null). */
export interface TermsAsked {
  purchase: number
  resellerId: string
  linkId: string | null
  sessionItemSkuId: string
}

export interface CustomerTerms {
  purchase: number
  session_item_sku_id: string
  session_item_id: string
  /** Null: the page does not offer this item (not on the link, not on her shelves, or no shop price). */
  retail_price_minor: number | null
  min_retail_price_minor: number | null
  tag_cut: boolean
  /** The reseller as she is now: still a member, at this level; the link not revoked. */
  vip_level: number
  role: string
  revoked: boolean
}

/**
 * The terms of customer lines as they are inside the transaction that takes the stock: the retail price from the
 * link or her shop, the brand's floor, whether the item is tag-cut, her current level and role, the link's state.
 */
export function customerTerms(asked: readonly TermsAsked[]): RawBuilder<CustomerTerms> {
  return sql<CustomerTerms>`
    select u.n as purchase, u.sku as session_item_sku_id, i.id as session_item_id,
      case when u.link is not null then li.retail_price_minor else rp.retail_price_minor end as retail_price_minor,
      i.min_retail_price_minor, p.tag_cut, r.vip_level, r.role::text as role, coalesce(l.revoked_at is not null, false) as revoked
    from unnest(${asked.map((a) => a.purchase)}::int[], ${asked.map((a) => a.resellerId)}::uuid[],
        ${asked.map((a) => a.linkId)}::uuid[], ${asked.map((a) => a.sessionItemSkuId)}::uuid[]) as u(n, reseller, link, sku)
      join session_item_skus k on k.id = u.sku
      join session_items i on i.id = k.session_item_id
      join products p on p.id = i.product_id
      join users r on r.id = u.reseller
      left join share_links l on l.id = u.link and l.user_id = u.reseller
      left join share_link_items li on li.share_link_id = l.id and li.session_item_id = i.id
      left join shop_items si on u.link is null and si.user_id = u.reseller and si.session_item_id = i.id
      left join reseller_prices rp on rp.user_id = si.user_id and rp.session_item_id = si.session_item_id`
}

/**
 * Unpaid customer orders still holding stock, per mobile number and per client (only those with some). Sent after
 * their locks. Read number by number from her own orders, each order's checkout by its key (the scalar subquery):
 * joined as sets, the planner, misled by statistics a storm has made stale, read every unpaid checkout of the
 * platform once per batch or even once per number (measured: 20–475 ms a batch of 100, growing with them).
 */
export function customerOpenHolds(
  phones: readonly string[],
  clientKeys: readonly string[],
  now: Date,
): RawBuilder<{ per: 'phone' | 'client'; key: string; n: number }> {
  const open = sql`(select c.status = 'pending_payment' and c.expires_at > ${now.toISOString()}::timestamptz
    from checkouts c where c.id = co.checkout_id)`
  return sql`
    select 'phone' as per, k.key, h.n
    from (select distinct unnest(${phones}::text[]) as key) k
      cross join lateral (select count(*)::int as n from customer_orders co where co.phone = k.key and ${open}) h
    where h.n > 0
    union all
    select 'client', k.key, h.n
    from (select distinct unnest(${clientKeys}::text[]) as key) k
      cross join lateral (select count(*)::int as n from customer_orders co where co.client_key = k.key and ${open}) h
    where h.n > 0`
}

export interface CustomerReplay {
  idempotency_key: string
  id: string
  token: string
  checkout_id: string
  retail_total_minor: number
  currency: string
  expires_at: Date
  order_ids: string[]
  total_minor: number
}

/** The orders these idempotency keys already placed. Sent after their locks. */
export function customerReplays(keys: readonly string[]): RawBuilder<CustomerReplay> {
  return sql<CustomerReplay>`
    select co.idempotency_key, co.id, co.token, co.checkout_id, co.retail_total_minor, co.currency::text as currency,
      c.expires_at, c.total_minor::int as total_minor,
      array(select o.id from orders o where o.checkout_id = c.id order by o.id) as order_ids
    from customer_orders co join checkouts c on c.id = co.checkout_id
    where co.idempotency_key = any(${keys}::text[])`
}

export interface CustomerOrderRow {
  id: string
  checkoutId: string
  resellerId: string
  token: string
  name: string
  phone: string
  email: string | null
  locale: string
  region: string
  line: string
  shareLinkId: string | null
  source: 'share' | 'shop'
  clientKey: string
  idempotencyKey: string
  retailTotalMinor: number
  currency: string
  at: Date
}

export interface PriceAlertRow {
  resellerId: string
  sessionItemId: string
  reason: PriceAlertReason
  retailPriceMinor: number
  /** Refusals of this item in the batch (the upsert may touch each row once per statement). */
  refused: number
  at: Date
}

/** Customer orders and their lines (a fragment of the checkout's one write, guarded by `ok`). */
export function insertCustomerOrders(
  orders: readonly CustomerOrderRow[],
  lines: readonly { orderLineId: string; customerOrderId: string; retailUnitMinor: number; ownUnitMinor: number }[],
  ok: RawBuilder<unknown>,
): { orders: RawBuilder<unknown>; lines: RawBuilder<unknown> } {
  const c = <T>(f: (r: CustomerOrderRow) => T) => orders.map(f)
  return {
    orders: sql`
      insert into customer_orders (id, checkout_id, reseller_id, token, name, phone, email, locale, region, line,
        share_link_id, source, client_key, idempotency_key, retail_total_minor, currency, created_at)
      select * from unnest(${c((r) => r.id)}::uuid[], ${c((r) => r.checkoutId)}::uuid[], ${c((r) => r.resellerId)}::uuid[],
        ${c((r) => r.token)}::text[], ${c((r) => r.name)}::text[], ${c((r) => r.phone)}::text[], ${c((r) => r.email)}::text[],
        ${c((r) => r.locale)}::text[], ${c((r) => r.region)}::text[], ${c((r) => r.line)}::text[], ${c((r) => r.shareLinkId)}::uuid[],
        ${c((r) => r.source)}::text[], ${c((r) => r.clientKey)}::text[], ${c((r) => r.idempotencyKey)}::text[],
        ${c((r) => r.retailTotalMinor)}::int[], ${c((r) => r.currency)}::text[], ${c((r) => r.at.toISOString())}::timestamptz[])
      where ${ok}
      returning 1`,
    lines: sql`
      insert into customer_order_lines (order_line_id, customer_order_id, retail_unit_minor, own_unit_minor)
      select * from unnest(${lines.map((l) => l.orderLineId)}::uuid[], ${lines.map((l) => l.customerOrderId)}::uuid[],
        ${lines.map((l) => l.retailUnitMinor)}::int[], ${lines.map((l) => l.ownUnitMinor)}::int[])
      where ${ok}
      returning 1`,
  }
}

/** Tells resellers that customers could not buy an item at her price (a statement, or a fragment of the write). */
export function upsertPriceAlerts(rows: readonly PriceAlertRow[]): RawBuilder<unknown> {
  const c = <T>(f: (r: PriceAlertRow) => T) => rows.map(f)
  return sql`
    insert into reseller_price_alerts as a (reseller_id, session_item_id, reason, retail_price_minor, refused, last_at)
    select * from unnest(${c((r) => r.resellerId)}::uuid[], ${c((r) => r.sessionItemId)}::uuid[], ${c((r) => r.reason)}::text[],
      ${c((r) => r.retailPriceMinor)}::int[], ${c((r) => r.refused)}::int[], ${c((r) => r.at.toISOString())}::timestamptz[])
    on conflict (reseller_id, session_item_id) do update set reason = excluded.reason,
      retail_price_minor = excluded.retail_price_minor, last_at = excluded.last_at, refused = a.refused + excluded.refused
    returning 1`
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
