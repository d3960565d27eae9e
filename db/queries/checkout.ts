// The checkout pipeline's statements (app/services/checkout/pipeline.server.ts). They are returned unexecuted:
// the pipeline sends them on its own transaction, pipelined on one connection or through a Kysely transaction.
import { sql, type RawBuilder } from 'kysely'
import type { Conn } from './conn'
import { enqueueCall } from '#jobs/enqueue'
import '#jobs/payloads-orders'
import { removeFromCarts } from './cart'
import { insertCustomerOrders, upsertPriceAlerts, type CustomerOrderRow, type PriceAlertRow } from './customer-orders'
import { insertStockMovementsWhen } from './stock-movements'

export interface LockedSku {
  id: string
  available: number
  sku_id: string
  session_id: string
  brand_id: string
  product_id: string
  base_price_minor: number
  currency: string
  per_member_cap: number | null
  title: string
  size: string
  colour: string
  status: 'draft' | 'scheduled' | 'cancelled'
  starts_at: Date
  ends_at: Date
  brand_status: string
}

/**
 * Locks the session SKU rows in id order (every checkout locks in this order, so two never wait on each other
 * crosswise) and returns what the checkout decides and writes with.
 */
export function lockSkus(ids: readonly string[]): RawBuilder<LockedSku> {
  return sql<LockedSku>`
    select k.id, k.available, k.sku_id, s.id as session_id, s.brand_id, p.id as product_id, i.base_price_minor, i.currency,
      i.per_member_cap, p.title, sk.size, sk.colour, s.status, s.starts_at, s.ends_at, b.status as brand_status
    from session_item_skus k
      join session_items i on i.id = k.session_item_id
      join clearance_sessions s on s.id = i.session_id
      join brands b on b.id = s.brand_id
      join products p on p.id = i.product_id
      join skus sk on sk.id = k.sku_id
    where k.id = any(${ids}::uuid[])
    order by k.id
    for update of k`
}

/**
 * Locks the catalog SKU rows (`skus`, their stock on hand) behind the session SKUs, in id order, after those:
 * every writer of stock on hand that also touches a session SKU locks the session SKU first, so the two
 * kinds of row are always taken in the same order.
 */
export function lockStock(sessionItemSkuIds: readonly string[]): RawBuilder<{ n: number }> {
  return sql`
    select count(*)::int as n from (
      select k.id from skus k where k.id in (select sku_id from session_item_skus where id = any(${sessionItemSkuIds}::uuid[]))
      order by k.id for update of k
    ) as locked`
}

/**
 * Per-member caps are counted per cap key: a member's id, or `mobile:<number>` for a reseller's customer (who has
 * no account; her units count per mobile number, in customer_sku_takes).
 */
export const MOBILE_CAP_KEY = 'mobile:'
export const mobileCapKey = (phone: string) => `${MOBILE_CAP_KEY}${phone}`
const isMobileKey = (key: string) => key.startsWith(MOBILE_CAP_KEY)
const mobileOf = (key: string) => key.slice(MOBILE_CAP_KEY.length)

/**
 * What the cap keys already hold of the SKUs. Sent AFTER lockSkus, as a statement of its own: under READ
 * COMMITTED a statement that waited for a lock still sees other tables as of its own start.
 */
export function capsHeld(
  capKeys: readonly string[],
  skuIds: readonly string[],
): RawBuilder<{ member_id: string; session_item_sku_id: string; taken: number }> {
  const members = capKeys.filter((k) => !isMobileKey(k))
  const mobiles = capKeys.filter(isMobileKey).map(mobileOf)
  return sql`
    select member_id::text as member_id, session_item_sku_id, taken from member_sku_takes
    where member_id = any(${members}::uuid[]) and session_item_sku_id = any(${skuIds}::uuid[])
    union all
    select ${MOBILE_CAP_KEY} || phone, session_item_sku_id, taken from customer_sku_takes
    where phone = any(${mobiles}::text[]) and session_item_sku_id = any(${skuIds}::uuid[])`
}

/** Transaction-level advisory locks live in a space of their own: this class id is the checkout holders'. */
const HOLDER_LOCK_CLASS = 74_201

/**
 * Serialises the purchases of the same accounts (open-hold limits, Idempotency-Keys): one transaction-level
 * advisory lock per account, taken after the SKU rows and in hash order, so every checkout takes them in the
 * same order.
 */
