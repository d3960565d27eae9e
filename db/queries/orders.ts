import { sql } from 'kysely'
import type { Conn } from './conn'
import type { PaymentPurpose } from '#db/schema/payments'
import { lineOptionNamesEn } from './option-names'
import { notACustomerOrder } from './customer-orders'

/**
 * Gives one line's stock back (and its count against the member's cap). Once the session's unsold
 * units were released at its end, the units go to `released` instead. Returns whether they did.
 */
export async function returnStock(
  db: Conn,
  capHolder: { memberId: string } | { phone: string },
  sessionItemSkuId: string,
  quantity: number,
): Promise<boolean> {
  const { rows } = await sql<{ released: boolean }>`
    update session_item_skus k set
      available = k.available + case when s.released_at is null then ${quantity}::int else 0 end,
      released = k.released + case when s.released_at is null then 0 else ${quantity}::int end
    from session_items i, clearance_sessions s
    where k.id = ${sessionItemSkuId} and i.id = k.session_item_id and s.id = i.session_id
    returning s.released_at is not null as released`.execute(db)
  if ('phone' in capHolder) {
    await sql`update customer_sku_takes set taken = greatest(taken - ${quantity}, 0)
      where phone = ${capHolder.phone} and session_item_sku_id = ${sessionItemSkuId}`.execute(db)
  } else {
    await sql`update member_sku_takes set taken = greatest(taken - ${quantity}, 0)
      where member_id = ${capHolder.memberId} and session_item_sku_id = ${sessionItemSkuId}`.execute(db)
  }
  return rows[0]?.released ?? false
}

export function findOwnAddress(db: Conn, memberId: string, addressId: string) {
  return db
    .selectFrom('addresses')
    .selectAll()
    .where('id', '=', addressId)
    .where('member_id', '=', memberId)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
}

/** Closes a pending checkout (expired or cancelled): the one conditional update that decides who wins. */
export function closePendingCheckout(
  db: Conn,
  input: { checkoutId: string; to: 'expired' | 'cancelled'; now: Date; memberId?: string },
) {
  let q = db
    .updateTable('checkouts')
    .set({ status: input.to, closed_at: input.now })
    .where('id', '=', input.checkoutId)
    .where('status', '=', 'pending_payment')
  if (input.memberId) q = q.where('member_id', '=', input.memberId)
  if (input.to === 'expired') q = q.where('expires_at', '<=', input.now)
  return q.returning(['id', 'member_id']).executeTakeFirst()
}

/** The checkout's orders still pending payment, cancelled with it. */
export function cancelPendingOrders(db: Conn, checkoutId: string, now: Date) {
  return db
    .updateTable('orders')
    .set({ status: 'cancelled', cancelled_at: now })
    .where('checkout_id', '=', checkoutId)
    .where('status', '=', 'pending_payment')
    .execute()
}

export function checkoutLines(db: Conn, checkoutId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.id', 'l.order_id', 'l.session_item_sku_id', 'l.sku_id', 'l.quantity', 'l.session_id', 'o.brand_id'])
    .where('o.checkout_id', '=', checkoutId)
    .orderBy('l.session_item_sku_id')
    .execute()
}

type OwnAddressRow = NonNullable<Awaited<ReturnType<typeof findOwnAddress>>>
export interface SessionUserWithAddress {
  user: { id: string; role: string; vip_level: number }
  /** Null when the address is not the member's own or is archived. */
  address: OwnAddressRow | null
}

/**
 * The checkout API's one read before the batch: the session's user and, in the same statement, the member's
 * own unarchived address (null when it is not theirs or archived). Same conditions as findSessionUser + findOwnAddress.
 */
export async function findSessionUserWithAddress(
  db: Conn,
  sessionId: string,
  addressId: string,
  now: Date,
): Promise<SessionUserWithAddress | undefined> {
  return (await findSessionUsersWithAddresses(db, [{ sessionId, addressId }], now))[0]
}

/**
 * The same read for many requests in ONE statement (the grab storm's requests that arrive together): answers in
 * the order asked, undefined where the session is unknown or expired.
 */
