// The reseller's side of her customers' orders: the orders (name, masked phone, items, status, tracking),
// her customers with counts and totals, which links and items turned views into orders, and price alerts.
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { lineOptionNamesEn } from '#db/queries/option-names'
import { customerOrderState, maskPhone } from '#app/domain/customer-orders'
import { customerLineView, parcelView } from './views.server'

/** Her customers' orders, newest first. The customer's number is masked even for her. */
export async function resellerCustomerOrders(db: Db, resellerId: string, now: Date) {
  const orders = await db
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
  const ids = orders.map((o) => o.id)
  const [lines, parcels] = ids.length
    ? await Promise.all([
        db
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
          .where('cl.customer_order_id', 'in', ids)
          .orderBy('l.title')
          .execute(),
        db
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
          .where('co.id', 'in', ids)
          .execute(),
      ])
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
  const { rows } = await sql<{
    phone: string
    name: string
    orders: number
    paid_minor: number
    currency: string
    last_at: Date
  }>`
    select co.phone, (array_agg(co.name order by co.created_at desc))[1] as name, count(*)::int as orders,
      coalesce(sum(co.retail_total_minor - coalesce(r.refunded, 0)), 0)::bigint as paid_minor, min(co.currency) as currency, max(co.created_at) as last_at
    from customer_orders co join checkouts c on c.id = co.checkout_id and c.status = 'paid'
    left join lateral (
      select sum(f.amount_minor) as refunded from order_refunds f join orders o on o.id = f.order_id
      where o.checkout_id = co.checkout_id and f.status <> 'failed'
    ) r on true
    where co.reseller_id = ${resellerId}
    group by co.phone order by max(co.created_at) desc limit 500`.execute(db)
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
  const { rows: links } = await sql<{
    id: string
    token: string
    kind: string
    views: number
    created_at: Date
    orders: number
    session_title: string
  }>`
    select l.id, l.token, l.kind, l.views, l.created_at, s.title as session_title,
      (select count(*) from customer_orders co join checkouts c on c.id = co.checkout_id and c.status = 'paid' where co.share_link_id = l.id)::int as orders
    from share_links l join clearance_sessions s on s.id = l.session_id
    where l.user_id = ${resellerId} order by l.created_at desc limit 100`.execute(db)
  const { rows: items } = links.length
    ? await sql<{ share_link_id: string; session_item_id: string; title: string; views: number; units: number }>`
    select li.share_link_id, li.session_item_id, p.title, li.views,
      coalesce((select sum(l.quantity) from customer_orders co join checkouts c on c.id = co.checkout_id and c.status = 'paid'
        join customer_order_lines cl on cl.customer_order_id = co.id join order_lines l on l.id = cl.order_line_id
        join session_item_skus k on k.id = l.session_item_sku_id
        where co.share_link_id = li.share_link_id and k.session_item_id = li.session_item_id), 0)::int as units
    from share_link_items li join session_items i on i.id = li.session_item_id join products p on p.id = i.product_id
    where li.share_link_id in (${sql.join(links.map((l) => l.id))}) order by li.position`.execute(db)
    : { rows: [] }
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
  const rows = await db
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
