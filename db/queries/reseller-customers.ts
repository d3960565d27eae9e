import { sql } from 'kysely'
import type { Conn } from './conn'
import { lineOptionNamesEn } from './option-names'

/** Her customers' orders with their checkouts' state, newest first (at most 200). */
export function listResellerCustomerOrders(db: Conn, resellerId: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('checkouts as c', 'c.id', 'co.checkout_id')
    .select([
      'co.id',
      'co.name',
      'co.phone',
      'co.retail_total_minor',
      'co.currency',
      'co.created_at',
      'co.source',
      'c.status as checkout_status',
      'c.expires_at',
      'c.id as checkout_id',
    ])
    .where('co.reseller_id', '=', resellerId)
    .orderBy('co.created_at', 'desc')
    .limit(200)
    .execute()
}

/** The lines of these customer orders with the retail and own unit prices, by title. */
export function customerOrderLinesOf(db: Conn, customerOrderIds: string[]) {
  return db
    .selectFrom('customer_order_lines as cl')
    .innerJoin('order_lines as l', 'l.id', 'cl.order_line_id')
    .leftJoin('skus as lk', 'lk.id', 'l.sku_id')
    .select(lineOptionNamesEn())
    .select([
      'cl.customer_order_id',
      'l.id',
      'l.title',
      'l.size',
      'l.colour',
      'l.quantity',
      'l.refunded_quantity',
      'cl.retail_unit_minor',
      'cl.own_unit_minor',
    ])
    .where('cl.customer_order_id', 'in', customerOrderIds)
    .orderBy('l.title')
    .execute()
}

/** The parcels of these customer orders with the growth points each credited to and took back from her. */
export function customerOrderParcels(db: Conn, customerOrderIds: string[]) {
  return db
    .selectFrom('orders as o')
    .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .leftJoin('growth_order_credits as g', 'g.order_id', 'o.id')
    .select([
      'co.id as customer_order_id',
      'o.id',
      'o.status',
      'o.carrier',
      'o.tracking_no',
      'g.points_credited',
      'g.points_revoked',
    ])
    .where('co.id', 'in', customerOrderIds)
    .execute()
}

/**
 * Her customers, one per mobile number (the latest name), with their paid orders and what they paid net of
 * refunds that did not fail; most recent first, at most 500.
 */
export async function resellerCustomerTotals(db: Conn, resellerId: string) {
  const { rows } = await sql<{
    phone: string
    name: string
    orders: number
    paid_minor: number
    currency: string
    last_at: Date
  }>`
    select co.phone, (array_agg(co.name order by co.created_at desc))[1] as name, count(*)::int as orders,
      coalesce(sum(co.retail_total_minor - coalesce(r.refunded, 0)), 0)::bigint as paid_minor,
      min(co.currency) as currency, max(co.created_at) as last_at
    from customer_orders co join checkouts c on c.id = co.checkout_id and c.status = 'paid'
    left join lateral (
      select sum(f.amount_minor) as refunded from order_refunds f join orders o on o.id = f.order_id
      where o.checkout_id = co.checkout_id and f.status <> 'failed'
    ) r on true
    where co.reseller_id = ${resellerId}
    group by co.phone order by max(co.created_at) desc limit 500`.execute(db)
  return rows
}

/** Her share links (newest first, at most 100) with their views and the paid customer orders placed through each. */
export async function shareLinkOrders(db: Conn, resellerId: string) {
  const { rows } = await sql<{
    id: string
    token: string
    kind: string
    views: number
    created_at: Date
    orders: number
    session_title: string
  }>`
    select l.id, l.token, l.kind, l.views, l.created_at, s.title as session_title,
      (select count(*) from customer_orders co join checkouts c on c.id = co.checkout_id and c.status = 'paid'
        where co.share_link_id = l.id)::int as orders
    from share_links l join clearance_sessions s on s.id = l.session_id
    where l.user_id = ${resellerId} order by l.created_at desc limit 100`.execute(db)
  return rows
}

/** The items of these share links, in their order, with their views and the units paid customer orders bought. */
export async function shareLinkItemUnits(db: Conn, linkIds: string[]) {
  if (!linkIds.length) return []
  const { rows } = await sql<{
    share_link_id: string
    session_item_id: string
    title: string
    views: number
    units: number
  }>`
    select li.share_link_id, li.session_item_id, p.title, li.views,
      coalesce((select sum(l.quantity) from customer_orders co
        join checkouts c on c.id = co.checkout_id and c.status = 'paid'
        join customer_order_lines cl on cl.customer_order_id = co.id join order_lines l on l.id = cl.order_line_id
        join session_item_skus k on k.id = l.session_item_sku_id
        where co.share_link_id = li.share_link_id and k.session_item_id = li.session_item_id), 0)::int as units
    from share_link_items li join session_items i on i.id = li.session_item_id join products p on p.id = i.product_id
    where li.share_link_id in (${sql.join(linkIds)}) order by li.position`.execute(db)
  return rows
}

/** Her price alerts (items customers could not buy at her price), most recent first, at most 50. */
export function listPriceAlerts(db: Conn, resellerId: string) {
  return db
    .selectFrom('reseller_price_alerts as a')
    .innerJoin('session_items as i', 'i.id', 'a.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'a.session_item_id',
      'a.reason',
      'a.retail_price_minor',
      'a.refused',
      'a.last_at',
      'p.title',
      'i.session_id',
      'i.currency',
    ])
    .where('a.reseller_id', '=', resellerId)
    .orderBy('a.last_at', 'desc')
    .limit(50)
    .execute()
}
