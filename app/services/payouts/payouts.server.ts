// Brand payouts: each final settlement becomes one payout (netting earlier debts), journaled when decided
// and when sent. Stripe transfers carry an idempotency key per attempt and the session as transfer group;
// the manual provider's payouts are exported as bank-transfer instructions and marked sent by the operator.
import type { Db } from '#db/client'
import { partyAccountTotals } from '#db/queries/ledger'
import { lockBrand } from '#db/queries/onboarding'
import {
  dueManualPayouts,
  duePayoutIds,
  failPayoutAttempt,
  findPayout,
  hasPayoutForSettlement,
  insertPayout,
  listPayoutRows,
  markPayoutsExported,
  setPayoutDestination,
  settlementsWithoutPayout,
  updatePayoutFrom,
} from '#db/queries/payouts'
import type { Payout } from '#db/schema/payouts'
import { payoutReserved, payoutSent, settlementPosted } from '#app/domain/ledger'
import { brandPayoutAmount, PayoutRefusedError, transferKey } from '#app/domain/payouts'
import { recordAudit } from '#app/services/onboarding/audit.server'
import { owedTo, post } from '#app/services/ledger/journal.server'
import { releaseDueEarnings } from '#app/services/customer-orders/earnings.server'
import { payoutNotice } from '#app/services/notifications/events.server'
import { findPayoutAccount } from './accounts.server'
import { payoutConfig, stripeConnect, TransferDeclinedError, type StripeConnect } from './provider.server'

/**
 * For every settlement statement without a payout: posts the statement to the journal and decides the
 * session's payout under the brand's row lock (so concurrent runs net against the same balance once).
 * The unique settlement id on payouts makes this exactly once. Returns how many payouts were decided.
 */
export async function preparePayouts(db: Db, now: Date): Promise<number> {
  const pending = await settlementsWithoutPayout(db, 500)
  const provider = payoutConfig().provider
  let decided = 0
  for (const x of pending) {
    const made = await db.transaction().execute(async (trx) => {
      await lockBrand(trx, x.brand_id)
      if (await hasPayoutForSettlement(trx, x.id)) return false
      await post(
        trx,
        settlementPosted({
          settlementId: x.id,
          brandId: x.brand_id,
          sessionId: x.session_id,
          paidMinor: x.paid_minor,
          refundedMinor: x.refunded_minor,
          commissionMinor: x.commission_minor,
          payableMinor: x.payable_minor,
          currency: x.currency,
          occurredAt: now,
        }),
      )
      const balance = await owedTo(trx, 'brand_payable', x.brand_id)
      const amount = brandPayoutAmount({ sessionPayableMinor: x.payable_minor, balanceMinor: balance })
      const payout = await insertPayout(trx, {
        kind: 'brand_session',
        payee_type: 'brand',
        payee_id: x.brand_id,
        session_id: x.session_id,
        settlement_id: x.id,
        amount_minor: amount,
        currency: x.currency,
        status: amount > 0 ? 'due' : 'netted',
        provider: amount > 0 ? provider : null,
        transfer_group: `session:${x.session_id}`,
        created_at: now,
        updated_at: now,
        error:
          amount < x.payable_minor ? `netted ${x.payable_minor - amount} against an earlier negative balance` : null,
      })
      if (amount > 0) {
        await post(
          trx,
          payoutReserved({
            payoutId: payout.id,
            payee: { account: 'brand_payable', partyId: x.brand_id },
            sessionId: x.session_id,
            amountMinor: amount,
            currency: x.currency,
            occurredAt: now,
          }),
        )
      }
      return true
    })
    if (made) decided += 1
  }
  return decided
}

