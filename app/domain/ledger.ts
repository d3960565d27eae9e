// The double-entry journal's rules: which accounts exist, what each money movement posts, and how
// balances and the operator's reconciliation are read back. Pure: no I/O.
import { settlementFor } from './orders'

// Sign convention: a posting's amount is positive for a debit and negative for a credit. Every entry
// sums to zero, and so does each session's share of it (so a per-session report balances too).

export const LEDGER_ACCOUNTS = [
  'provider_cash',
  'unapplied_receipts',
  'refunds_owed',
  'brand_held',
  'brand_payable',
  'payouts_in_transit',
  'deposits_held',
  'reseller_pending',
  'reseller_available',
  'commission_income',
  'deposit_deductions',
  'other_income',
] as const
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number]

/** What the platform earns; everything else but cash is money held for somebody. */
export const INCOME_ACCOUNTS: readonly LedgerAccount[] = ['commission_income', 'deposit_deductions', 'other_income']

export interface Posting {
  account: LedgerAccount
  partyId?: string | null
  sessionId?: string | null
  amountMinor: number
}

export interface EntryDraft {
  /** Unique per business event, so posting it again changes nothing. */
  reference: string
  kind: string
  memo?: string
  currency: string
  occurredAt: Date
  postings: Posting[]
}

export class UnbalancedEntryError extends Error {}

const debit = (p: Omit<Posting, 'amountMinor'>, amountMinor: number): Posting => ({ ...p, amountMinor })
const credit = (p: Omit<Posting, 'amountMinor'>, amountMinor: number): Posting => ({ ...p, amountMinor: -amountMinor })

/**
 * Merges postings to the same account, party and session, drops zeros, and checks the entry (and each session's
 * part) balances.
 */
export function balanced(draft: EntryDraft): EntryDraft {
  const merged = new Map<string, Posting>()
  for (const p of draft.postings) {
    if (!Number.isSafeInteger(p.amountMinor))
      throw new UnbalancedEntryError(`${draft.reference}: amount ${p.amountMinor} is not an integer`)
    const key = `${p.account}|${p.partyId ?? ''}|${p.sessionId ?? ''}|${Math.sign(p.amountMinor)}`
    const m = merged.get(key)
    if (m) m.amountMinor += p.amountMinor
    else
      merged.set(key, {
        account: p.account,
        partyId: p.partyId ?? null,
        sessionId: p.sessionId ?? null,
        amountMinor: p.amountMinor,
      })
  }
  const postings = [...merged.values()].filter((p) => p.amountMinor !== 0)
  const bySession = new Map<string, number>()
  for (const p of postings) bySession.set(p.sessionId ?? '', (bySession.get(p.sessionId ?? '') ?? 0) + p.amountMinor)
  for (const [session, sum] of bySession) {
    if (sum !== 0)
      throw new UnbalancedEntryError(
        `${draft.reference}: postings${session ? ` of session ${session}` : ''} sum to ${sum}, not 0`,
      )
  }
  return { ...draft, postings }
}

export interface GoodsShare {
  brandId: string
  sessionId: string
  goodsMinor: number
}
export interface EarningShare {
  resellerId: string
  sessionId: string
  amountMinor: number
}

/**
 * Money received for a checkout: each brand's goods value is held per session until settlement, a
 * reseller's markup is her pending earning, anything else is the platform's. A payment that no
 * checkout took (it arrived late, or twice) is held as unapplied until it is refunded.
 */
export function paymentReceived(v: {
  paymentId: string
  amountMinor: number
  currency: string
  occurredAt: Date
  applied: boolean
  goods: GoodsShare[]
  earnings?: EarningShare[]
}): EntryDraft {
  const postings: Posting[] = []
  if (!v.applied) {
    postings.push(
      debit({ account: 'provider_cash' }, v.amountMinor),
      credit({ account: 'unapplied_receipts' }, v.amountMinor),
    )
  } else {
    let rest = v.amountMinor
    for (const g of v.goods) {
      postings.push(
        debit({ account: 'provider_cash', sessionId: g.sessionId }, g.goodsMinor),
        credit({ account: 'brand_held', partyId: g.brandId, sessionId: g.sessionId }, g.goodsMinor),
      )
      rest -= g.goodsMinor
    }
    for (const e of v.earnings ?? []) {
      postings.push(
        debit({ account: 'provider_cash', sessionId: e.sessionId }, e.amountMinor),
        credit({ account: 'reseller_pending', partyId: e.resellerId, sessionId: e.sessionId }, e.amountMinor),
      )
      rest -= e.amountMinor
    }
    if (rest < 0)
      throw new UnbalancedEntryError(`payment ${v.paymentId}: goods and earnings exceed the ${v.amountMinor} received`)
    postings.push(debit({ account: 'provider_cash' }, rest), credit({ account: 'other_income' }, rest))
  }
  return balanced({
    reference: `payment:${v.paymentId}`,
    kind: 'payment',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings,
  })
}

