import { sql } from 'kysely'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { orderLineDetails } from '#db/queries/orders'
import {
  AfterSaleOpenError,
  AfterSaleWindowError,
  canOpenAfterSale,
  OrderStateError,
  type OrderStatus,
  refundLines,
  remainingLines,
  settlementFor,
} from '#app/domain/orders'
import { formatMoney, type Currency } from '#app/domain/money'
import { orderIntegrations } from './integrations.server'
import { customerRefundMinor } from '#app/domain/customer-orders'
import { customerLinePrices } from '../customer-orders/earnings.server'
import { journalOrderRefund } from '../ledger/journal.server'
import type { AfterSaleLine } from '#db/schema/orders'
import { findAfterSaleOrder, insertAfterSaleRequest, refundableOrderLines } from '#db/queries/after-sales'
import { inTransaction, notify, notifyMany, operators, brandStaff } from '../notifications/notify.server'
import { orderNo } from '../notifications/events.server'

/** A request's lines as stored (jsonb may come back as its text): null means the whole order. */
export function requestLines(v: unknown): AfterSaleLine[] | null {
  const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v
  return Array.isArray(parsed) ? (parsed as AfterSaleLine[]) : null
}

/** A member's return/refund request on their own paid order, inside the session's after-sale window. */
/** `customerOrder`: the caller (the customer's order page) already matched the order to the customer's token. */
export async function openAfterSale(
  db: Db,
  input: {
    memberId: string
    orderId: string
    kind: 'refund' | 'return_refund'
    reason: string
    photos: string[]
    lines?: AfterSaleLine[]
    now: Date
    customerOrder?: boolean
  },
) {
  const o = await findAfterSaleOrder(db, input)
  if (!o) return null
  if (!o.deadline || !canOpenAfterSale({ status: o.status as OrderStatus }, new Date(o.deadline), input.now)) {
    throw new AfterSaleWindowError('after-sales are closed for this order')
  }
  // The lines asked about: each must be on this order and within what is left to refund (else 409).
  let lines: AfterSaleLine[] | null = null
  if (input.lines) {
    const current = await refundableOrderLines(db, o.id)
    const plan = refundLines(
      current.map((l) => ({
        id: l.id,
        quantity: l.quantity,
        refundedQuantity: l.refunded_quantity,
        unitPriceMinor: l.unit_price_minor,
      })),
      input.lines,
    )
    lines = plan.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity }))
  }
  try {
    return await inTransaction(db, async (trx) => {
      const row = await insertAfterSaleRequest(trx, {
        orderId: o.id,
        memberId: input.memberId,
        kind: input.kind,
        reason: input.reason,
        photos: input.photos,
        lines,
        now: input.now,
      })
      await notifyMany(trx, {
        event: 'after_sale_waiting',
        recipients: operators(),
        dedupeKey: row.id,
        link: '/admin/after-sales',
        now: input.now,
        data: { orderNo: orderNo(o.id), kind: input.kind },
      })
      return row
    })
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new AfterSaleOpenError('this order already has an open request')
    throw e
  }
}

export async function listAfterSales(db: Db, status: 'open' | 'all') {
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
  const rows = await q.execute()
  const lines = rows.length
    ? await orderLineDetails(db)
        .where(
          'l.order_id',
          'in',
          rows.map((r) => r.order_id),
        )
        .execute()
    : []
  const refunds = rows.length
    ? await db
        .selectFrom('order_refunds')
        .select(['id', 'after_sale_request_id', 'amount_minor', 'status', 'error', 'created_at'])
        .where(
          'order_id',
          'in',
          rows.map((r) => r.order_id),
        )
        .orderBy('created_at')
        .execute()
    : []
  return rows
    .map((r) => ({ ...r, requested: requestLines(r.requested) }))
    .map((r) => ({
      refunds: refunds
        .filter((f) => f.after_sale_request_id === r.id)
        .map((f) => ({ id: f.id, amountMinor: f.amount_minor, status: f.status, error: f.error })),
      id: r.id,
      orderId: r.order_id,
      kind: r.kind,
      reason: r.reason,
      status: r.status,
      note: r.decision_note,
      createdAt: r.created_at.toISOString(),
      photos: r.photos,
      goodsMinor: r.goods_minor,
      refundedMinor: r.refunded_minor,
      currency: r.currency,
      orderStatus: r.order_status,
      member: r.display_name,
      brandName: r.brand_name,
      brandNameEn: r.brand_name_en,
      customer: r.customer_name,
      lines: lines
        .filter((l) => l.order_id === r.order_id)
        .map((l) => ({
          id: l.id,
          title: l.title,
          titleEn: l.title_en,
          size: l.size,
          colour: l.colour,
          sizeEn: l.size_en,
          colourEn: l.colour_en,
          quantity: l.quantity,
          refundedQuantity: l.refunded_quantity,
          unitPriceMinor: l.unit_price_minor,
          // What the member asked for on this line (the whole order: everything left); the approval form starts from it.
          requestedQuantity: r.requested
            ? (r.requested.find((q) => q.orderLineId === l.id)?.quantity ?? 0)
            : l.quantity - l.refunded_quantity,
        })),
    }))
}