/** Records a sent payout once: the status flips from due/failed to sent and the journal moves it out of transit. */
async function markSent(
  db: Db,
  payout: Payout,
  v: { transferId: string | null; provider: 'stripe' | 'manual'; actorId: string | null; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const flipped = await updatePayoutFrom(trx, payout.id, ['due', 'failed'], {
      status: 'sent',
      provider: v.provider,
      provider_transfer_id: v.transferId,
      sent_at: v.now,
      sent_by: v.actorId,
      error: null,
      updated_at: v.now,
    })
    if (!flipped) return false
    await post(
      trx,
      payoutSent({
        payoutId: flipped.id,
        partyId: flipped.payee_id,
        sessionId: flipped.session_id,
        amountMinor: flipped.amount_minor,
        currency: flipped.currency,
        occurredAt: v.now,
      }),
    )
    await recordAudit(trx, {
      actorId: v.actorId,
      action: 'payout.sent',
      targetType: flipped.payee_type,
      targetId: flipped.payee_id,
      details: {
        payoutId: flipped.id,
        amountMinor: flipped.amount_minor,
        currency: flipped.currency,
        transferId: v.transferId,
        provider: v.provider,
      },
    })
    await payoutNotice(trx, 'sent', flipped, flipped.attempts, v.now)
    return true
  })
}

export type SendResult = 'sent' | 'already_sent' | 'failed' | 'waiting_for_account' | 'not_stripe'

/**
 * Sends one Stripe payout. The key is per attempt: an answered failure moves to the next attempt (the
 * provider would replay the stored failure for the old key); a failure without an answer keeps the key,
 * so a transfer that did go through is returned, not repeated. Before a new key, the transfer group is
 * searched for a transfer an earlier attempt made.
 */
export function sendPayout(
  db: Db,
  payoutId: string,
  now: Date,
  connect: StripeConnect = stripeConnect(),
): Promise<SendResult> {
  return send(db, payoutId, now, connect, { retry: false })
}

/**
 * Only an operator's retry sends a failed payout. The job that finds one failed (another run's attempt was declined
 * since this one listed it as due) leaves it for that retry: sending it under the next attempt's key would go round
 * the operator.
 */
async function send(
  db: Db,
  payoutId: string,
  now: Date,
  connect: StripeConnect,
  { retry }: { retry: boolean },
): Promise<SendResult> {
  const payout = await findPayout(db, payoutId)
  if (!payout) throw new PayoutRefusedError('no such payout', { payoutId })
  if (payout.status === 'sent' || payout.status === 'netted') return 'already_sent'
  if (payout.status === 'failed' && !retry) return 'failed'
  if (payout.provider !== 'stripe') return 'not_stripe'
  const account = await findPayoutAccount(db, { type: payout.payee_type, id: payout.payee_id })
  if (!account?.stripe_account_id || account.status !== 'enabled') {
    await updatePayoutFrom(db, payout.id, ['due'], { error: 'waiting for an enabled Stripe account', updated_at: now })
    return 'waiting_for_account'
  }
  try {
    const earlier =
      payout.attempts > 0
        ? await connect.findTransfer({ payoutId: payout.id, transferGroup: payout.transfer_group })
        : null
    const transfer =
      earlier ??
      (await connect.transfer({
        payoutId: payout.id,
        amountMinor: payout.amount_minor,
        currency: payout.currency,
        destination: account.stripe_account_id,
        transferGroup: payout.transfer_group,
        key: transferKey(payout.id, payout.attempts),
      }))
    await setPayoutDestination(db, payout.id, account.stripe_account_id)
    return (await markSent(db, payout, { transferId: transfer.transferId, provider: 'stripe', actorId: null, now }))
      ? 'sent'
      : 'already_sent'
  } catch (error) {
    const answered = error instanceof TransferDeclinedError
    await db.transaction().execute(async (trx) => {
      const failed = await failPayoutAttempt(trx, payout, {
        error: (error as Error).message.slice(0, 500),
        nextAttempt: answered,
        now,
      })
      if (failed) await payoutNotice(trx, 'failed', failed, payout.attempts, now)
    })
    return 'failed'
  }
}

/**
 * The job: resellers' earnings past their after-sale deadline become available, new payouts are decided, then
 * every Stripe payout that is due is sent (failed ones wait for the operator's retry).
 */
export async function runPayouts(db: Db, now: Date, connect?: StripeConnect) {
  const released = await releaseDueEarnings(db, now)
  const decided = await preparePayouts(db, now)
  if (payoutConfig().provider !== 'stripe') return { decided, sent: 0, released }
  const due = await duePayoutIds(db, 'stripe', 200)
  let sent = 0
  for (const p of due) if ((await sendPayout(db, p.id, now, connect)) === 'sent') sent += 1
  return { decided, sent, released }
}

