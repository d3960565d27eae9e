// Called by the payments layer in the transaction that records a successful payment, after its purpose
// handler: journals the money received, and schedules the refund of a deposit paid twice.
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-payouts'
import { journalPaymentSucceeded } from '#app/services/ledger/journal.server'

export async function recordMoneyIn(trx: Transaction<Database>, payment: { id: string; purpose: string; reference_id: string; amount_minor: number; currency: string }, now: Date): Promise<void> {
  await journalPaymentSucceeded(trx, payment, now)
  if (payment.purpose !== 'brand_deposit' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(payment.reference_id)) return
  const brand = await trx.selectFrom('brands').select('deposit_payment_id').where('id', '=', payment.reference_id).executeTakeFirst()
  if (brand && brand.deposit_payment_id && brand.deposit_payment_id !== payment.id) {
    await enqueue(trx, 'refund_duplicate_deposit', { paymentId: payment.id }, { jobKey: `refund_duplicate_deposit:${payment.id}` })
  }
}
