import { sql } from 'kysely'
import type { Db } from '#db/client'

/** Statuses of orders that were paid (refunds, whole or per line, are subtracted per line). */
export const PAID_STATUSES = ['paid', 'shipped', 'received', 'completed', 'refunded'] as const

/**
 * Per session of one brand, from its paid order lines: units sold net of refunds, goods value paid (before
 * refunds), net revenue (after refunds), order count. Every sales figure of the dashboard comes from here.
 */
export async function paidSalesBySession(db: Db, brandId: string) {
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select([
      'l.session_id',
      sql<string>`coalesce(sum(l.quantity - l.refunded_quantity), 0)`.as('units'),
      sql<string>`coalesce(sum(l.quantity * l.unit_price_minor), 0)`.as('gross'),
      sql<string>`coalesce(sum(l.quantity * l.unit_price_minor - l.refunded_minor), 0)`.as('net'),
      sql<string>`count(distinct o.id)`.as('orders'),
    ])
    .where('o.brand_id', '=', brandId)
    .where('o.paid_at', 'is not', null)
    .where('o.status', 'in', [...PAID_STATUSES])
    .groupBy('l.session_id')
    .execute()
  return new Map(
    rows.map((r) => [
      r.session_id,
      { units: Number(r.units), grossMinor: Number(r.gross), revenueMinor: Number(r.net), orders: Number(r.orders) },
    ]),
  )
}

/** Paid units of one session's orders net of refunds, by the hour the order was placed (the dashboard chart). */
export function paidUnitsByOrderTime(db: Db, brandId: string, sessionId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['o.created_at', sql<number>`(l.quantity - l.refunded_quantity)::int`.as('units')])
    .where('o.brand_id', '=', brandId)
    .where('l.session_id', '=', sessionId)
    .where('o.paid_at', 'is not', null)
    .where('o.status', 'in', [...PAID_STATUSES])
    .execute()
}

/** Paid-not-shipped orders of one brand: count, nearest ship-by deadline and how many are past it. */
export async function ordersToShip(db: Db, brandId: string, now: Date) {
  const r = await db
    .selectFrom('orders')
    .where('brand_id', '=', brandId)
    .where('status', '=', 'paid')
    .select([
      sql<string>`count(*)`.as('count'),
      sql<Date | null>`min(ship_by_at)`.as('nearest'),
      sql<Date | null>`min(ship_by_at) filter (where ship_by_at >= ${now})`.as('next'),
      sql<string>`count(*) filter (where late_flagged_at is not null or ship_by_at < ${now})`.as('late'),
    ])
    .executeTakeFirstOrThrow()
  const nearest = r.nearest ? new Date(r.nearest) : null
  const next = r.next ? new Date(r.next) : null
  return {
    count: Number(r.count),
    late: Number(r.late),
    nearestShipByAt: nearest?.toISOString() ?? null,
    nearestLate: nearest !== null && nearest.getTime() < now.getTime(),
    /** The nearest deadline still ahead (for the countdown), whether or not some orders are already late. */
    nextShipByAt: next?.toISOString() ?? null,
  }
}
