// A deposit paid twice (two checkouts both completed) is refunded in full by a job, scheduled by the deposit
// handler in the transaction that records the second payment.
import type { Conn } from '#db/queries/conn'
import { findBrandDeposit } from '#db/queries/ledger'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-payouts'

export async function scheduleDuplicateDepositRefund(
  trx: Conn,
  payment: { id: string; reference_id: string },
): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(payment.reference_id)) return
  const brand = await findBrandDeposit(trx, payment.reference_id)
  if (brand?.deposit_payment_id && brand.deposit_payment_id !== payment.id) {
    await enqueue(
      trx,
      'refund_duplicate_deposit',
      { paymentId: payment.id },
      { jobKey: `refund_duplicate_deposit:${payment.id}` },
    )
  }
}
