import type { Db } from '#db/client'
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
import {
  addLineRefund,
  addOrderRefund,
  afterSaleKind,
  afterSaleRequestExists,
  completeReceivedOrdersOfSession,
  decideOpenAfterSale,
  dueSettlements,
  findAfterSaleOrder,
  findRefundWithPayment,
  insertAfterSaleRequest,
  insertOrderRefund,
  insertSettlement,
  listAfterSaleRequests,
  listSettlementRows,
  lockOrderForRefund,
  orderLinesForRefund,
  refundsOfOrders,
  reopenAfterSale,
  setRefundOutcome,
  unsettledRefunds,
} from '#db/queries/after-sales'
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
    const current = await orderLinesForRefund(db, o.id)
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
  const rows = await listAfterSaleRequests(db, status)
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
    ? await refundsOfOrders(
        db,
        rows.map((r) => r.order_id),
      )
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
    const order = await lockOrderForRefund(trx, input.orderId)
    if (!order) return null
    if (!['paid', 'shipped', 'received', 'completed'].includes(order.status) || !order.payment_id)
      throw new OrderStateError('only a paid order can be refunded')
    const current = await orderLinesForRefund(trx, order.id)
    const refundable = current.map((l) => ({
      id: l.id,
      quantity: l.quantity,
      refundedQuantity: l.refunded_quantity,
      unitPriceMinor: l.unit_price_minor,
    }))
    const plan = refundLines(refundable, input.lines ?? remainingLines(refundable))
    for (const l of plan.lines) {
      await addLineRefund(trx, l.orderLineId, l.quantity, l.amountMinor)
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
    await addOrderRefund(trx, order.id, plan.amountMinor, allRefunded)
    const refund = await insertOrderRefund(trx, {
      orderId: order.id,
      afterSaleRequestId: input.afterSaleRequestId ?? null,
      amountMinor: moneyMinor,
      goodsMinor: plan.amountMinor,
      currency: order.currency,
      lines: plan.lines,
      reason: input.reason,
      now: input.now,
    })
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
    await setRefundOutcome(db, input.refundId, { status, providerRefundId: r.refundId, error: null })
    return { refundId: input.refundId, status, amountMinor: input.amountMinor }
  } catch (e) {
    await setRefundOutcome(db, input.refundId, { status: 'failed', error: (e as Error).message.slice(0, 500) })
    return { refundId: input.refundId, status: 'failed' as const, amountMinor: input.amountMinor }
  }
}

/** Refunds whose provider call failed or has not been confirmed, oldest first, for the operator to retry. */
export async function listUnsettledRefunds(db: Db) {
  const rows = await unsettledRefunds(db)
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
  const r = await findRefundWithPayment(db, input.refundId)
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
  const decided = await decideOpenAfterSale(db, {
    requestId: input.requestId,
    status: input.approve ? 'approved' : 'rejected',
    note: input.approve ? null : input.note,
    operatorId: input.operatorId,
    now: input.now,
  })
  if (!decided) {
    if (!(await afterSaleRequestExists(db, input.requestId))) return null
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
    await reopenAfterSale(db, decided.id)
    throw e
  }
}

// ---------------- settlement ----------------

/**
 * After a session's after-sale deadline (and with no open request left on its orders), writes one
 * statement per brand per session: paid − refunds − commission. Received orders of settled sessions complete.
 */
export async function writeSettlements(db: Db, now: Date) {
  const due = await dueSettlements(db, now)
  let written = 0
  for (const d of due) {
    const s = settlementFor({
      paidMinor: Number(d.paid_minor),
      refundedMinor: Number(d.refunded_minor),
      commissionBps: d.commission_bps,
      currency: d.currency as Currency,
    })
    const r = await insertSettlement(db, {
      brandId: d.brand_id,
      sessionId: d.session_id,
      paidMinor: s.paidMinor,
      refundedMinor: s.refundedMinor,
      commissionBps: d.commission_bps,
      commissionMinor: s.commissionMinor,
      payableMinor: s.payableMinor,
      currency: d.currency,
      orderCount: d.order_count,
      now,
    })
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
    await completeReceivedOrdersOfSession(db, d.session_id, now)
  }
  return written
}

export async function listSettlements(db: Db, brandId: string | null) {
  const rows = await listSettlementRows(db, brandId)
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