/**
 * Refunds some lines (or everything left) of a paid order: the bookkeeping (lines, order total, points)
 * commits first under a row lock, then the provider is called outside the transaction with an
 * idempotency key derived from the refund row; its answer is recorded on the row.
 */
export async function refundOrder(
  db: Db,
  input: {
    orderId: string
    lines?: { orderLineId: string; quantity: number }[]
    reason: string
    afterSaleRequestId?: string
    now: Date
  },
) {
  const prepared = await db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders as o')
      .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
      .select(['o.id', 'o.status', 'o.member_id', 'o.brand_id', 'o.currency', 'c.payment_id'])
      .where('o.id', '=', input.orderId)
      .forUpdate('o')
      .executeTakeFirst()
    if (!order) return null
    if (!['paid', 'shipped', 'received', 'completed'].includes(order.status) || !order.payment_id)
      throw new OrderStateError('only a paid order can be refunded')
    const current = await trx
      .selectFrom('order_lines')
      .select([
        'id',
        'quantity',
        'refunded_quantity',
        'unit_price_minor',
        'session_id',
        'session_item_sku_id',
        'sku_id',
      ])
      .where('order_id', '=', order.id)
      .execute()
    const refundable = current.map((l) => ({
      id: l.id,
      quantity: l.quantity,
      refundedQuantity: l.refunded_quantity,
      unitPriceMinor: l.unit_price_minor,
    }))
    const plan = refundLines(refundable, input.lines ?? remainingLines(refundable))
    for (const l of plan.lines) {
      await trx
        .updateTable('order_lines')
        .set((eb) => ({
          refunded_quantity: eb('refunded_quantity', '+', l.quantity),
          refunded_minor: eb('refunded_minor', '+', l.amountMinor),
        }))
        .where('id', '=', l.orderLineId)
        .execute()
    }
    // A customer's line gives back what she paid (the retail price) and reverses the reseller's markup on it;
    // the brand's goods value (the reseller's own price) is what the order and the points count.
    const customerPrices = await customerLinePrices(trx, order.id)
    const moneyMinor = customerPrices.size
      ? customerRefundMinor(
          plan.lines.map((l) => ({
            retailUnitMinor: customerPrices.get(l.orderLineId)!.retail_unit_minor,
            quantity: l.quantity,
          })),
        )
      : plan.amountMinor
    const allRefunded = refundable.every(
      (l) => l.quantity - l.refundedQuantity === (plan.lines.find((p) => p.orderLineId === l.id)?.quantity ?? 0),
    )
    await trx
      .updateTable('orders')
      .set((eb) => ({
        refunded_minor: eb('refunded_minor', '+', plan.amountMinor),
        ...(allRefunded ? { status: 'refunded' as const } : {}),
      }))
      .where('id', '=', order.id)
      .execute()
    const refund = await trx
      .insertInto('order_refunds')
      .values({
        order_id: order.id,
        after_sale_request_id: input.afterSaleRequestId ?? null,
        amount_minor: moneyMinor,
        goods_minor: plan.amountMinor,
        currency: order.currency,
        lines: JSON.stringify(plan.lines),
        reason: input.reason,
        created_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await orderIntegrations.revokePurchasePoints(trx, {
      memberId: order.member_id,
      orderId: order.id,
      refundId: refund.id,
      refundedGoodsMinor: plan.amountMinor,
      now: input.now,
    })
    await journalOrderRefund(trx, { orderRefundId: refund.id, orderId: order.id, lines: plan.lines, now: input.now })
    // Units come back on the shelf when they never left (refunded before shipping) or the buyer sends them back.
    const returned =
      order.status === 'paid' ||
      (input.afterSaleRequestId !== undefined &&
        (await afterSaleKind(trx, input.afterSaleRequestId)) === 'return_refund')
    if (returned) {
      await orderIntegrations.recordStockMovements(
        trx,
        plan.lines.map((l) => {
          const line = current.find((c) => c.id === l.orderLineId)!
          return {
            brandId: order.brand_id,
            sessionId: line.session_id,
            skuId: line.sku_id,
            sessionItemSkuId: line.session_item_sku_id,
            delta: l.quantity,
            kind: 'return' as const,
            orderId: order.id,
            at: input.now,
          }
        }),
      )
    }
    return { refundId: refund.id, paymentId: order.payment_id, amountMinor: moneyMinor }
  })
  if (!prepared) return null
  return sendRefund(db, { ...prepared, reason: input.reason })
}

