// Payout rules: what is due to a brand or a reseller, how negative balances are netted, when a
// deposit may be returned, and how a connected account's state is read. Pure: no I/O.
import { DomainError } from './errors'

export const PAYOUT_RULES = {
  /** A reseller withdraws at least this much (¥100 in fen). */
  withdrawalMinimumMinor: 10_000,
  currency: 'CNY',
} as const

export class PayoutRefusedError extends DomainError {
  readonly code: string = 'payout_refused'
  override readonly status = 409
}

/** The payout account cannot be set up this way (the provider in use takes another kind of account). */
export class PayoutAccountError extends PayoutRefusedError {
  override readonly code = 'payout_account'
}
/** Stripe could not be reached or failed on its side: nothing changed, the person may try again later. */
export class PayoutProviderUnavailableError extends DomainError {
  readonly code = 'provider'
  override readonly status = 503
}
export class DepositActionRefusedError extends DomainError {
  readonly code = 'deposit_action_refused'
  override readonly status = 409
}
export class WithdrawalRefusedError extends DomainError {
  readonly code = 'withdrawal_refused'
  override readonly status = 422
}

/**
 * The transfer for one settled session: its payable, less whatever the brand owes from earlier refunds
 * (a negative balance), never more than the brand's balance and never below zero. Zero means the session
 * was netted entirely against the debt, which stays (smaller) on the balance for the next payout.
 */
export function brandPayoutAmount(v: { sessionPayableMinor: number; balanceMinor: number }): number {
  return Math.max(0, Math.min(v.sessionPayableMinor, v.balanceMinor))
}

/**
 * A reseller's withdrawal: all of her available balance, at least the minimum. Pending earnings are not in
 * the available balance, and a reversal after an earlier withdrawal has already lowered it (netted here).
 */
export function withdrawalAmount(v: { availableMinor: number; minimumMinor?: number }): number {
  const minimum = v.minimumMinor ?? PAYOUT_RULES.withdrawalMinimumMinor
  if (v.availableMinor < minimum) {
    throw new WithdrawalRefusedError(`available ${v.availableMinor} is below the minimum withdrawal of ${minimum}`, {
      availableMinor: v.availableMinor,
      minimumMinor: minimum,
    })
  }
  return v.availableMinor
}

export interface DepositState {
  heldMinor: number
  /** The brand's payable balance: negative when it owes refunds made after a payout. */
  payableMinor: number
  /** Payouts decided but not sent yet. */
  inTransitMinor: number
  /** Sessions that sold and are not settled yet (or whose payout is not sent). */
  openSessions: number
  exited: boolean
}

/**
 * Returning a leaving brand's deposit: only after its last session's settlement and payout; a negative
 * balance is taken from the deposit first, the rest goes back through the payment provider.
 */
export function depositExitPlan(s: DepositState): { nettingMinor: number; refundMinor: number } {
  if (s.exited) throw new DepositActionRefusedError('the deposit was already returned', { reason: 'exited' })
  if (s.openSessions > 0 || s.inTransitMinor > 0) {
    throw new DepositActionRefusedError('the brand still has sessions or payouts that are not final', {
      reason: 'not_final',
      openSessions: s.openSessions,
      inTransitMinor: s.inTransitMinor,
    })
  }
  if (s.heldMinor <= 0)
    throw new DepositActionRefusedError('no deposit is held for this brand', { reason: 'nothing_held' })
  const nettingMinor = Math.min(s.heldMinor, Math.max(0, -s.payableMinor))
  return { nettingMinor, refundMinor: s.heldMinor - nettingMinor }
}

/** A deduction from the deposit (a penalty): a positive amount no larger than what is held, with a reason. */
export function checkDeduction(s: Pick<DepositState, 'heldMinor' | 'exited'>, amountMinor: number): void {
  if (s.exited) throw new DepositActionRefusedError('the deposit was already returned', { reason: 'exited' })
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    throw new DepositActionRefusedError('the deduction must be a positive amount', { reason: 'amount' })
  if (amountMinor > s.heldMinor)
    throw new DepositActionRefusedError(`the deduction exceeds the ${s.heldMinor} held`, {
      reason: 'exceeds_held',
      heldMinor: s.heldMinor,
    })
}

export interface ConnectedAccountFacts {
  payoutsEnabled: boolean
  detailsSubmitted: boolean
  requirements: string[]
  disabledReason: string | null
}

/** enabled: transfers can be sent; restricted: Stripe needs more (listed in requirements); onboarding: not finished. */
export function accountStatus(a: ConnectedAccountFacts): 'onboarding' | 'restricted' | 'enabled' {
  if (a.payoutsEnabled && a.requirements.length === 0 && !a.disabledReason) return 'enabled'
  if (!a.detailsSubmitted) return 'onboarding'
  return a.payoutsEnabled && !a.disabledReason ? 'enabled' : 'restricted'
}

/** Webhooks arrive in any order: an account event older than the last one applied is recorded but changes nothing. */
export function isNewerEvent(lastAppliedAt: Date | null, eventCreatedAt: Date): boolean {
  return lastAppliedAt === null || eventCreatedAt.getTime() >= lastAppliedAt.getTime()
}

/**
 * The idempotency key of a transfer attempt. A retry after an answered failure needs a new key (the provider
 * replays a stored failure for the old one); a retry after no answer must reuse it, so a transfer the provider
 * did make is returned instead of made twice.
 */
export function transferKey(payoutId: string, attempt: number): string {
  return `payout:${payoutId}:${attempt}`
}
