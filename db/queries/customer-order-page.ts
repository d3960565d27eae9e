import type { Conn } from './conn'

/** A customer order by its private token, with its checkout and the reseller's shop contact. */
export function findCustomerOrderByToken(db: Conn, token: string) {
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

/** A checkout's parcels (one order per brand) with their shipping state, by brand name. */
export function checkoutParcels(db: Conn, checkoutId: string) {
  return db
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
    .where('o.checkout_id', '=', checkoutId)
    .orderBy('b.name')
    .execute()
}

/** The after-sale requests on a checkout's orders, newest first. */
export function checkoutAfterSaleRequests(db: Conn, checkoutId: string) {
  return db
    .selectFrom('after_sale_requests as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.id', 'r.order_id', 'r.kind', 'r.reason', 'r.status', 'r.decision_note', 'r.created_at', 'r.lines'])
    .where('o.checkout_id', '=', checkoutId)
    .orderBy('r.created_at', 'desc')
    .execute()
}

/** The refunds of a checkout's orders, oldest first. */
export function checkoutRefunds(db: Conn, checkoutId: string) {
  return db
    .selectFrom('order_refunds as f')
    .innerJoin('orders as o', 'o.id', 'f.order_id')
    .select(['f.id', 'f.order_id', 'f.amount_minor', 'f.status', 'f.created_at'])
    .where('o.checkout_id', '=', checkoutId)
    .orderBy('f.created_at')
    .execute()
}

/** One parcel of the customer order with this token, with its reseller; undefined when the order is not its. */
export function findTokenParcel(db: Conn, token: string, orderId: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('orders as o', 'o.checkout_id', 'co.checkout_id')
    .select(['o.id', 'co.reseller_id'])
    .where('co.token', '=', token)
    .where('o.id', '=', orderId)
    .executeTakeFirst()
}

/** The ids of the parcels of the customer order with this token. */
export function tokenOrderIds(db: Conn, token: string) {
  return db
    .selectFrom('customer_orders as co')
    .innerJoin('orders as o', 'o.checkout_id', 'co.checkout_id')
    .select('o.id')
    .where('co.token', '=', token)
    .execute()
}