async function afterSaleKind(trx: Conn, requestId: string) {
  const r = await trx.selectFrom('after_sale_requests').select('kind').where('id', '=', requestId).executeTakeFirst()
  return r?.kind
}

/** Asks the provider for a prepared refund; safe to repeat (same idempotency key). */
export async function sendRefund(
  db: Db,
  input: { refundId: string; paymentId: string; amountMinor: number; reason: string },
) {
  try {
    const r = await orderIntegrations.refundPayment(db, {
      paymentId: input.paymentId,
      amountMinor: input.amountMinor,
      idempotencyKey: `order-refund:${input.refundId}`,
      reason: input.reason,
    })
    const status = r.status === 'failed' ? 'failed' : r.status === 'pending' ? 'pending' : 'succeeded'
    await db
      .updateTable('order_refunds')
      .set({ status, provider_refund_id: r.refundId, error: null })
      .where('id', '=', input.refundId)
      .execute()
    return { refundId: input.refundId, status, amountMinor: input.amountMinor }
  } catch (e) {
    await db
      .updateTable('order_refunds')
      .set({ status: 'failed', error: (e as Error).message.slice(0, 500) })
      .where('id', '=', input.refundId)
      .execute()
    return { refundId: input.refundId, status: 'failed' as const, amountMinor: input.amountMinor }
  }
}

/** Refunds whose provider call failed or has not been confirmed, oldest first, for the operator to retry. */
export async function listUnsettledRefunds(db: Db) {
  const rows = await db
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
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    amountMinor: r.amount_minor,
    currency: r.currency,
    status: r.status,
    error: r.error,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    brandName: r.brand_name,
    brandNameEn: r.brand_name_en,
    member: r.display_name,
  }))
}

/**
 * Operator retry of a refund whose provider call failed (or is still pending): the bookkeeping is
 * already committed, so this only asks the provider again with the same idempotency key, which can
 * never pay out twice. Null for an unknown id; 409 for a refund that already succeeded.
 */
export async function retryRefund(db: Db, input: { refundId: string }) {
  const r = await db
    .selectFrom('order_refunds as f')
    .innerJoin('orders as o', 'o.id', 'f.order_id')
    .innerJoin('checkouts as c', 'c.id', 'o.checkout_id')
    .select(['f.id', 'f.status', 'f.amount_minor', 'f.reason', 'c.payment_id'])
    .where('f.id', '=', input.refundId)
    .executeTakeFirst()
  if (!r) return null
  if (r.status === 'succeeded' || !r.payment_id) throw new OrderStateError('this refund has already gone through')
  return sendRefund(db, { refundId: r.id, paymentId: r.payment_id, amountMinor: r.amount_minor, reason: r.reason })
}

