// The reseller's earnings ledger, read as balances. Pure: no I/O. Rows are appended, never changed:
// an earning per paid customer line, a (negative) reversal per refund of a line.

export interface EarningEntry {
  kind: 'earning' | 'reversal'
  amountMinor: number
  /** The session's after-sale deadline: pending before it, available from it on. */
  availableAt: Date
}

export interface EarningsBalance {
  pendingMinor: number
  availableMinor: number
  /** Everything reversed by refunds so far (a positive number). */
  reversedMinor: number
}

export function isAvailable(entry: Pick<EarningEntry, 'availableAt'>, now: Date): boolean {
  return entry.availableAt.getTime() <= now.getTime()
}

/** Pending and available balances at `now`, derived from the ledger alone. */
export function earningsBalance(entries: readonly EarningEntry[], now: Date): EarningsBalance {
  let pendingMinor = 0
  let availableMinor = 0
  let reversedMinor = 0
  for (const e of entries) {
    if (isAvailable(e, now)) availableMinor += e.amountMinor
    else pendingMinor += e.amountMinor
    if (e.kind === 'reversal') reversedMinor -= e.amountMinor
  }
  return { pendingMinor, availableMinor, reversedMinor }
}

/** One line's state for the reseller: pending, available, or reversed (nothing left after refunds). */
export function lineEarningState(entries: readonly EarningEntry[], now: Date): 'pending' | 'available' | 'reversed' {
  const earned = entries.filter((e) => e.kind === 'earning').reduce((s, e) => s + e.amountMinor, 0)
  const net = entries.reduce((s, e) => s + e.amountMinor, 0)
  if (earned > 0 && net <= 0) return 'reversed'
  return entries.every((e) => isAvailable(e, now)) ? 'available' : 'pending'
}
