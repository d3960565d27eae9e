import type { LoaderFunctionArgs } from '@remix-run/node'
import { toCsv } from '#app/utils/csv.server'
import { manualPayoutInstructions } from '#app/services/payouts/payouts.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

/** Manual provider: the due payouts as bank-transfer instructions (operator only). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const rows = await manualPayoutInstructions(getDb(), new Date())
  const body = toCsv([
    [
      'payout_id',
      'payee',
      'bank_account_holder',
      'bank',
      'bank_account',
      'currency',
      'amount_minor',
      'amount',
      'reference',
      'session',
    ],
    ...rows.map((r) => [
      r.payoutId,
      r.payee,
      r.bankHolder ?? '',
      r.bankName ?? '',
      r.bankAccount ?? '',
      r.currency,
      r.amountMinor,
      (r.amountMinor / 100).toFixed(2),
      r.reference,
      r.sessionTitle ?? '',
    ]),
  ])
  return new Response(body, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="payouts.csv"' },
  })
}
