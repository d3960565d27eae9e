import { parse } from 'csv-parse/sync'
import type { Db } from '#db/client'
import {
  afterSaleRequestsOfOrder,
  findBrandOrderStatus,
  findMemberOrder,
  findMemberOrderCheckout,
  flagLatePaidOrders,
  markReceived,
  markShipped,
  memberOrderExists,
  orderLineDetails,
  orderSummaries,
  packingListRows,
  receiveShippedBefore,
  refundsOfOrder,
} from '#db/queries/orders'
import type { ShipTo } from '#db/schema/orders'
import {
  isLate,
  OrderStateError,
  type OrderStatus,
  PaymentUnavailableError,
  purchaseNo,
  ShipError,
} from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { notACustomerOrder } from '#db/queries/customer-orders'
import { releaseCheckout } from '../checkout/release.server'
import { orderIntegrations, type StartPaymentInput } from './integrations.server'
import { requestLines } from './after-sales.server'
import { toCsv } from '#app/utils/csv.server'
import { orderNotices } from '../notifications/events.server'
import { inTransaction } from '../notifications/notify.server'

const shipTo = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as ShipTo) : (v as ShipTo))

type SummaryRow = Awaited<ReturnType<ReturnType<typeof orderSummaries>['execute']>>[number]
function summary(r: SummaryRow, now: Date) {
  return {
    id: r.id,
    status: r.status as OrderStatus,
    goodsMinor: r.goods_minor,
    refundedMinor: r.refunded_minor,
    currency: r.currency,
    createdAt: r.created_at.toISOString(),
    paidAt: r.paid_at?.toISOString() ?? null,
    shipByAt: r.ship_by_at?.toISOString() ?? null,
    shippedAt: r.shipped_at?.toISOString() ?? null,
    carrier: r.carrier,
    trackingNo: r.tracking_no,
    receivedAt: r.received_at?.toISOString() ?? null,
    late: r.late_flagged_at !== null || isLate({ status: r.status as OrderStatus, shipByAt: r.ship_by_at }, now),
    dropShip: r.drop_ship,
    shipTo: shipTo(r.ship_to),
    checkoutId: r.checkout_id,
    purchaseNo: purchaseNo(r.checkout_id),
    brandName: r.brand_name,
    brandNameEn: r.brand_name_en,
    payBy: r.status === 'pending_payment' ? r.expires_at.toISOString() : null,
    units: Number(r.units ?? 0),
    // A drop-shipped parcel's sender is the reseller's shop name (her customers never see the platform or the brand as sender).
    sender: r.drop_ship ? r.sender : null,
  }
}

export async function listMemberOrders(db: Db, memberId: string, now: Date) {
  const rows = await orderSummaries(db)
    .where('o.member_id', '=', memberId)
    .where(notACustomerOrder('o.checkout_id'))
    .orderBy('o.created_at', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => summary(r, now))
}

function orderLines(db: Db, orderId: string) {
  return orderLineDetails(db)
    .select(['l.refunded_minor', 'l.product_id', 's.id as session_id'])
    .where('l.order_id', '=', orderId)
    .orderBy('l.title')
    .execute()
}

/** One of the member's own orders (null for anyone else's), with lines, after-sales and refunds. */
export async function memberOrderDetail(db: Db, memberId: string, orderId: string, now: Date) {
  const row = await orderSummaries(db)
    .where('o.id', '=', orderId)
    .where('o.member_id', '=', memberId)
    .where(notACustomerOrder('o.checkout_id'))
    .executeTakeFirst()
  if (!row) return null
  const [lines, requests, refunds] = await Promise.all([
    orderLines(db, orderId),
    afterSaleRequestsOfOrder(db, orderId),
    refundsOfOrder(db, orderId),
  ])
  const afterSaleDeadline = lines.reduce<Date | null>(
    (d, l) => (!d || l.after_sale_deadline_at < d ? l.after_sale_deadline_at : d),
    null,
  )
  return {
    order: summary(row, now),
    lines: lines.map((l) => ({
      id: l.id,
      title: l.title,
      titleEn: l.title_en,
      size: l.size,
      colour: l.colour,
      sizeEn: l.size_en,
      colourEn: l.colour_en,
      quantity: l.quantity,
      unitPriceMinor: l.unit_price_minor,
      refundedQuantity: l.refunded_quantity,
      productId: l.product_id,
      imageSeed: l.image_seed,
      imagePath: l.image_path,
    })),
    afterSaleDeadline: afterSaleDeadline?.toISOString() ?? null,
    requests: requests.map((r) => ({
      id: r.id,
      kind: r.kind,
      reason: r.reason,
      status: r.status,
      note: r.decision_note,
      createdAt: r.created_at.toISOString(),
      photos: r.photos.length,
      lines: requestLines(r.lines),
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      amountMinor: r.amount_minor,
      status: r.status,
      createdAt: r.created_at.toISOString(),
    })),
  }
}