export async function findSessionUsersWithAddresses(
  db: Conn,
  asked: readonly { sessionId: string; addressId: string }[],
  now: Date,
): Promise<(SessionUserWithAddress | undefined)[]> {
  const { rows } = await sql<
    OwnAddressRow & { asked_n: string; user_id: string; user_role: string; user_vip_level: number }
  >`
    select r.n as asked_n, u.id as user_id, u.role as user_role, u.vip_level as user_vip_level, a.*
    from unnest(${asked.map((k) => k.sessionId)}::text[], ${asked.map((k) => k.addressId)}::uuid[]) with ordinality as r(sid, aid, n)
      join user_sessions s on s.id = r.sid and s.expires_at > ${now}
      join users u on u.id = s.user_id
      left join addresses a on a.member_id = u.id and a.id = r.aid and a.archived_at is null`.execute(db)
  const found: (SessionUserWithAddress | undefined)[] = asked.map(() => undefined)
  for (const { asked_n, user_id, user_role, user_vip_level, ...address } of rows) {
    found[Number(asked_n) - 1] = {
      user: { id: user_id, role: user_role, vip_level: user_vip_level },
      address: address.id === null ? null : address,
    }
  }
  return found
}

/** The payment purposes whose reference is a checkout: a member's own order, a reseller's customer's order. */
export const CHECKOUT_PAYMENT_PURPOSES: PaymentPurpose[] = ['order', 'customer_order']

/**
 * Payments of checkouts that have a successful payment other than the one that paid them and not fully
 * refunded, paid before `paidBefore`. One row per such payment.
 */
export function unrefundedCheckoutPayments(db: Conn, paidBefore: Date) {
  return db
    .selectFrom('payments as p')
    .innerJoin('checkouts as c', (j) => j.on(sql`c.id::text`, '=', sql.ref('p.reference_id')))
    .select([
      'c.id as checkout_id',
      'c.payment_id as paid_by',
      'p.id',
      'p.amount_minor',
      'p.refunded_minor',
      'p.paid_at',
    ])
    .where('p.purpose', 'in', CHECKOUT_PAYMENT_PURPOSES)
    .where('p.paid_at', 'is not', null)
    .where('p.paid_at', '<=', paidBefore)
    .where((eb) => eb.or([eb('c.payment_id', 'is', null), eb('c.payment_id', '!=', eb.ref('p.id'))]))
    .where(sql<boolean>`p.refunded_minor < p.amount_minor`)
    .orderBy('p.paid_at')
    .execute()
}

/** Which of these payments the periodic check has already flagged. */
export async function alreadyFlaggedPayments(db: Conn, paymentIds: string[]): Promise<Set<string>> {
  if (!paymentIds.length) return new Set()
  const rows = await db
    .selectFrom('audit_log')
    .select('target_id')
    .where('action', '=', 'checkout.unrefunded_payment')
    .where('target_type', '=', 'payment')
    .where('target_id', 'in', paymentIds)
    .execute()
  return new Set(rows.map((r) => r.target_id))
}

/**
 * Order lines as buyers and operators read them: the title and options as sold (with their English names),
 * quantities, the wholesale unit price, the product's picture and the line's session (for its after-sale
 * deadline). Callers add their filter, order and any further columns.
 */
export function orderLineDetails(db: Conn) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
    .leftJoin('skus as lk', 'lk.id', 'l.sku_id')
    .select(lineOptionNamesEn())
    .select([
      'l.id',
      'l.order_id',
      'l.title',
      'p.title_en',
      'l.size',
      'l.colour',
      'l.quantity',
      'l.refunded_quantity',
      'l.unit_price_minor',
      'p.image_seed',
      'p.image_path',
      's.after_sale_deadline_at',
    ])
}

/** The lines of a customer's order, with the retail price she paid; by title, colour, size. */
export function customerOrderLineDetails(db: Conn, customerOrderId: string) {
  return orderLineDetails(db)
    .innerJoin('customer_order_lines as cl', 'cl.order_line_id', 'l.id')
    .select('cl.retail_unit_minor')
    .where('cl.customer_order_id', '=', customerOrderId)
    .orderBy('l.title')
    .orderBy('l.colour')
    .orderBy('l.size')
    .execute()
}

/**
 * Orders as their lists and pages show them (brand, checkout, sender, units): a query the caller narrows and
 * orders. The sender is the reseller's shop name where she has one.
 */
