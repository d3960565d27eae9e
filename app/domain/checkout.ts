// Who gets stock in a checkout: pure, so the rules read in one place. The caller (the checkout pipeline,
// app/services/checkout) holds the locks of every SKU row and holder involved and decides a whole batch of
// purchases here, in arrival order; one purchase alone is a batch of one.
import { sellingAt, type SessionStatus } from './clearance-sessions'
import { tooManyOpenOrders } from './customer-orders'
import type { DomainError } from './errors'
import {
  CapExceededError,
  EmptyCheckoutError,
  HoldLimitError,
  SessionClosedError,
  soldOut,
  UnknownItemError,
  type RequestedLine,
} from './orders'

export interface SkuOnSale {
  id: string
  available: number
  perMemberCap: number | null
  currency: string
  session: { status: SessionStatus; startsAt: Date; endsAt: Date; brandStatus: string }
}

/** Open unpaid holds of one holder (checkouts still pending payment before their deadline, and their units). */
export interface OpenHolds {
  checkouts: number
  units: number
}

export interface HoldLimits {
  maxCheckouts: number
  maxUnits: number
}

export interface Claim {
  /** Whose per-SKU caps the units count against. */
  capKey: string
  /** Whose open holds are limited, and how far; null: not limited. */
  holder: string | null
  limits: HoldLimits | null
  /**
   * Open-order limits of someone without an account (a customer's mobile number, the client she orders from):
   * at most `max` unpaid checkouts per holder key, counted like `holder`'s.
   */
  openOrders?: readonly { holder: string; per: 'phone' | 'client'; max: number }[]
  /** One entry per SKU, in lock order (lockOrder). */
  lines: readonly RequestedLine[]
  /** The request's own clock: a line is sold only if its session is selling at this instant. */
  now: Date
}

export type Refusal =
  | { kind: 'unknown'; sessionItemSkuId: string }
  | { kind: 'closed'; sessionItemSkuId: string }
  | { kind: 'sold_out'; sessionItemSkuId: string; available: number; requested: number }
  | { kind: 'cap'; sessionItemSkuId: string; cap: number }
  | { kind: 'mixed_currency' }
  | { kind: 'hold_limit'; limit: 'checkouts' | 'units'; max: number; held: number }
  | { kind: 'open_orders'; per: 'phone' | 'client'; max: number }

export type Allocation = { kind: 'accepted' } | Refusal

const capSlot = (capKey: string, skuId: string) => `${capKey} ${skuId}`

/**
 * Decides claims in arrival order, each all or nothing. Per line in lock order: refused if the SKU is unknown,
 * if its session is not selling at the claim's `now`, if the stock left (after earlier claims of the batch) is
 * short, then if the cap key's units (held + earlier in the batch) would pass the per-member cap. Then a claim
 * over several currencies is refused, then one that would take its holder past the open-hold limits.
 * Returns each claim's outcome and the units to take per SKU.
 */
