// Allocation of one batch of single-SKU grabs (group commit, app/services/grab-queue.server.ts): pure, so the
// rules read in one place. The caller holds the SKU row's lock; this decides, in arrival order, who gets stock.

export interface BatchSku {
  available: number
  perMemberCap: number | null
  sessionStatus: string
  startsAt: Date
  endsAt: Date
  brandStatus: string
}

export interface BatchRequest {
  memberId: string
  quantity: number
  /** The request's own clock: a grab is taken only if the session is live at its `now`. */
  now: Date
}

export type BatchOutcome =
  | { kind: 'accepted' }
  | { kind: 'closed' }
  | { kind: 'sold_out'; available: number }
  | { kind: 'cap'; cap: number }

/** Same window as the per-request conditional decrement (db/queries/orders.ts takeStock). */
export function liveAt(sku: BatchSku, now: Date): boolean {
  return sku.sessionStatus === 'scheduled' && sku.brandStatus === 'live' && sku.startsAt.getTime() <= now.getTime() && sku.endsAt.getTime() > now.getTime()
}

/**
 * In arrival order: refused if the session is not live at the request's `now`, then if the stock left is short,
 * then if the member's units (already held + earlier in this batch) would pass the cap. Returns each request's
 * outcome and the batch total to decrement.
 */
export function allocateBatch(sku: BatchSku, held: ReadonlyMap<string, number>, requests: readonly BatchRequest[]): { outcomes: BatchOutcome[]; taken: number } {
  let left = sku.available
  const mine = new Map(held)
  const outcomes = requests.map((r): BatchOutcome => {
    if (!liveAt(sku, r.now)) return { kind: 'closed' }
    if (r.quantity > left) return { kind: 'sold_out', available: left }
    if (sku.perMemberCap !== null) {
      const had = mine.get(r.memberId) ?? 0
      if (had + r.quantity > sku.perMemberCap) return { kind: 'cap', cap: sku.perMemberCap }
      mine.set(r.memberId, had + r.quantity)
    }
    left -= r.quantity
    return { kind: 'accepted' }
  })
  return { outcomes, taken: sku.available - left }
}
