// Reseller withdrawals: a reseller takes out her available earnings through the same payouts as brands. The
// amount is her whole available balance in the journal (a refund after an earlier withdrawal has already lowered
// it: netted here), at least the minimum; pending earnings are not in it, nor earnings of a session with one of
// her customers' after-sale requests still open (they stay pending: releaseDueEarnings).
import type { Db } from '#db/client'
import { findPayoutAccount, insertPayout, lockReseller } from '#db/queries/payouts'
import { payoutReserved } from '#app/domain/ledger'
import { PAYOUT_RULES, withdrawalAmount, WithdrawalRefusedError } from '#app/domain/payouts'
import { recordAudit } from '#app/services/onboarding/audit.server'
import { releaseDueEarnings } from '#app/services/customer-orders/earnings.server'
import { owedTo, post } from '#app/services/ledger/journal.server'
import { sendPayout, type SendResult } from './payouts.server'
import { payoutConfig, type StripeConnect } from './provider.server'

export function withdrawalMinimumMinor(): number {
  return payoutConfig().withdrawalMinimumMinor ?? PAYOUT_RULES.withdrawalMinimumMinor
}

export interface Withdrawal {
  payoutId: string
  amountMinor: number
  currency: string
  /** What happened to a Stripe transfer tried at once; null for the manual provider (the operator sends it). */
  sent: SendResult | null
}

/**
 * Decides a withdrawal under the reseller's row lock (two requests at once withdraw once), reserves the amount
 * in the journal (available → in transit) and, with Stripe, sends the transfer at once (a failure waits for the
 * operator's retry, like any payout).
 */
export async function requestWithdrawal(
  db: Db,
  v: { resellerId: string; now: Date },
  connect?: StripeConnect,
): Promise<Withdrawal> {
  await releaseDueEarnings(db, v.now, v.resellerId)
  const provider = payoutConfig().provider
  const decided = await db.transaction().execute(async (trx) => {
    await lockReseller(trx, v.resellerId)
    const account = await findPayoutAccount(trx, { type: 'reseller', id: v.resellerId })
    if (!account || (account.provider === 'manual' && !account.bank_account)) {
      throw new WithdrawalRefusedError('connect an account to withdraw to first', { reason: 'no_account' })
    }
    const amountMinor = withdrawalAmount({
      availableMinor: await owedTo(trx, 'reseller_available', v.resellerId),
      minimumMinor: withdrawalMinimumMinor(),
    })
    const currency = PAYOUT_RULES.currency
    const payout = await insertPayout(trx, {
      kind: 'reseller_withdrawal',
      payee_type: 'reseller',
      payee_id: v.resellerId,
      amount_minor: amountMinor,
      currency,
      status: 'due',
      provider,
      transfer_group: `reseller:${v.resellerId}`,
      created_at: v.now,
      updated_at: v.now,
    })
    await post(
      trx,
      payoutReserved({
        payoutId: payout.id,
        payee: { account: 'reseller_available', partyId: v.resellerId },
        sessionId: null,
        amountMinor,
        currency,
        occurredAt: v.now,
      }),
    )
    await recordAudit(trx, {
      actorId: v.resellerId,
      action: 'payout.withdrawal_requested',
      targetType: 'reseller',
      targetId: v.resellerId,
      details: { payoutId: payout.id, amountMinor, currency },
    })
    return { payoutId: payout.id, amountMinor, currency }
  })
  const sent = provider === 'stripe' ? await sendPayout(db, decided.payoutId, v.now, connect) : null
  return { ...decided, sent }
}