/** Cancels before payment: the whole checkout (one payment covers all its orders) and its stock returns once. */
export async function cancelOrder(db: Db, input: { memberId: string; orderId: string; now: Date }) {
  const o = await findMemberOrder(db, input.memberId, input.orderId)
  if (!o) return null
  const done = await releaseCheckout(db, {
    checkoutId: o.checkout_id,
    to: 'cancelled',
    now: input.now,
    memberId: input.memberId,
  })
  if (!done) throw new OrderStateError('only an unpaid order can be cancelled')
  return true
}

/** `customerOrder`: the caller (the customer's order page) already matched the order to the customer's token. */
export async function confirmReceipt(
  db: Db,
  input: { memberId: string; orderId: string; now: Date; customerOrder?: boolean },
) {
  if (!(await markReceived(db, input))) {
    if (!(await memberOrderExists(db, input))) return null
    throw new OrderStateError('only a shipped order can be confirmed as received')
  }
  return true
}

/**
 * Starts the payment of the checkout an order belongs to. Called after the checkout transaction has
 * committed (the provider call is a network call).
 */
export async function payForOrder(db: Db, input: { memberId: string; orderId: string; origin: string; now: Date }) {
  const c = await findMemberOrderCheckout(db, input.memberId, input.orderId)
  if (!c) return null
  if (c.status !== 'pending_payment' || c.expires_at <= input.now)
    throw new OrderStateError('this order can no longer be paid')
  return startCheckoutPayment(db, {
    checkoutId: c.id,
    memberId: input.memberId,
    amountMinor: c.total_minor,
    currency: c.currency,
    origin: input.origin,
    orderId: input.orderId,
  })
}

type CheckoutPaymentInput = {
  checkoutId: string
  memberId: string
  amountMinor: number
  currency: string
  origin: string
  orderId: string
}

/** What a checkout's payment asks the payments layer for (also used by the demo seed's paid orders). */
export function checkoutPaymentRequest(input: CheckoutPaymentInput): StartPaymentInput {
  return {
    purpose: 'order',
    referenceId: input.checkoutId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    description: `付款单 ${purchaseNo(input.checkoutId)}`,
    payerUserId: input.memberId,
    // A declined or abandoned payment comes back to the order, which says so and what to do next.
    successPath: `/orders/${input.orderId}?paid=1`,
    cancelPath: `/orders/${input.orderId}?payment=failed`,
    origin: input.origin,
  }
}

export async function startCheckoutPayment(db: Db, input: CheckoutPaymentInput) {
  try {
    return await orderIntegrations.startPayment(db, checkoutPaymentRequest(input))
  } catch (e) {
    // The checkout stands (stock held until it expires); the member can retry from the order page.
    console.warn('[orders] could not start a payment for checkout', input.checkoutId, (e as Error).message)
    throw new PaymentUnavailableError('online payment could not be started, please try again')
  }
}

// ---------------- brands ----------------

export async function listBrandOrders(db: Db, brandId: string, filter: 'to_ship' | 'all', now: Date) {
  let q = orderSummaries(db).where('o.brand_id', '=', brandId)
  q =
    filter === 'to_ship'
      ? q.where('o.status', '=', 'paid').orderBy('o.ship_by_at')
      : q.where('o.status', '!=', 'pending_payment').orderBy('o.created_at', 'desc')
  const rows = await q.limit(500).execute()
  return rows.map((r) => summary(r, now))
}