export function allocate(
  skus: ReadonlyMap<string, SkuOnSale>,
  capsHeld: ReadonlyMap<string, number>,
  holds: ReadonlyMap<string, OpenHolds>,
  claims: readonly Claim[],
): { outcomes: Allocation[]; taken: Map<string, number> } {
  const left = new Map<string, number>()
  const caps = new Map<string, number>()
  const open = new Map<string, OpenHolds>()
  const stockOf = (id: string) => left.get(id) ?? skus.get(id)!.available
  const capOf = (slot: string) => caps.get(slot) ?? capsHeld.get(slot) ?? 0
  const outcomes = claims.map((claim): Allocation => {
    for (const line of claim.lines) {
      const sku = skus.get(line.sessionItemSkuId)
      if (!sku) return { kind: 'unknown', sessionItemSkuId: line.sessionItemSkuId }
      const available = stockOf(sku.id)
      if (!sellingAt(sku.session, claim.now)) return { kind: 'closed', sessionItemSkuId: sku.id }
      if (line.quantity > available)
        return { kind: 'sold_out', sessionItemSkuId: sku.id, available, requested: line.quantity }
      if (sku.perMemberCap !== null && capOf(capSlot(claim.capKey, sku.id)) + line.quantity > sku.perMemberCap) {
        return { kind: 'cap', sessionItemSkuId: sku.id, cap: sku.perMemberCap }
      }
    }
    if (new Set(claim.lines.map((l) => skus.get(l.sessionItemSkuId)!.currency)).size > 1)
      return { kind: 'mixed_currency' }
    const units = claim.lines.reduce((s, l) => s + l.quantity, 0)
    if (claim.holder !== null && claim.limits !== null) {
      const limits = claim.limits
      const had = open.get(claim.holder) ?? holds.get(claim.holder) ?? { checkouts: 0, units: 0 }
      if (had.checkouts + 1 > limits.maxCheckouts)
        return { kind: 'hold_limit', limit: 'checkouts', max: limits.maxCheckouts, held: had.checkouts }
      if (had.units + units > limits.maxUnits)
        return { kind: 'hold_limit', limit: 'units', max: limits.maxUnits, held: had.units }
      open.set(claim.holder, { checkouts: had.checkouts + 1, units: had.units + units })
    }
    for (const o of claim.openOrders ?? []) {
      const had = open.get(o.holder) ?? holds.get(o.holder) ?? { checkouts: 0, units: 0 }
      if (had.checkouts + 1 > o.max) return { kind: 'open_orders', per: o.per, max: o.max }
    }
    for (const o of claim.openOrders ?? []) {
      const had = open.get(o.holder) ?? holds.get(o.holder) ?? { checkouts: 0, units: 0 }
      open.set(o.holder, { checkouts: had.checkouts + 1, units: had.units + units })
    }
    for (const line of claim.lines) {
      left.set(line.sessionItemSkuId, stockOf(line.sessionItemSkuId) - line.quantity)
      const slot = capSlot(claim.capKey, line.sessionItemSkuId)
      if (skus.get(line.sessionItemSkuId)!.perMemberCap !== null) caps.set(slot, capOf(slot) + line.quantity)
    }
    return { kind: 'accepted' }
  })
  const taken = new Map<string, number>()
  for (const [id, n] of left) if (skus.get(id)!.available - n > 0) taken.set(id, skus.get(id)!.available - n)
  return { outcomes, taken }
}

/** The refusal as the error the buyer sees, naming the item (`itemName`: "title colour/size"). */
export function refusalError(r: Refusal, itemName: (sessionItemSkuId: string) => string): DomainError {
  switch (r.kind) {
    case 'unknown':
      return new UnknownItemError('this item is not for sale', { sessionItemSkuId: r.sessionItemSkuId })
    case 'closed': {
      const item = itemName(r.sessionItemSkuId)
      // Nothing about the stock of an item that is not on sale (draft, upcoming, ended).
      return new SessionClosedError(`${item}: the session is not live`, { sessionItemSkuId: r.sessionItemSkuId, item })
    }
    case 'sold_out':
      return soldOut(itemName(r.sessionItemSkuId), r.sessionItemSkuId, r.available, r.requested)
    case 'cap': {
      const item = itemName(r.sessionItemSkuId)
      return new CapExceededError(`${item}: at most ${r.cap} per member`, {
        sessionItemSkuId: r.sessionItemSkuId,
        item,
        cap: r.cap,
      })
    }
    case 'mixed_currency':
      return new EmptyCheckoutError('items in different currencies must be checked out separately')
    case 'open_orders':
      return tooManyOpenOrders(r.per, r.max)
    case 'hold_limit':
      return r.limit === 'checkouts'
        ? new HoldLimitError(`at most ${r.max} unpaid checkouts at a time: pay or cancel one first`, {
            limit: r.limit,
            max: r.max,
            held: r.held,
          })
        : new HoldLimitError(`at most ${r.max} unpaid units at a time: pay or cancel a checkout first`, {
            limit: r.limit,
            max: r.max,
            held: r.held,
          })
  }
}