/** A brand's deposit received; a second payment for a deposit already paid is unapplied (refunded automatically). */
export function depositReceived(v: {
  paymentId: string
  brandId: string
  amountMinor: number
  currency: string
  occurredAt: Date
  duplicate: boolean
}): EntryDraft {
  return balanced({
    reference: `payment:${v.paymentId}`,
    kind: v.duplicate ? 'deposit_duplicate' : 'deposit',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [
      debit({ account: 'provider_cash' }, v.amountMinor),
      credit(
        v.duplicate ? { account: 'unapplied_receipts' } : { account: 'deposits_held', partyId: v.brandId },
        v.amountMinor,
      ),
    ],
  })
}

/**
 * One session's part of an approved refund. `settled`: the session's statement exists, so the refund comes out of
 * the brand's payable.
 */
export interface RefundPart {
  brandId: string
  sessionId: string
  goodsMinor: number
  /** The markup given back to the customer on top of the goods (reverses the reseller's earning). */
  earning?: { resellerId: string; amountMinor: number; available: boolean }
  settled?: { paidMinor: number; refundedBeforeMinor: number; commissionBps: number }
}

/**
 * An approved refund, owed to the payer until the provider confirms it. Before settlement it comes out of
 * the brand's held goods; after, the settlement is recomputed and the difference in the brand's share
 * and the platform's commission is taken back (the brand's payable may go negative: netted later).
 */
export function refundOwed(v: { key: string; currency: string; occurredAt: Date; parts: RefundPart[] }): EntryDraft {
  const postings: Posting[] = []
  for (const p of v.parts) {
    const s = { sessionId: p.sessionId }
    if (!p.settled) postings.push(debit({ account: 'brand_held', partyId: p.brandId, ...s }, p.goodsMinor))
    else {
      const adj = settlementAdjustment({
        paidMinor: p.settled.paidMinor,
        refundedBeforeMinor: p.settled.refundedBeforeMinor,
        refundedAfterMinor: p.settled.refundedBeforeMinor + p.goodsMinor,
        commissionBps: p.settled.commissionBps,
      })
      postings.push(
        debit({ account: 'brand_payable', partyId: p.brandId, ...s }, adj.payableMinor),
        debit({ account: 'commission_income', ...s }, adj.commissionMinor),
      )
    }
    postings.push(credit({ account: 'refunds_owed', ...s }, p.goodsMinor))
    if (p.earning && p.earning.amountMinor > 0) {
      postings.push(
        debit(
          {
            account: p.earning.available ? 'reseller_available' : 'reseller_pending',
            partyId: p.earning.resellerId,
            ...s,
          },
          p.earning.amountMinor,
        ),
        credit({ account: 'refunds_owed', ...s }, p.earning.amountMinor),
      )
    }
  }
  return balanced({
    reference: `refund-owed:${v.key}`,
    kind: 'refund_owed',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings,
  })
}

/**
 * The provider confirmed a refund. An owed refund leaves refunds_owed with the same session split as it
 * was owed (`owed`: that entry's refunds_owed postings); a refund nobody owed (a late or duplicate payment) leaves
 * unapplied receipts.
 */
export function refundSent(v: {
  key: string
  amountMinor: number
  currency: string
  occurredAt: Date
  owed: Array<{ sessionId: string | null; amountMinor: number }> | null
}): EntryDraft {
  const postings: Posting[] = []
  if (v.owed) {
    for (const o of v.owed)
      postings.push(
        debit({ account: 'refunds_owed', sessionId: o.sessionId }, -o.amountMinor),
        credit({ account: 'provider_cash', sessionId: o.sessionId }, -o.amountMinor),
      )
  } else {
    postings.push(
      debit({ account: 'unapplied_receipts' }, v.amountMinor),
      credit({ account: 'provider_cash' }, v.amountMinor),
    )
  }
  return balanced({
    reference: `refund-sent:${v.key}`,
    kind: 'refund_sent',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings,
  })
}

/** A session's statement: the held goods (net of refunds) become the brand's payable and the platform's commission. */
export function settlementPosted(v: {
  settlementId: string
  brandId: string
  sessionId: string
  paidMinor: number
  refundedMinor: number
  commissionMinor: number
  payableMinor: number
  currency: string
  occurredAt: Date
}): EntryDraft {
  const s = { sessionId: v.sessionId }
  return balanced({
    reference: `settlement:${v.settlementId}`,
    kind: 'settlement',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [
      debit({ account: 'brand_held', partyId: v.brandId, ...s }, v.paidMinor - v.refundedMinor),
      credit({ account: 'commission_income', ...s }, v.commissionMinor),
      credit({ account: 'brand_payable', partyId: v.brandId, ...s }, v.payableMinor),
    ],
  })
}

/**
 * A payout decided: the amount leaves the payee's balance at once (so later netting sees it) and is in transit
 * until sent.
 */
