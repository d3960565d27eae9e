import { sql } from 'kysely'
import type { Db } from '#db/client'

/** Statuses whose money the brand has received (paid and not cancelled). Refunds are subtracted per line. */
export const REVENUE_STATUSES = ['paid', 'shipped', 'received', 'completed'] as const

/** Net revenue per session of one brand: paid order lines minus their refunded amounts, in minor units. */
export async function revenueBySession(db: Db, brandId: string) {
  const rows = await db.selectFrom('order_lines as l').innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.session_id', sql<string>`coalesce(sum(l.quantity * l.unit_price_minor - l.refunded_minor), 0)`.as('net'),
      sql<string>`count(distinct o.id)`.as('orders')])
    .where('o.brand_id', '=', brandId).where('o.paid_at', 'is not', null).where('o.status', 'in', [...REVENUE_STATUSES])
    .groupBy('l.session_id').execute()
  return new Map(rows.map((r) => [r.session_id, { revenueMinor: Number(r.net), orders: Number(r.orders) }]))
}

/** Paid-not-shipped orders of one brand: count, nearest ship-by deadline and how many are past it. */
export async function ordersToShip(db: Db, brandId: string, now: Date) {
  const r = await db.selectFrom('orders').where('brand_id', '=', brandId).where('status', '=', 'paid')
    .select([sql<string>`count(*)`.as('count'), sql<Date | null>`min(ship_by_at)`.as('nearest'),
      sql<Date | null>`min(ship_by_at) filter (where ship_by_at >= ${now})`.as('next'),
      sql<string>`count(*) filter (where late_flagged_at is not null or ship_by_at < ${now})`.as('late')])
    .executeTakeFirstOrThrow()
  const nearest = r.nearest ? new Date(r.nearest) : null
  const next = r.next ? new Date(r.next) : null
  return {
    count: Number(r.count), late: Number(r.late), nearestShipByAt: nearest?.toISOString() ?? null, nearestLate: nearest !== null && nearest.getTime() < now.getTime(),
    /** The nearest deadline still ahead (for the countdown), whether or not some orders are already late. */
    nextShipByAt: next?.toISOString() ?? null,
  }
}
