import type { LoaderFunctionArgs } from '@remix-run/node'
import { listSettlements } from '#app/services/orders/after-sales.server'
import { toCsv } from '#app/utils/csv.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

/** Settlement statements as CSV: a brand gets its own, an operator gets all. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff', 'operator'])
  const rows = await listSettlements(getDb(), user.role === 'operator' ? null : user.brand_id!)
  const body = toCsv([
    [
      'brand',
      'session',
      'session_starts_utc',
      'orders',
      'currency',
      'paid_minor',
      'refunded_minor',
      'commission_bps',
      'commission_minor',
      'payable_minor',
      'written_utc',
    ],
    ...rows.map((r) => [
      r.brandName,
      r.sessionTitle,
      r.startsAt,
      r.orderCount,
      r.currency,
      r.paidMinor,
      r.refundedMinor,
      r.commissionBps,
      r.commissionMinor,
      r.payableMinor,
      r.createdAt,
    ]),
  ])
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="settlements.csv"',
    },
  })
}
