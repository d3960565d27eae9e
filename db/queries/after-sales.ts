import { sql } from 'kysely'
import type { Conn } from './conn'
import { notACustomerOrder } from './customer-orders'
import type { AfterSaleLine } from '#db/schema/orders'

/**
 * A member's order as an after-sale request needs it: its status and the earliest after-sale deadline of its
 * lines' sessions. `customerOrder`: the caller already matched the order to a customer's token; otherwise an
 * order placed for a customer is not the member's to ask about.
 */
export function findAfterSaleOrder(db: Conn, input: { orderId: string; memberId: string; customerOrder?: boolean }) {
  return db
    .selectFrom('orders as o')
    .select(['o.id', 'o.status'])
    .select((eb) =>
      eb
        .selectFrom('order_lines as l')
        .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
        .whereRef('l.order_id', '=', 'o.id')
        .select(sql<Date>`min(s.after_sale_deadline_at)`.as('d'))
        .$asScalar()
        .as('deadline'),
    )
    .where('o.id', '=', input.orderId)
    .where('o.member_id', '=', input.memberId)
    .where(input.customerOrder ? sql<boolean>`true` : notACustomerOrder('o.checkout_id'))
    .executeTakeFirst()
}

/** Fails with a unique violation (23505) when the order already has an open request. */
export function insertAfterSaleRequest(
  db: Conn,
  v: {
    orderId: string
    memberId: string
    kind: 'refund' | 'return_refund'
    reason: string
    photos: string[]
    lines: AfterSaleLine[] | null
    now: Date
  },
) {
  return db
    .insertInto('after_sale_requests')
    .values({
      order_id: v.orderId,
      member_id: v.memberId,
      kind: v.kind,
      reason: v.reason,
      photos: v.photos,
      created_at: v.now,
      lines: v.lines ? JSON.stringify(v.lines) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** The operator's list of requests (newest first, at most 300), with the order, the member and the brand. */
export function listAfterSaleRequests(db: Conn, status: 'open' | 'all') {
  let q = db
    .selectFrom('after_sale_requests as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .innerJoin('users as u', 'u.id', 'r.member_id')
    .innerJoin('brands as b', 'b.id', 'o.brand_id')
    .leftJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .select(['co.name as customer_name'])
    .select([
      'r.id',
      'r.order_id',
      'r.kind',
      'r.reason',
      'r.status',
      'r.decision_note',
      'r.created_at',
      'r.photos',
      'r.lines as requested',
      'o.goods_minor',
      'o.refunded_minor',
      'o.currency',
      'o.status as order_status',
      'u.display_name',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
    ])
    .orderBy('r.created_at', 'desc')
    .limit(300)
  if (status === 'open') q = q.where('r.status', '=', 'open')
  return q.execute()
}

/** The refunds of these orders, oldest first. */
export function refundsOfOrders(db: Conn, orderIds: string[]) {
  return db
    .selectFrom('order_refunds')
    .select(['id', 'after_sale_request_id', 'amount_minor', 'status', 'error', 'created_at'])
    .where('order_id', 'in', orderIds)
    .orderBy('created_at')
    .execute()
}

/** An order about to be refunded, locked until the transaction ends, with its checkout's payment. */
export function lockOrderForRefund(db: Conn, orderId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
    .select(['o.id', 'o.status', 'o.member_id', 'o.brand_id', 'o.currency', 'c.payment_id'])
    .where('o.id', '=', orderId)
    .forUpdate('o')
    .executeTakeFirst()
}

/**
 * An order's lines with what a refund (or a request for one) needs: what is left, the price, and where the units
 * came from.
 */
export function orderLinesForRefund(db: Conn, orderId: string) {
  return db
    .selectFrom('order_lines')
    .select(['id', 'quantity', 'refunded_quantity', 'unit_price_minor', 'session_id', 'session_item_sku_id', 'sku_id'])
    .where('order_id', '=', orderId)
    .execute()
}

/** Counts a refund of `quantity` units worth `amountMinor` against one order line. */
export async function addLineRefund(db: Conn, orderLineId: string, quantity: number, amountMinor: number) {
  await db
    .updateTable('order_lines')
    .set((eb) => ({
      refunded_quantity: eb('refunded_quantity', '+', quantity),
      refunded_minor: eb('refunded_minor', '+', amountMinor),
    }))
    .where('id', '=', orderLineId)
    .execute()
}

/** Counts a refund against the order's total; `allRefunded` also marks the order refunded. */
export async function addOrderRefund(db: Conn, orderId: string, goodsMinor: number, allRefunded: boolean) {
  await db
    .updateTable('orders')
    .set((eb) => ({
      refunded_minor: eb('refunded_minor', '+', goodsMinor),
      ...(allRefunded ? { status: 'refunded' as const } : {}),
    }))
    .where('id', '=', orderId)
    .execute()
}

/** A refund's bookkeeping row, pending until the provider answers; returns its id. */
export function insertOrderRefund(
  db: Conn,
  v: {
    orderId: string
    afterSaleRequestId: string | null
    amountMinor: number
    goodsMinor: number
    currency: string
    lines: unknown
    reason: string
    now: Date
  },
) {
  return db
    .insertInto('order_refunds')
    .values({
      order_id: v.orderId,
      after_sale_request_id: v.afterSaleRequestId,
      amount_minor: v.amountMinor,
      goods_minor: v.goodsMinor,
      currency: v.currency,
      lines: JSON.stringify(v.lines),
      reason: v.reason,
      created_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Whether a request asked for a refund only or for a return and refund. */
export async function afterSaleKind(db: Conn, requestId: string) {
  const r = await db.selectFrom('after_sale_requests').select('kind').where('id', '=', requestId).executeTakeFirst()
  return r?.kind
}

/** The provider's answer to a refund (or the reason it failed). */
export async function setRefundOutcome(
  db: Conn,
  refundId: string,
  outcome: { status: 'pending' | 'succeeded' | 'failed'; providerRefundId?: string | null; error: string | null },
) {
  await db
    .updateTable('order_refunds')
    .set({
      status: outcome.status,
      error: outcome.error,
      ...(outcome.providerRefundId !== undefined ? { provider_refund_id: outcome.providerRefundId } : {}),
    })
    .where('id', '=', refundId)
    .execute()
}

/** Refunds not confirmed by the provider (failed or pending), oldest first, at most 200. */
export function unsettledRefunds(db: Conn) {
  return db
    .selectFrom('order_refunds as f')
    .innerJoin('orders as o', 'o.id', 'f.order_id')
    .innerJoin('brands as b', 'b.id', 'o.brand_id')
    .innerJoin('users as u', 'u.id', 'o.member_id')
    .select([
      'f.id',
      'f.order_id',
      'f.amount_minor',
      'f.currency',
      'f.status',
      'f.error',
      'f.reason',
      'f.created_at',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'u.display_name',
    ])
    .where('f.status', '<>', 'succeeded')
    .orderBy('f.created_at')
    .limit(200)
    .execute()
}

/** One refund with the payment it refunds. */
export function findRefundWithPayment(db: Conn, refundId: string) {
  return db
    .selectFrom('order_refunds as f')
    .innerJoin('orders as o', 'o.id', 'f.order_id')
    .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
    .select(['f.id', 'f.status', 'f.amount_minor', 'f.reason', 'c.payment_id'])
    .where('f.id', '=', refundId)
    .executeTakeFirst()
}

/** Decides an open request; nothing when it is unknown or already decided. */
export function decideOpenAfterSale(
  db: Conn,
  v: { requestId: string; status: 'approved' | 'rejected'; note: string | null; operatorId: string; now: Date },
) {
  return db
    .updateTable('after_sale_requests')
    .set({ status: v.status, decision_note: v.note, decided_by: v.operatorId, decided_at: v.now })
    .where('id', '=', v.requestId)
    .where('status', '=', 'open')
    .returning(['id', 'order_id', 'member_id', 'reason', 'lines'])
    .executeTakeFirst()
}

/** Whether a request exists, whatever its status. */
export async function afterSaleRequestExists(db: Conn, requestId: string) {
  const r = await db.selectFrom('after_sale_requests').select('status').where('id', '=', requestId).executeTakeFirst()
  return r !== undefined
}

/** A decided request goes back to open (its refund was refused). */
export async function reopenAfterSale(db: Conn, requestId: string) {
  await db
    .updateTable('after_sale_requests')
    .set({ status: 'open', decided_by: null, decided_at: null })
    .where('id', '=', requestId)
    .execute()
}

/** What a session's settlement counts, per brand and session. */
export interface DueSettlement {
  brand_id: string
  session_id: string
  session_title: string
  session_title_en: string
  paid_minor: number
  refunded_minor: number
  commission_bps: number
  currency: string
  order_count: number
}

/**
 * Sessions past their after-sale deadline with no settlement yet and no open request on their orders, with the
 * paid and refunded goods value of their lines.
 */
export async function dueSettlements(db: Conn, now: Date): Promise<DueSettlement[]> {
  const { rows } = await sql<DueSettlement>`
    select s.brand_id, s.id as session_id, s.title as session_title, s.title_en as session_title_en, b.commission_bps, min(o.currency) as currency,
      coalesce(sum(l.quantity * l.unit_price_minor), 0)::bigint as paid_minor, coalesce(sum(l.refunded_minor), 0)::bigint as refunded_minor,
      count(distinct o.id)::int as order_count
    from clearance_sessions s
    join brands b on b.id = s.brand_id
    join order_lines l on l.session_id = s.id
    join orders o on o.id = l.order_id and o.paid_at is not null
    where s.after_sale_deadline_at <= ${now}
      and not exists (select 1 from settlements x where x.brand_id = s.brand_id and x.session_id = s.id)
      and not exists (select 1 from after_sale_requests r join order_lines l2 on l2.order_id = r.order_id where r.status = 'open' and l2.session_id = s.id)
    group by s.brand_id, s.id, s.title, s.title_en, b.commission_bps`.execute(db)
  return rows
}

/** A session's settlement statement; nothing when it was already written. */
export function insertSettlement(
  db: Conn,
  v: {
    brandId: string
    sessionId: string
    paidMinor: number
    refundedMinor: number
    commissionBps: number
    commissionMinor: number
    payableMinor: number
    currency: string
    orderCount: number
    now: Date
  },
) {
  return db
    .insertInto('settlements')
    .values({
      brand_id: v.brandId,
      session_id: v.sessionId,
      paid_minor: v.paidMinor,
      refunded_minor: v.refundedMinor,
      commission_bps: v.commissionBps,
      commission_minor: v.commissionMinor,
      payable_minor: v.payableMinor,
      currency: v.currency,
      order_count: v.orderCount,
      created_at: v.now,
    })
    .onConflict((oc) => oc.columns(['brand_id', 'session_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Received orders with a line in this session are completed. */
export async function completeReceivedOrdersOfSession(db: Conn, sessionId: string, now: Date) {
  await sql`update orders o set status = 'completed', completed_at = ${now} where o.status = 'received'
    and exists (select 1 from order_lines l where l.order_id = o.id and l.session_id = ${sessionId})`.execute(db)
}

/** Settlement statements, newest first (at most 500), of one brand or (null) all. */
export function listSettlementRows(db: Conn, brandId: string | null) {
  let q = db
    .selectFrom('settlements as x')
    .innerJoin('clearance_sessions as s', 's.id', 'x.session_id')
    .innerJoin('brands as b', 'b.id', 'x.brand_id')
    .select([
      'x.id',
      'x.paid_minor',
      'x.refunded_minor',
      'x.commission_bps',
      'x.commission_minor',
      'x.payable_minor',
      'x.currency',
      'x.order_count',
      'x.created_at',
      's.title as session_title',
      's.id as session_id',
      's.starts_at',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
    ])
    .orderBy('x.created_at', 'desc')
    .limit(500)
  if (brandId) q = q.where('x.brand_id', '=', brandId)
  return q.execute()
}