/** Records carrier and tracking number on one of the brand's paid orders. */
export async function shipOrder(
  db: Db,
  input: { brandId: string; orderId: string; carrier: string; trackingNo: string; now: Date },
) {
  const shipped = await inTransaction(db, async (trx) => {
    const r = await markShipped(trx, input)
    if (r) await orderNotices(trx, 'order_shipped', [r.id], input.now)
    return !!r
  })
  if (shipped) return true
  const o = await findBrandOrderStatus(db, input.brandId, input.orderId)
  if (!o) return null
  throw new ShipError(`order is ${o.status}, not waiting for shipment`)
}

export interface CsvRowResult {
  row: number
  orderId: string
  ok: boolean
  error?: string
}

/** Shipments from CSV (order_id, carrier, tracking_no): each row is applied or reported on its own. */
export async function shipFromCsv(db: Db, input: { brandId: string; csv: string; now: Date }): Promise<CsvRowResult[]> {
  let records: string[][]
  try {
    records = parse(input.csv, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true })
  } catch {
    return [{ row: 1, orderId: '', ok: false, error: 'csv_unreadable' }]
  }
  if (records.length && /order/i.test(records[0][0] ?? '')) records = records.slice(1)
  const results: CsvRowResult[] = []
  for (const [i, rec] of records.slice(0, 2000).entries()) {
    const [orderId = '', carrier = '', trackingNo = ''] = rec
    const row = i + 2
    if (!/^[0-9a-f-]{36}$/i.test(orderId)) {
      results.push({ row, orderId, ok: false, error: 'bad_order_id' })
      continue
    }
    if (!carrier || carrier.length > 40) {
      results.push({ row, orderId, ok: false, error: 'bad_carrier' })
      continue
    }
    if (!/^[A-Za-z0-9-]{4,40}$/.test(trackingNo)) {
      results.push({ row, orderId, ok: false, error: 'bad_tracking' })
      continue
    }
    try {
      const ok = await shipOrder(db, { brandId: input.brandId, orderId, carrier, trackingNo, now: input.now })
      results.push(ok ? { row, orderId, ok: true } : { row, orderId, ok: false, error: 'not_found' })
    } catch (e) {
      if (e instanceof ShipError) results.push({ row, orderId, ok: false, error: 'not_to_ship' })
      else throw e
    }
  }
  return results
}

/** Packing list of the brand's orders to ship. Drop-ship parcels never carry prices, so no prices at all. */
export async function packingListCsv(db: Db, brandId: string) {
  const rows = await packingListRows(db, brandId)
  return toCsv([
    [
      'order_id',
      'drop_ship',
      'sender',
      'recipient',
      'phone',
      'region',
      'address',
      'title',
      'colour',
      'size',
      'barcode',
      'quantity',
      'ship_by_utc',
    ],
    ...rows.map((r) => {
      const to = shipTo(r.ship_to)
      return [
        r.id,
        r.drop_ship ? 'yes' : 'no',
        r.drop_ship ? r.sender : '',
        to.recipient,
        to.phone,
        to.region,
        to.line,
        r.title,
        r.colour,
        r.size,
        r.barcode,
        r.quantity,
        r.ship_by_at?.toISOString() ?? '',
      ]
    }),
  ])
}

// ---------------- operator ----------------

export async function listAllOrders(db: Db, filter: 'late' | 'all', now: Date) {
  let q = orderSummaries(db)
  q =
    filter === 'late'
      ? q
          .where((eb) =>
            eb.or([
              eb('o.late_flagged_at', 'is not', null),
              eb.and([eb('o.status', '=', 'paid'), eb('o.ship_by_at', '<', now)]),
            ]),
          )
          .where('o.status', '=', 'paid')
          .orderBy('o.ship_by_at')
      : q.orderBy('o.created_at', 'desc')
  const rows = await q.limit(500).execute()
  return rows.map((r) => summary(r, now))
}

// ---------------- jobs ----------------

/** Flags paid orders past their 24-hour ship-by deadline, once. */
export async function flagLateOrders(db: Db, now: Date) {
  return flagLatePaidOrders(db, now)
}

/** Shipped orders the member has not confirmed within 10 days are received automatically. */
export async function autoReceiveOrders(db: Db, now: Date) {
  return inTransaction(db, async (trx) => {
    const rows = await receiveShippedBefore(trx, new Date(now.getTime() - PLATFORM_RULES.autoReceiveAfterMs), now)
    await orderNotices(
      trx,
      'order_auto_received',
      rows.map((r) => r.id),
      now,
    )
    return rows.length
  })
}
