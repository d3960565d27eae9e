import { sql } from 'kysely'
import type { Conn } from './conn'
import { notACustomerOrder } from './customer-orders'
import type { AfterSaleLine } from '#db/schema/orders'

/**
 * A member's order as an after-sale request needs it: its status and the earliest after-sale deadline of its
 * lines' sessions. `customerOrder`: the caller already matched the order to a customer's token; otherwise an
 * order placed for a customer is not the member's to ask about.
 */
export function findAfterSaleOrder(db: Conn, input: { orderId: string; memberId: string; customerOrder?: boolean }) {
  return db
    .selectFrom('orders as o')
    .select(['o.id', 'o.status'])
    .select((eb) =>
      eb
        .selectFrom('order_lines as l')
        .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
        .whereRef('l.order_id', '=', 'o.id')
        .select(sql<Date>`min(s.after_sale_deadline_at)`.as('d'))
        .$asScalar()
        .as('deadline'),
    )
    .where('o.id', '=', input.orderId)
    .where('o.member_id', '=', input.memberId)
    .where(input.customerOrder ? sql<boolean>`true` : notACustomerOrder('o.checkout_id'))
    .executeTakeFirst()
}

/** An order's lines with what is left to refund of each. */
export function refundableOrderLines(db: Conn, orderId: string) {
  return db
    .selectFrom('order_lines')
    .select(['id', 'quantity', 'refunded_quantity', 'unit_price_minor'])
    .where('order_id', '=', orderId)
    .execute()
}

/** Fails with a unique violation (23505) when the order already has an open request. */
export function insertAfterSaleRequest(
  db: Conn,
  v: {
    orderId: string
    memberId: string
    kind: 'refund' | 'return_refund'
    reason: string
    photos: string[]
    lines: AfterSaleLine[] | null
    now: Date
  },
) {
  return db
    .insertInto('after_sale_requests')
    .values({
      order_id: v.orderId,
      member_id: v.memberId,
      kind: v.kind,
      reason: v.reason,
      photos: v.photos,
      created_at: v.now,
      lines: v.lines ? JSON.stringify(v.lines) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