export function payoutReserved(v: {
  payoutId: string
  payee: { account: 'brand_payable' | 'reseller_available'; partyId: string }
  sessionId: string | null
  amountMinor: number
  currency: string
  occurredAt: Date
}): EntryDraft {
  const s = { sessionId: v.sessionId }
  return balanced({
    reference: `payout-reserved:${v.payoutId}`,
    kind: 'payout_reserved',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [
      debit({ account: v.payee.account, partyId: v.payee.partyId, ...s }, v.amountMinor),
      credit({ account: 'payouts_in_transit', partyId: v.payee.partyId, ...s }, v.amountMinor),
    ],
  })
}

export function payoutSent(v: {
  payoutId: string
  partyId: string
  sessionId: string | null
  amountMinor: number
  currency: string
  occurredAt: Date
}): EntryDraft {
  const s = { sessionId: v.sessionId }
  return balanced({
    reference: `payout-sent:${v.payoutId}`,
    kind: 'payout_sent',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [
      debit({ account: 'payouts_in_transit', partyId: v.partyId, ...s }, v.amountMinor),
      credit({ account: 'provider_cash', ...s }, v.amountMinor),
    ],
  })
}

/**
 * Deposit movements: a deduction (penalty) is platform income; netting covers the brand's negative payable; an exit
 * refund is owed to the brand.
 */
export function depositMoved(v: {
  actionId: string
  kind: 'deduction' | 'netting' | 'exit_refund'
  brandId: string
  amountMinor: number
  currency: string
  occurredAt: Date
  refundKey?: string
}): EntryDraft {
  const to: Omit<Posting, 'amountMinor'> =
    v.kind === 'deduction'
      ? { account: 'deposit_deductions' }
      : v.kind === 'netting'
        ? { account: 'brand_payable', partyId: v.brandId }
        : { account: 'refunds_owed' }
  return balanced({
    reference: v.kind === 'exit_refund' && v.refundKey ? `refund-owed:${v.refundKey}` : `deposit:${v.actionId}`,
    kind: `deposit_${v.kind}`,
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [debit({ account: 'deposits_held', partyId: v.brandId }, v.amountMinor), credit(to, v.amountMinor)],
  })
}

/** Earnings whose session's after-sale deadline passed move from pending to available. */
export function earningsReleased(v: {
  reference: string
  resellerId: string
  sessionId: string
  amountMinor: number
  currency: string
  occurredAt: Date
}): EntryDraft {
  const s = { sessionId: v.sessionId }
  return balanced({
    reference: v.reference,
    kind: 'earnings_available',
    currency: v.currency,
    occurredAt: v.occurredAt,
    postings: [
      debit({ account: 'reseller_pending', partyId: v.resellerId, ...s }, v.amountMinor),
      credit({ account: 'reseller_available', partyId: v.resellerId, ...s }, v.amountMinor),
    ],
  })
}

/**
 * How a post-settlement refund changes a settlement: the statement recomputed with the larger refund total,
 * minus the statement before. payableMinor + commissionMinor = the refunded goods, exactly.
 */
export function settlementAdjustment(v: {
  paidMinor: number
  refundedBeforeMinor: number
  refundedAfterMinor: number
  commissionBps: number
}) {
  const commissionOf = (refundedMinor: number) =>
    settlementFor({ paidMinor: v.paidMinor, refundedMinor, commissionBps: v.commissionBps, currency: 'CNY' })
      .commissionMinor
  const commissionMinor = commissionOf(v.refundedBeforeMinor) - commissionOf(v.refundedAfterMinor)
  return { payableMinor: v.refundedAfterMinor - v.refundedBeforeMinor - commissionMinor, commissionMinor }
}

/** A row of the operator's reconciliation: money in − money out = income + change in what is held. */
export interface ReconciliationRow {
  inMinor: number
  outMinor: number
  commissionMinor: number
  otherIncomeMinor: number
  heldMinor: number
  /** in − out − commission − other income − held: zero when the books balance. */
  differenceMinor: number
}

/** Sums postings (signed, debit > 0) into one reconciliation row. */
export function reconcile(postings: ReadonlyArray<{ account: LedgerAccount; amountMinor: number }>): ReconciliationRow {
  let inMinor = 0,
    outMinor = 0,
    commissionMinor = 0,
    otherIncomeMinor = 0,
    heldMinor = 0
  for (const p of postings) {
    if (p.account === 'provider_cash') {
      if (p.amountMinor > 0) inMinor += p.amountMinor
      else outMinor -= p.amountMinor
    } else if (p.account === 'commission_income') commissionMinor -= p.amountMinor
    else if (INCOME_ACCOUNTS.includes(p.account)) otherIncomeMinor -= p.amountMinor
    else heldMinor -= p.amountMinor
  }
  return {
    inMinor,
    outMinor,
    commissionMinor,
    otherIncomeMinor,
    heldMinor,
    differenceMinor: inMinor - outMinor - commissionMinor - otherIncomeMinor - heldMinor,
  }
}