export function orderSummaries(db: Conn) {
  return db
    .selectFrom('orders as o')
    .innerJoin('brands as b', 'b.id', 'o.brand_id')
    .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
    .innerJoin('users as mu', 'mu.id', 'o.member_id')
    .leftJoin('reseller_profiles as rp', 'rp.user_id', 'o.member_id')
    .select(sql<string>`coalesce(rp.display_name, mu.display_name)`.as('sender'))
    .select([
      'o.id',
      'o.status',
      'o.goods_minor',
      'o.refunded_minor',
      'o.currency',
      'o.created_at',
      'o.paid_at',
      'o.ship_by_at',
      'o.shipped_at',
      'o.carrier',
      'o.tracking_no',
      'o.late_flagged_at',
      'o.received_at',
      'o.drop_ship',
      'o.ship_to',
      'o.checkout_id',
      'o.member_id',
      'o.brand_id',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'c.expires_at',
      'c.status as checkout_status',
    ])
    .select((eb) =>
      eb
        .selectFrom('order_lines as l')
        .whereRef('l.order_id', '=', 'o.id')
        .select(sql<number>`coalesce(sum(l.quantity), 0)::int`.as('n'))
        .$asScalar()
        .as('units'),
    )
}

/** An order's after-sale requests, newest first. */
export function afterSaleRequestsOfOrder(db: Conn, orderId: string) {
  return db
    .selectFrom('after_sale_requests')
    .select(['id', 'kind', 'reason', 'status', 'decision_note', 'created_at', 'photos', 'lines'])
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .execute()
}

