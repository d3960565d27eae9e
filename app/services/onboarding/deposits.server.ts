import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import * as q from '#db/queries/onboarding'
import { afterDepositPaid } from '#app/domain/onboarding'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { recordAudit } from './audit.server'
import { scheduleDuplicateDepositRefund } from '../payouts/duplicate-deposits.server'

/** The fields of a payment row the deposit handler reads (the payments module's row has more). */
export interface DepositPayment {
  id: string
  reference_id: string
  amount_minor: number
  currency: string
}

/** What the brand's deposit page shows. */
export async function depositStatus(db: Db, brandId: string) {
  const b = await q.findBrand(db, brandId)
  if (!b) return null
  return {
    brandId: b.id,
    brandName: b.name,
    status: b.status,
    amountMinor: b.deposit_amount_minor ?? PLATFORM_RULES.onboarding.depositMinor,
    currency: b.deposit_currency ?? PLATFORM_RULES.onboarding.depositCurrency,
    paidAt: b.deposit_paid_at?.toISOString() ?? null,
    due: b.status === 'awaiting_deposit' && !b.deposit_paid_at,
  }
}

/**
 * Payment purpose handler for `brand_deposit` (registered in payment-purposes.server.ts).
 * Runs inside the payments module's transaction. onSucceeded makes an awaiting_deposit brand live and
 * records when; a second call for the same brand changes nothing (idempotent, row lock against races).
 */
export const depositPaymentHandler = {
  async onSucceeded(trx: Conn, payment: DepositPayment, now: Date): Promise<void> {
    const brand = await q.lockBrand(trx, payment.reference_id)
    if (!brand) return
    const next = afterDepositPaid({ status: brand.status, depositPaidAt: brand.deposit_paid_at })
    if (!next.recordPayment) {
      // A second, different payment for a deposit already paid (two checkouts both completed): flag it
      // in the audit log so an operator refunds it. The same payment again changes nothing.
      if (brand.deposit_payment_id && brand.deposit_payment_id !== payment.id) {
        await recordAudit(trx, {
          actorId: null,
          action: 'brand.deposit_duplicate',
          targetType: 'brand',
          targetId: brand.id,
          details: {
            paymentId: payment.id,
            firstPaymentId: brand.deposit_payment_id,
            amountMinor: payment.amount_minor,
            currency: payment.currency,
          },
        })
        await scheduleDuplicateDepositRefund(trx, payment)
      }
      return
    }
    await q.updateBrand(trx, brand.id, {
      status: next.status,
      deposit_paid_at: now,
      deposit_payment_id: payment.id,
      ...(next.status !== brand.status ? { status_changed_at: now, status_reason: null } : {}),
    })
    await recordAudit(trx, {
      actorId: null,
      action: 'brand.deposit_paid',
      targetType: 'brand',
      targetId: brand.id,
      details: {
        paymentId: payment.id,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        fromStatus: brand.status,
        toStatus: next.status,
      },
    })
  },
  async onFailed(_trx: Conn, _payment: DepositPayment, _now: Date): Promise<void> {
    // The brand simply stays awaiting its deposit; the staff can start another payment.
  },
}
