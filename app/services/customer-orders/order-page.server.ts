// The customer's private order page, reached only through its unguessable token: status, tracking, the
// payment countdown, confirm receipt and after-sale requests. Everything here is in retail prices: nothing
// the brand is paid, nothing the reseller pays.
import { customerOrderState } from '#app/domain/customer-orders'
import type { Db } from '#db/client'
import {
  checkoutAfterSaleRequests,
  checkoutParcels,
  checkoutRefunds,
  findCustomerOrderByToken,
  findTokenParcel,
  tokenOrderIds,
} from '#db/queries/customer-order-page'
import { customerOrderLineDetails } from '#db/queries/orders'
import type { AfterSaleLine } from '#db/schema/orders'
import { canOpenAfterSale, isLate, type OrderStatus } from '#app/domain/orders'
import { openAfterSale, requestLines } from '#app/services/orders/after-sales.server'
import { confirmReceipt } from '#app/services/orders/orders.server'
import { customerLineView, parcelView } from './views.server'

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/

async function findByToken(db: Db, token: string) {
  if (!TOKEN.test(token)) return undefined
  return findCustomerOrderByToken(db, token)
}

/** Everything the customer may see of her order; null for an unknown token. */
export async function customerOrderPage(db: Db, token: string, now: Date) {
  const co = await findByToken(db, token)
  if (!co) return null
  const [orders, lines, requests, refunds] = await Promise.all([
    checkoutParcels(db, co.checkout_id),
    customerOrderLineDetails(db, co.id),
    checkoutAfterSaleRequests(db, co.checkout_id),
    checkoutRefunds(db, co.checkout_id),
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
  return (await findTokenParcel(db, token, orderId)) ?? null
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
  const rows = await tokenOrderIds(db, token)
  return rows.map((r) => r.id)
}