/** Operator: retry a failed payout (a Stripe one is sent again; a manual one goes back to due for the next export). */
export async function retryPayout(
  db: Db,
  v: { payoutId: string; operatorId: string; now: Date },
  connect?: StripeConnect,
): Promise<SendResult | null> {
  const payout = await findPayout(db, v.payoutId)
  if (!payout) return null
  if (payout.status !== 'failed')
    throw new PayoutRefusedError('only a failed payout can be retried', { status: payout.status })
  await recordAudit(db, {
    actorId: v.operatorId,
    action: 'payout.retry',
    targetType: payout.payee_type,
    targetId: payout.payee_id,
    details: { payoutId: payout.id, attempts: payout.attempts },
  })
  if (payout.provider !== 'stripe') {
    await updatePayoutFrom(db, payout.id, ['failed'], { status: 'due', error: null, updated_at: v.now })
    return 'not_stripe'
  }
  return send(db, payout.id, v.now, connect ?? stripeConnect(), { retry: true })
}

/** Operator, manual provider: the bank transfer was made. */
export async function markManualPayoutSent(
  db: Db,
  v: { payoutId: string; operatorId: string; now: Date },
): Promise<boolean | null> {
  const payout = await findPayout(db, v.payoutId)
  if (!payout) return null
  if (payout.provider !== 'manual')
    throw new PayoutRefusedError('this payout goes through Stripe', { provider: payout.provider })
  if (payout.status !== 'due' && payout.status !== 'failed')
    throw new PayoutRefusedError('this payout is not due', { status: payout.status })
  return markSent(db, payout, { transferId: null, provider: 'manual', actorId: v.operatorId, now: v.now })
}

/** Operator, manual provider: due payouts as bank-transfer instructions (marks them exported). */
export async function manualPayoutInstructions(db: Db, now: Date) {
  const rows = await dueManualPayouts(db)
  await markPayoutsExported(
    db,
    rows.map((r) => r.id),
    now,
  )
  return rows.map((r) => ({
    payoutId: r.id,
    payee: r.payee_type === 'brand' ? (r.brand_name ?? '') : (r.display_name ?? ''),
    bankHolder: r.bank_holder,
    bankName: r.bank_name,
    bankAccount: r.bank_account,
    amountMinor: r.amount_minor,
    currency: r.currency,
    reference: `${r.transfer_group} ${r.id.slice(0, 8)}`,
    sessionTitle: r.session_title,
  }))
}

export type PayoutFilter = { status?: Payout['status']; payee?: { type: 'brand' | 'reseller'; id: string } }

export async function listPayouts(db: Db, f: PayoutFilter = {}) {
  const rows = await listPayoutRows(db, f)
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    payee: r.payee_type === 'brand' ? (r.brand_name ?? '') : (r.display_name ?? ''),
    payeeType: r.payee_type,
    amountMinor: r.amount_minor,
    currency: r.currency,
    status: r.status,
    provider: r.provider,
    attempts: r.attempts,
    error: r.error,
    exportedAt: r.exported_at?.toISOString() ?? null,
    sentAt: r.sent_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    transferId: r.provider_transfer_id,
    sessionTitle: r.session_title,
    sessionId: r.session_id,
  }))
}

/**
 * A brand's money as the journal has it: held for unsettled sessions, payable (negative: owed back), in transit,
 * deposit.
 */
export async function brandBalances(db: Db, brandId: string) {
  const rows = await partyAccountTotals(db, brandId, [
    'brand_held',
    'brand_payable',
    'payouts_in_transit',
    'deposits_held',
  ])
  const owed = (a: string) => 0 - Number(rows.find((r) => r.account === a)?.total ?? 0) || 0
  return {
    heldMinor: owed('brand_held'),
    payableMinor: owed('brand_payable'),
    inTransitMinor: owed('payouts_in_transit'),
    depositMinor: owed('deposits_held'),
    currency: 'CNY',
  }
}