export function lockHolders(accountIds: readonly string[]): RawBuilder<{ n: number }> {
  return sql`
    select count(pg_advisory_xact_lock(${HOLDER_LOCK_CLASS}::int, h))::int as n
    from (select distinct hashtext(k) as h from unnest(${accountIds}::text[]) as k order by h) as keys`
}

/**
 * The members' open unpaid holds: checkouts pending payment before their deadline, and their units. Sent after
 * lockHolders, so it sees every checkout that committed before the lock was granted. Units are the checkout's own
 * count (written with its lines, which never change while it is pending), so only the checkouts are read; a
 * checkout without units holds nothing.
 */
export function openHolds(
  memberIds: readonly string[],
  now: Date,
): RawBuilder<{ member_id: string; checkouts: number; units: number }> {
  return sql`
    select c.member_id, count(*)::int as checkouts, sum(c.units)::int as units
    from checkouts c
    where c.member_id = any(${memberIds}::uuid[]) and c.status = 'pending_payment' and c.expires_at > ${now.toISOString()}::timestamptz
      and c.units > 0
    group by c.member_id`
}

export interface IdempotentAnswer {
  memberId: string
  key: string
  /** The request the key was first used for, in canonical form. */
  fingerprint: string
  checkoutId: string | null
  status: number
  /** JSON of the answer given. */
  answer: string
}

/** The answers already given to these (member, Idempotency-Key) pairs. Sent after lockHolders. */
export function idempotentAnswers(
  pairs: readonly { memberId: string; key: string }[],
): RawBuilder<{ member_id: string; key: string; fingerprint: string; status: number; answer: unknown }> {
  return sql`
    select k.member_id, k.key, k.fingerprint, k.status, k.answer
    from checkout_idempotency_keys k
      join unnest(${pairs.map((p) => p.memberId)}::uuid[], ${pairs.map((p) => p.key)}::text[]) as a(member_id, key)
        on k.member_id = a.member_id and k.key = a.key`
}

/** Keeps the answers given to Idempotency-Keys (a statement, or a fragment of the checkout's one write). */
export function saveIdempotentAnswers(rows: readonly IdempotentAnswer[]): RawBuilder<unknown> {
  return sql`
    insert into checkout_idempotency_keys (member_id, key, fingerprint, checkout_id, status, answer)
    select m, k, f, c, s, a::json from unnest(
      ${rows.map((r) => r.memberId)}::uuid[], ${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.fingerprint)}::text[],
      ${rows.map((r) => r.checkoutId)}::uuid[], ${rows.map((r) => r.status)}::int[], ${rows.map((r) => r.answer)}::text[]
    ) as u(m, k, f, c, s, a)
    on conflict (member_id, key) do nothing
    returning 1`
}

export interface PlacementRows {
  /** Units to take per session SKU, and the catalog SKU whose stock on hand they leave. */
  takes: { sessionItemSkuId: string; skuId: string; quantity: number }[]
  checkouts: {
    id: string
    accountId: string
    totalMinor: number
    /** Units on its lines. */
    units: number
    currency: string
    addressId: string | null
    shipTo: string
    dropShip: boolean
    expiresAt: Date
    at: Date
  }[]
  orders: {
    id: string
    checkoutId: string
    accountId: string
    brandId: string
    goodsMinor: number
    currency: string
    shipTo: string
    dropShip: boolean
    at: Date
  }[]
  lines: {
    id: string
    orderId: string
    sessionId: string
    sessionItemSkuId: string
    skuId: string
    productId: string
    title: string
    size: string
    colour: string
    quantity: number
    unitPriceMinor: number
  }[]
  /** Units to count against per-member caps (capped SKUs only), per cap key. */
  caps: { capKey: string; sessionItemSkuId: string; quantity: number }[]
  /** Cart lines the buyers no longer need. */
  carts: { memberId: string; sessionItemSkuId: string }[]
  movements: { brandId: string; sessionId: string; sessionItemSkuId: string; quantity: number; at: Date }[]
  /** One expiry job for all checkouts, due at the latest deadline (a checkout expires a little late, never early). */
  expiry: { checkoutIds: string[]; runAt: Date }
  /** Answers to keep for Idempotency-Keys (refusals included). */
  answers: IdempotentAnswer[]
  /** Customer orders wrapping checkouts of the batch, and the retail price of each of their lines. */
  customerOrders: CustomerOrderRow[]
  customerLines: { orderLineId: string; customerOrderId: string; retailUnitMinor: number; ownUnitMinor: number }[]
  /** Resellers told that customers could not buy at their price (refused purchases: written whatever happens). */
  alerts: PriceAlertRow[]
}

