// The reseller's side of her customers' orders: the orders (name, masked phone, items, status, tracking),
// her customers with counts and totals, which links and items turned views into orders, and price alerts.
import type { Db } from '#db/client'
import {
  customerOrderLinesOf,
  customerOrderParcels,
  listPriceAlerts,
  listResellerCustomerOrders,
  resellerCustomerTotals,
  shareLinkItemUnits,
  shareLinkOrders,
} from '#db/queries/reseller-customers'
import { customerOrderState, maskPhone } from '#app/domain/customer-orders'
import { customerLineView, parcelView } from './views.server'

/** Her customers' orders, newest first. The customer's number is masked even for her. */
export async function resellerCustomerOrders(db: Db, resellerId: string, now: Date) {
  const orders = await listResellerCustomerOrders(db, resellerId)
  const ids = orders.map((o) => o.id)
  const [lines, parcels] = ids.length
    ? await Promise.all([customerOrderLinesOf(db, ids), customerOrderParcels(db, ids)])
    : [[], []]
  return orders.map((o) => ({
    id: o.id,
    name: o.name,
    phone: maskPhone(o.phone),
    totalMinor: o.retail_total_minor,
    currency: o.currency,
    createdAt: o.created_at.toISOString(),
    source: o.source,
    state: customerOrderState({ checkoutStatus: o.checkout_status, expiresAt: o.expires_at }, now),
    lines: lines
      .filter((l) => l.customer_order_id === o.id)
      .map((l) => ({
        ...customerLineView(l),
        markupMinor: (l.retail_unit_minor - l.own_unit_minor) * (l.quantity - l.refunded_quantity),
      })),
    parcels: parcels.filter((p) => p.customer_order_id === o.id).map(parcelView),
    // Her growth points from this order: credited on her own price when paid, taken back on refunds.
    points: parcels
      .filter((p) => p.customer_order_id === o.id)
      .reduce((n, p) => n + (p.points_credited ?? 0) - (p.points_revoked ?? 0), 0),
  }))
}

/** Her customers (one per mobile number): paid orders and what they paid net of refunds. */
export async function resellerCustomers(db: Db, resellerId: string) {
  const rows = await resellerCustomerTotals(db, resellerId)
  return rows.map((r) => ({
    phone: maskPhone(r.phone),
    name: r.name,
    orders: r.orders,
    paidMinor: Number(r.paid_minor),
    currency: r.currency,
    lastAt: r.last_at.toISOString(),
  }))
}

/** Views → paid orders per share link, and per item of each link. */
export async function resellerConversion(db: Db, resellerId: string) {
  const links = await shareLinkOrders(db, resellerId)
  const items = await shareLinkItemUnits(
    db,
    links.map((l) => l.id),
  )
  return links.map((l) => ({
    id: l.id,
    kind: l.kind,
    views: l.views,
    orders: l.orders,
    sessionTitle: l.session_title,
    createdAt: l.created_at.toISOString(),
    items: items
      .filter((i) => i.share_link_id === l.id)
      .map((i) => ({ id: i.session_item_id, title: i.title, views: i.views, units: i.units })),
  }))
}

/** Items her customers could not buy because her price broke a floor at order time. */
export async function resellerPriceAlerts(db: Db, resellerId: string) {
  const rows = await listPriceAlerts(db, resellerId)
  return rows.map((r) => ({
    itemId: r.session_item_id,
    sessionId: r.session_id,
    title: r.title,
    reason: r.reason,
    retailPriceMinor: r.retail_price_minor,
    currency: r.currency,
    refused: r.refused,
    lastAt: r.last_at.toISOString(),
  }))
}

/** Her customer-orders page in one call. */
export async function resellerCustomerPage(db: Db, resellerId: string, now: Date) {
  const [orders, customers, links, alerts] = await Promise.all([
    resellerCustomerOrders(db, resellerId, now),
    resellerCustomers(db, resellerId),
    resellerConversion(db, resellerId),
    resellerPriceAlerts(db, resellerId),
  ])
  return { orders, customers, links, alerts }
}