/** Operator's decision: approve (everything left, the lines given, or by default the lines the member asked about) → refund through the provider; or reject with a reason. */
export async function decideAfterSale(
  db: Db,
  input:
    | { operatorId: string; requestId: string; approve: true; lines?: AfterSaleLine[] | 'all'; now: Date }
    | { operatorId: string; requestId: string; approve: false; note: string; now: Date },
) {
  const decided = await db
    .updateTable('after_sale_requests')
    .set({
      status: input.approve ? 'approved' : 'rejected',
      decision_note: input.approve ? null : input.note,
      decided_by: input.operatorId,
      decided_at: input.now,
    })
    .where('id', '=', input.requestId)
    .where('status', '=', 'open')
    .returning(['id', 'order_id', 'member_id', 'reason', 'lines'])
    .executeTakeFirst()
  if (!decided) {
    const exists = await db
      .selectFrom('after_sale_requests')
      .select('status')
      .where('id', '=', input.requestId)
      .executeTakeFirst()
    if (!exists) return null
    throw new OrderStateError('this request has already been decided')
  }
  const tell = (decision: 'approved' | 'rejected') =>
    notify(db, {
      event: 'after_sale_decided',
      recipient: { userId: decided.member_id },
      dedupeKey: `${decided.id}:${decision}`,
      link: `/orders/${decided.order_id}`,
      now: input.now,
      data: {
        orderNo: orderNo(decided.order_id),
        decision: decision === 'approved' ? '同意退款' : '不同意',
        decisionEn: decision,
        note: input.approve ? '' : input.note,
      },
    })
  if (!input.approve) {
    await tell('rejected')
    return { status: 'rejected' as const }
  }
  try {
    // 'all': everything left; no lines from the operator: the lines the member asked about (or everything left).
    const lines = input.lines === 'all' ? undefined : (input.lines ?? requestLines(decided.lines) ?? undefined)
    const refund = await refundOrder(db, {
      orderId: decided.order_id,
      lines,
      reason: `after-sale: ${decided.reason}`.slice(0, 200),
      afterSaleRequestId: decided.id,
      now: input.now,
    })
    await tell('approved')
    return { status: 'approved' as const, refund }
  } catch (e) {
    // The refund was refused (nothing left, unpaid): the request goes back to open for another decision.
    await db
      .updateTable('after_sale_requests')
      .set({ status: 'open', decided_by: null, decided_at: null })
      .where('id', '=', decided.id)
      .execute()
    throw e
  }
}

// ---------------- settlement ----------------

/**
 * After a session's after-sale deadline (and with no open request left on its orders), writes one
 * statement per brand per session: paid − refunds − commission. Received orders of settled sessions complete.
 */
export async function writeSettlements(db: Db, now: Date) {
  const due = await sql<{
    brand_id: string
    session_id: string
    session_title: string
    session_title_en: string
    paid_minor: number
    refunded_minor: number
    commission_bps: number
    currency: string
    order_count: number
  }>`
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
  let written = 0
  for (const d of due.rows) {
    const s = settlementFor({
      paidMinor: Number(d.paid_minor),
      refundedMinor: Number(d.refunded_minor),
      commissionBps: d.commission_bps,
      currency: d.currency as Currency,
    })
    const r = await db
      .insertInto('settlements')
      .values({
        brand_id: d.brand_id,
        session_id: d.session_id,
        paid_minor: s.paidMinor,
        refunded_minor: s.refundedMinor,
        commission_bps: d.commission_bps,
        commission_minor: s.commissionMinor,
        payable_minor: s.payableMinor,
        currency: d.currency,
        order_count: d.order_count,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['brand_id', 'session_id']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (r) {
      written += 1
      await notifyMany(db, {
        event: 'settlement_ready',
        recipients: brandStaff(d.brand_id),
        dedupeKey: r.id,
        link: '/brand/settlements',
        now,
        data: {
          session: d.session_title,
          sessionEn: d.session_title_en || d.session_title,
          payable: formatMoney({ amountMinor: s.payableMinor, currency: d.currency as Currency }, 'zh-CN'),
        },
      })
    }
    await sql`update orders o set status = 'completed', completed_at = ${now} where o.status = 'received'
      and exists (select 1 from order_lines l where l.order_id = o.id and l.session_id = ${d.session_id})`.execute(db)
  }
  return written
}

export async function listSettlements(db: Db, brandId: string | null) {
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
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    paidMinor: r.paid_minor,
    refundedMinor: r.refunded_minor,
    commissionBps: r.commission_bps,
    commissionMinor: r.commission_minor,
    payableMinor: r.payable_minor,
    currency: r.currency,
    orderCount: r.order_count,
    createdAt: r.created_at.toISOString(),
    sessionTitle: r.session_title,
    sessionId: r.session_id,
    startsAt: r.starts_at.toISOString(),
    brandName: r.brand_name,
    brandNameEn: r.brand_name_en,
  }))
}