/** A batch's rows before anything is placed; its callers add to each list. */
export const noPlacements = (): PlacementRows => ({
  takes: [],
  checkouts: [],
  orders: [],
  lines: [],
  caps: [],
  carts: [],
  movements: [],
  expiry: { checkoutIds: [], runAt: new Date(0) },
  answers: [],
  customerOrders: [],
  customerLines: [],
  alerts: [],
})

const col = <T, R>(rows: readonly T[], f: (r: T) => R) => rows.map(f)

/**
 * Everything a batch writes, in ONE statement (under the hot rows' locks every round trip costs every buyer in
 * the batch): the guarded decrements (the rows are locked, so they cannot miss; their condition stays as the last
 * guard against oversell, and nothing else is written unless every one took its stock), the units off the SKUs'
 * stock on hand (locked by lockStock; stock_on_hand >= 0 is checked by the table), checkouts, orders, lines,
 * cap counters (members' and customers'), the expiry job, the cart clean-up, the stock movements, the Idempotency-Keys'
 * answers, customer orders with their lines, and price alerts for resellers. It fails unless everything was written as
 * planned (NOT_AS_PLANNED).
 */
export function writePlacements(p: PlacementRows): RawBuilder<{ ok: boolean }> {
  const ok = sql`(select ok from ok)`
  const memberCaps = p.caps.filter((c) => !isMobileKey(c.capKey))
  const mobileCaps = p.caps.filter((c) => isMobileKey(c.capKey))
  const iso = (d: Date) => d.toISOString()
  const customer = insertCustomerOrders(p.customerOrders, p.customerLines, ok)
  return sql`
    with took as (
      update session_item_skus k set available = k.available - t.n
      from unnest(${col(p.takes, (r) => r.sessionItemSkuId)}::uuid[], ${col(p.takes, (r) => r.quantity)}::int[]) as t(id, n)
      where k.id = t.id and k.available >= t.n
      returning k.id
    ), ok as (
      select count(*) = ${p.takes.length}::int as ok from took
    ), on_hand as (
      update skus k set stock_on_hand = k.stock_on_hand - d.n
      from (
        select id, sum(n)::int as n from unnest(${col(p.takes, (r) => r.skuId)}::uuid[], ${col(p.takes, (r) => r.quantity)}::int[]) as t(id, n) group by id
      ) as d
      where k.id = d.id and ${ok}
      returning k.id
    ), c as (
      insert into checkouts (id, member_id, total_minor, units, currency, address_id, ship_to, drop_ship, expires_at, created_at)
      select id, acc, total, units, cur, addr, ship::jsonb, drop_ship::bool, expires, at from unnest(
        ${col(p.checkouts, (r) => r.id)}::uuid[], ${col(p.checkouts, (r) => r.accountId)}::uuid[], ${col(p.checkouts, (r) => r.totalMinor)}::bigint[],
        ${col(p.checkouts, (r) => r.units)}::int[], ${col(p.checkouts, (r) => r.currency)}::text[], ${col(p.checkouts, (r) => r.addressId)}::uuid[],
        ${col(p.checkouts, (r) => r.shipTo)}::text[], ${col(p.checkouts, (r) => String(r.dropShip))}::text[],
        ${col(p.checkouts, (r) => iso(r.expiresAt))}::timestamptz[], ${col(p.checkouts, (r) => iso(r.at))}::timestamptz[]
      ) as u(id, acc, total, units, cur, addr, ship, drop_ship, expires, at) where ${ok}
      returning 1
    ), o as (
      insert into orders (id, checkout_id, member_id, brand_id, goods_minor, currency, ship_to, drop_ship, created_at)
      select id, cid, acc, brand, goods, cur, ship::jsonb, drop_ship::bool, at from unnest(
        ${col(p.orders, (r) => r.id)}::uuid[], ${col(p.orders, (r) => r.checkoutId)}::uuid[], ${col(p.orders, (r) => r.accountId)}::uuid[],
        ${col(p.orders, (r) => r.brandId)}::uuid[], ${col(p.orders, (r) => r.goodsMinor)}::bigint[], ${col(p.orders, (r) => r.currency)}::text[],
        ${col(p.orders, (r) => r.shipTo)}::text[], ${col(p.orders, (r) => String(r.dropShip))}::text[], ${col(p.orders, (r) => iso(r.at))}::timestamptz[]
      ) as u(id, cid, acc, brand, goods, cur, ship, drop_ship, at) where ${ok}
      returning 1
    ), l as (
      insert into order_lines (id, order_id, session_id, session_item_sku_id, sku_id, product_id, title, size, colour, quantity, unit_price_minor)
      select u.* from unnest(
        ${col(p.lines, (r) => r.id)}::uuid[], ${col(p.lines, (r) => r.orderId)}::uuid[], ${col(p.lines, (r) => r.sessionId)}::uuid[], ${col(p.lines, (r) => r.sessionItemSkuId)}::uuid[],
        ${col(p.lines, (r) => r.skuId)}::uuid[], ${col(p.lines, (r) => r.productId)}::uuid[], ${col(p.lines, (r) => r.title)}::text[],
        ${col(p.lines, (r) => r.size)}::text[], ${col(p.lines, (r) => r.colour)}::text[], ${col(p.lines, (r) => r.quantity)}::int[],
        ${col(p.lines, (r) => r.unitPriceMinor)}::int[]
      ) as u where ${ok}
      returning 1
    ), caps as (
      insert into member_sku_takes as t (member_id, session_item_sku_id, taken)
      select u.* from unnest(${col(memberCaps, (r) => r.capKey)}::uuid[], ${col(memberCaps, (r) => r.sessionItemSkuId)}::uuid[], ${col(memberCaps, (r) => r.quantity)}::int[]) as u
      where ${ok}
      on conflict (member_id, session_item_sku_id) do update set taken = t.taken + excluded.taken
      returning 1
    ), mobile_caps as (
      insert into customer_sku_takes as t (phone, session_item_sku_id, taken)
      select u.* from unnest(${col(mobileCaps, (r) => mobileOf(r.capKey))}::text[], ${col(mobileCaps, (r) => r.sessionItemSkuId)}::uuid[], ${col(mobileCaps, (r) => r.quantity)}::int[]) as u
      where ${ok}
      on conflict (phone, session_item_sku_id) do update set taken = t.taken + excluded.taken
      returning 1
    ), jobs as (
      select ${enqueueCall('expire_checkout', { checkoutIds: p.expiry.checkoutIds }, { runAt: p.expiry.runAt })} where ${ok}
    ), cart as (
      ${removeFromCarts(p.carts, ok)}
    ), moved as (
      ${insertStockMovementsWhen(
        p.movements.map((m) => ({ ...m, kind: 'sale' as const, quantity: -m.quantity, createdAt: m.at })),
        ok,
      )}
    ), answers as (
      ${saveIdempotentAnswers(p.answers)}
    ), customer_orders as (
      ${customer.orders}
    ), customer_lines as (
      ${customer.lines}
    ), alerts as (
      ${upsertPriceAlerts(p.alerts)}
    )
    select (case when ${ok} and (select count(*) from l) = ${p.lines.length}::int and (select count(*) from jobs) = 1
        and (select count(*) from on_hand) = ${new Set(p.takes.map((t) => t.skuId)).size}::int
      then 'true'::text else ${NOT_AS_PLANNED}::text end)::boolean as ok`
}

/**
 * The write fails, rather than reports, when it did not write as planned (a decrement that missed its stock, a line,
 * the job or a stock on hand short): a statement error aborts the transaction, so the COMMIT sent right behind the
 * write (transaction.server.ts) rolls it back, answers to keys and alerts included. Not a constant, so the planner
 * does not evaluate the cast ahead of time.
 */
const NOT_AS_PLANNED = 'checkout: the batch did not write as planned'

/** How many of these checkouts exist (after an ambiguous COMMIT: whether the batch is on disk). */
export async function countCheckouts(db: Conn, ids: readonly string[]): Promise<number> {
  const r = await db
    .selectFrom('checkouts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** A statement that only opens a connection of the pool (the committer's, at start-up). */
export async function openConnection(db: Conn): Promise<void> {
  await sql`select 1`.execute(db)
}
