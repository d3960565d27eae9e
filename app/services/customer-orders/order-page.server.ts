// The customer's private order page, reached only through its unguessable token: status, tracking, the
// payment countdown, confirm receipt and after-sale requests. Everything here is in retail prices: nothing
// the brand is paid, nothing the reseller pays.
import { customerOrderState } from '#app/domain/customer-orders'
import type { Db } from '#db/client'
import { customerOrderLineDetails } from '#db/queries/orders'
import type { AfterSaleLine } from '#db/schema/orders'
import { canOpenAfterSale, isLate, type OrderStatus } from '#app/domain/orders'
import { openAfterSale, requestLines } from '#app/services/orders/after-sales.server'
import { confirmReceipt } from '#app/services/orders/orders.server'
import { customerLineView, parcelView } from './views.server'

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/

async function findByToken(db: Db, token: string) {
  if (!TOKEN.test(token)) return undefined
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('checkouts as c', 'c.id', 'co.checkout_id')
    .innerJoin('users as u', 'u.id', 'co.reseller_id')
    .leftJoin('reseller_profiles as rp', 'rp.user_id', 'co.reseller_id')
    .select([
      'co.id',
      'co.token',
      'co.name',
      'co.phone',
      'co.email',
      'co.region',
      'co.line',
      'co.retail_total_minor',
      'co.currency',
      'co.created_at',
      'co.reseller_id',
      'c.id as checkout_id',
      'c.status as checkout_status',
      'c.expires_at',
      'c.paid_at',
      'u.display_name',
      'rp.display_name as shop_name',
      'rp.wechat_id',
      'rp.phone as shop_phone',
    ])
    .where('co.token', '=', token)
    .executeTakeFirst()
}

/** Everything the customer may see of her order; null for an unknown token. */
export async function customerOrderPage(db: Db, token: string, now: Date) {
  const co = await findByToken(db, token)
  if (!co) return null
  const [orders, lines, requests, refunds] = await Promise.all([
    db
      .selectFrom('orders as o')
      .innerJoin('brands as b', 'b.id', 'o.brand_id')
      .select([
        'o.id',
        'o.status',
        'o.carrier',
        'o.tracking_no',
        'o.shipped_at',
        'o.received_at',
        'o.ship_by_at',
        'o.late_flagged_at',
        'b.name as brand_name',
        'b.name_en as brand_name_en',
      ])
      .where('o.checkout_id', '=', co.checkout_id)
      .orderBy('b.name')
      .execute(),
    customerOrderLineDetails(db, co.id),
    db
      .selectFrom('after_sale_requests as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select(['r.id', 'r.order_id', 'r.kind', 'r.reason', 'r.status', 'r.decision_note', 'r.created_at', 'r.lines'])
      .where('o.checkout_id', '=', co.checkout_id)
      .orderBy('r.created_at', 'desc')
      .execute(),
    db
      .selectFrom('order_refunds as f')
      .innerJoin('orders as o', 'o.id', 'f.order_id')
      .select(['f.id', 'f.order_id', 'f.amount_minor', 'f.status', 'f.created_at'])
      .where('o.checkout_id', '=', co.checkout_id)
      .orderBy('f.created_at')
      .execute(),
  ])
  const parcels = orders.map((o) => {
    const own = lines.filter((l) => l.order_id === o.id)
    const deadline = own.reduce<Date | null>(
      (d, l) => (!d || l.after_sale_deadline_at < d ? l.after_sale_deadline_at : d),
      null,
    )
    const status = o.status as OrderStatus
    const openRequest = requests.some((r) => r.order_id === o.id && r.status === 'open')
    return {
      ...parcelView({ ...o, status }),
      brandName: o.brand_name,
      brandNameEn: o.brand_name_en,
      shippedAt: o.shipped_at?.toISOString() ?? null,
      receivedAt: o.received_at?.toISOString() ?? null,
      late: o.late_flagged_at !== null || isLate({ status, shipByAt: o.ship_by_at }, now),
      afterSaleDeadline: deadline?.toISOString() ?? null,
      canAfterSale: !!deadline && canOpenAfterSale({ status }, deadline, now) && !openRequest,
      lines: own.map((l) => ({ ...customerLineView(l), titleEn: l.title_en, imageSeed: l.image_seed })),
      requests: requests
        .filter((r) => r.order_id === o.id)
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          reason: r.reason,
          status: r.status,
          note: r.decision_note,
          createdAt: r.created_at.toISOString(),
          lines: requestLines(r.lines),
        })),
      refunds: refunds
        .filter((f) => f.order_id === o.id)
        .map((f) => ({
          id: f.id,
          amountMinor: f.amount_minor,
          status: f.status,
          createdAt: f.created_at.toISOString(),
        })),
    }
  })
  const state = customerOrderState({ checkoutStatus: co.checkout_status, expiresAt: co.expires_at }, now)
  return {
    token: co.token,
    state,
    payBy: state === 'pending_payment' ? co.expires_at.toISOString() : null,
    createdAt: co.created_at.toISOString(),
    totalMinor: co.retail_total_minor,
    currency: co.currency,
    refundedMinor: refunds.filter((f) => f.status !== 'failed').reduce((s, f) => s + f.amount_minor, 0),
    customer: { name: co.name, phone: co.phone, email: co.email, region: co.region, line: co.line },
    shop: { name: co.shop_name ?? co.display_name, wechatId: co.wechat_id, phone: co.shop_phone },
    parcels,
  }
}
export type CustomerOrderView = NonNullable<Awaited<ReturnType<typeof customerOrderPage>>>

/** The parcel (one brand's order) of this customer order, with its reseller; null when the order is not hers. */
async function parcelOf(db: Db, token: string, orderId: string) {
  if (!TOKEN.test(token)) return null
  return (
    (await db
      .selectFrom('customer_orders as co')
      .innerJoin('orders as o', 'o.checkout_id', 'co.checkout_id')
      .select(['o.id', 'co.reseller_id'])
      .where('co.token', '=', token)
      .where('o.id', '=', orderId)
      .executeTakeFirst()) ?? null
  )
}

/** The customer confirms a shipped parcel arrived. */
export async function confirmCustomerReceipt(db: Db, input: { token: string; orderId: string; now: Date }) {
  const p = await parcelOf(db, input.token, input.orderId)
  if (!p) return null
  return confirmReceipt(db, { memberId: p.reseller_id, orderId: p.id, now: input.now, customerOrder: true })
}

/** A return / refund request on one parcel, decided by the operator like a member's; refunds go to the customer. */
export async function openCustomerAfterSale(
  db: Db,
  input: {
    token: string
    orderId: string
    kind: 'refund' | 'return_refund'
    reason: string
    photos: string[]
    lines?: AfterSaleLine[]
    now: Date
  },
) {
  const p = await parcelOf(db, input.token, input.orderId)
  if (!p) return null
  return openAfterSale(db, {
    memberId: p.reseller_id,
    orderId: p.id,
    kind: input.kind,
    reason: input.reason,
    photos: input.photos,
    lines: input.lines,
    now: input.now,
    customerOrder: true,
  })
}

export async function orderIdsOfToken(db: Db, token: string) {
  if (!TOKEN.test(token)) return []
  const rows = await db
    .selectFrom('customer_orders as co')
    .innerJoin('orders as o', 'o.checkout_id', 'co.checkout_id')
    .select('o.id')
    .where('co.token', '=', token)
    .execute()
  return rows.map((r) => r.id)
}