/** An order's refunds, oldest first. */
export function refundsOfOrder(db: Conn, orderId: string) {
  return db
    .selectFrom('order_refunds')
    .select(['id', 'amount_minor', 'status', 'created_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute()
}

/** A member's own order (never one placed for a customer): its checkout and status. */
export function findMemberOrder(db: Conn, memberId: string, orderId: string) {
  return db
    .selectFrom('orders')
    .select(['checkout_id', 'status'])
    .where('id', '=', orderId)
    .where('member_id', '=', memberId)
    .where(notACustomerOrder('orders.checkout_id'))
    .executeTakeFirst()
}

/**
 * A shipped order of the member becomes received; false when it was not shipped or not hers. `customerOrder`:
 * the caller matched the order to a customer's token; otherwise an order placed for a customer is left alone.
 */
export async function markReceived(
  db: Conn,
  v: { memberId: string; orderId: string; now: Date; customerOrder?: boolean },
): Promise<boolean> {
  const r = await db
    .updateTable('orders')
    .set({ status: 'received', received_at: v.now })
    .where('id', '=', v.orderId)
    .where('member_id', '=', v.memberId)
    .where('status', '=', 'shipped')
    .where(v.customerOrder ? sql<boolean>`true` : notACustomerOrder('orders.checkout_id'))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Whether the order is the member's (by the same rule as `markReceived`). */
export async function memberOrderExists(
  db: Conn,
  v: { memberId: string; orderId: string; customerOrder?: boolean },
): Promise<boolean> {
  const r = await db
    .selectFrom('orders')
    .select('id')
    .where('id', '=', v.orderId)
    .where('member_id', '=', v.memberId)
    .where(v.customerOrder ? sql<boolean>`true` : notACustomerOrder('orders.checkout_id'))
    .executeTakeFirst()
  return r !== undefined
}

/** The checkout a member's own order belongs to, as its payment needs it. */
export function findMemberOrderCheckout(db: Conn, memberId: string, orderId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
    .select(['c.id', 'c.status', 'c.total_minor', 'c.currency', 'c.expires_at'])
    .where('o.id', '=', orderId)
    .where('o.member_id', '=', memberId)
    .where(notACustomerOrder('o.checkout_id'))
    .executeTakeFirst()
}

/** A paid order of the brand becomes shipped with its carrier and tracking number; its id, or nothing. */
export function markShipped(
  db: Conn,
  v: { brandId: string; orderId: string; carrier: string; trackingNo: string; now: Date },
) {
  return db
    .updateTable('orders')
    .set({ status: 'shipped', shipped_at: v.now, carrier: v.carrier, tracking_no: v.trackingNo })
    .where('id', '=', v.orderId)
    .where('brand_id', '=', v.brandId)
    .where('status', '=', 'paid')
    .returning('id')
    .executeTakeFirst()
}

/** One of the brand's orders: its status. */
export function findBrandOrderStatus(db: Conn, brandId: string, orderId: string) {
  return db
    .selectFrom('orders')
    .select('status')
    .where('id', '=', orderId)
    .where('brand_id', '=', brandId)
    .executeTakeFirst()
}

/** The lines of the brand's paid orders, by ship-by deadline, with what a packing list prints (no prices). */
export function packingListRows(db: Conn, brandId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('order_lines as l', 'l.order_id', 'o.id')
    .innerJoin('skus as sk', 'sk.id', 'l.sku_id')
    .innerJoin('users as mu', 'mu.id', 'o.member_id')
    .leftJoin('reseller_profiles as rp', 'rp.user_id', 'o.member_id')
    .select(sql<string>`coalesce(rp.display_name, mu.display_name)`.as('sender'))
    .select([
      'o.id',
      'o.ship_to',
      'o.drop_ship',
      'o.ship_by_at',
      'l.title',
      'l.size',
      'l.colour',
      'l.quantity',
      'sk.barcode',
    ])
    .where('o.brand_id', '=', brandId)
    .where('o.status', '=', 'paid')
    .orderBy('o.ship_by_at')
    .orderBy('o.id')
    .execute()
}

/** Paid orders past their ship-by deadline are flagged late, once; returns how many. */
export async function flagLatePaidOrders(db: Conn, now: Date) {
  const r = await db
    .updateTable('orders')
    .set({ late_flagged_at: now })
    .where('status', '=', 'paid')
    .where('ship_by_at', '<', now)
    .where('late_flagged_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Orders shipped at or before `shippedBefore` become received; their ids. */
export function receiveShippedBefore(db: Conn, shippedBefore: Date, now: Date) {
  return db
    .updateTable('orders')
    .set({ status: 'received', received_at: now })
    .where('status', '=', 'shipped')
    .where('shipped_at', '<=', shippedBefore)
    .returning('id')
    .execute()
}

/** A checkout still pending becomes paid by this payment; its id and member, or nothing. */
export function markCheckoutPaidBy(db: Conn, checkoutId: string, paymentId: string, now: Date) {
  return db
    .updateTable('checkouts')
    .set({ status: 'paid', paid_at: now, payment_id: paymentId })
    .where('id', '=', checkoutId)
    .where('status', '=', 'pending_payment')
    .returning(['id', 'member_id'])
    .executeTakeFirst()
}

/** A paid checkout's pending orders become paid, their ship-by clock started; their ids and goods values. */
export function markCheckoutOrdersPaid(db: Conn, checkoutId: string, now: Date, shipByAt: Date) {
  return db
    .updateTable('orders')
    .set({ status: 'paid', paid_at: now, ship_by_at: shipByAt })
    .where('checkout_id', '=', checkoutId)
    .where('status', '=', 'pending_payment')
    .returning(['id', 'goods_minor'])
    .execute()
}

/** A checkout with the payments it took, locked until the transaction ends. */
export function lockCheckoutPayments(db: Conn, checkoutId: string) {
  return db
    .selectFrom('checkouts')
    .select(['id', 'status', 'payment_id', 'late_payment_id'])
    .where('id', '=', checkoutId)
    .forUpdate()
    .executeTakeFirst()
}

/** Records the first payment that came after the checkout closed (later ones are refunded all the same). */
export async function recordLatePayment(db: Conn, checkoutId: string, paymentId: string, now: Date) {
  await db
    .updateTable('checkouts')
    .set({ late_payment_id: paymentId, late_paid_at: now })
    .where('id', '=', checkoutId)
    .where('late_payment_id', 'is', null)
    .execute()
}

/** A checkout's payments: the one that paid it, the late one and its refund. */
export function findCheckoutPayments(db: Conn, checkoutId: string) {
  return db
    .selectFrom('checkouts')
    .select(['id', 'payment_id', 'late_payment_id', 'late_refund_id'])
    .where('id', '=', checkoutId)
    .executeTakeFirst()
}

/** A checkout payment of this checkout: its amount and when it was paid. */
export function findCheckoutPayment(db: Conn, checkoutId: string, paymentId: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'amount_minor', 'paid_at'])
    .where('id', '=', paymentId)
    .where('purpose', 'in', CHECKOUT_PAYMENT_PURPOSES)
    .where('reference_id', '=', checkoutId)
    .executeTakeFirst()
}

/** The refund of a checkout's late payment, recorded once. */
export async function recordLateRefund(db: Conn, checkoutId: string, refundId: string) {
  await db
    .updateTable('checkouts')
    .set({ late_refund_id: refundId })
    .where('id', '=', checkoutId)
    .where('late_refund_id', 'is', null)
    .execute()
}
