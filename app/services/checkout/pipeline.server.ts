// The checkout pipeline: the one place where stock is taken. It places N ≥ 1 purchases of one or many buyers,
// each of one or many lines, on the caller's transaction: lock the SKU rows (id order), read what the buyers
// already hold, decide every purchase in arrival order (app/domain/checkout.ts), then write everything in one
// statement, which also takes the sold units off the SKUs' stock on hand. The per-request checkout is a batch of
// one; the group-commit queue only chooses the batch.
import { randomUUID } from 'node:crypto'
import type { RawBuilder } from 'kysely'
import {
  capsHeld,
  idempotentAnswers,
  lockHolders,
  lockSkus,
  lockStock,
  openHolds,
  saveIdempotentAnswers,
  writePlacements,
  type IdempotentAnswer,
  type LockedSku,
  type PlacementRows,
} from '#db/queries/checkout'
import type { ShipTo } from '#db/schema/orders'
import {
  allocate,
  refusalError,
  type Claim,
  type HoldLimits,
  type OpenHolds,
  type SkuOnSale,
} from '#app/domain/checkout'
import { DomainError } from '#app/domain/errors'
import { IdempotencyKeyReusedError, lockOrder, RecordedRefusal, type RequestedLine } from '#app/domain/orders'

/** Runs one statement on the pipeline's transaction. */
export type Run = <R>(query: RawBuilder<R>) => Promise<R[]>

/** What the pipeline needs to know of a SKU to price it. */
export interface PricedSku {
  sessionItemSkuId: string
  /** Its session (a live session is priced with the VIP discounts fixed when it went live). */
  sessionId: string
  basePriceMinor: number
  currency: string
}

/**
 * Who buys, as an order source describes them. A member buys for themself (memberBuyer); another source (an
 * order placed for someone without an account) supplies its own account, cap key, hold limit key and price.
 */
export interface Buyer {
  /** The account the checkout and its orders belong to. */
  accountId: string
  /** Whose per-member caps the units count against: a member id, or a customer's mobileCapKey. */
  capKey: string
  /** Whose open unpaid holds are limited (an account id), and how far; null: not limited. */
  holds: { accountId: string; limits: HoldLimits } | null
  /** The unit price this buyer pays, in minor units of the SKU's currency. */
  unitPriceMinor(sku: PricedSku): number
  /** Whether bought SKUs leave the account's cart. */
  clearsCart: boolean
}

export interface Purchase {
  buyer: Buyer
  lines: readonly RequestedLine[]
  /** Where it ships (snapshotted on the checkout and its orders), and the address row it came from, if any. */
  shipTo: ShipTo
  addressId: string | null
  /** Shipped straight to someone else's address. */
  dropShip: boolean
  now: Date
  expiresAt: Date
  /**
   * An Idempotency-Key, scoped to the buyer's account, and the request it stands for in canonical form: the first
   * answer to the key is kept and given again; the key with another request is refused.
   */
  idempotency?: { key: string; fingerprint: string } | null
}

export interface Placed {
  checkoutId: string
  orderIds: string[]
  totalMinor: number
  currency: string
  expiresAt: Date
}

export type Outcome = Placed | DomainError

/** What a batch decided before its write was sent (read when COMMIT failed ambiguously). */
export interface Plan {
  acceptedIds: string[]
  results: Outcome[]
}

const toSale = (row: LockedSku): SkuOnSale => ({
  id: row.id,
  available: row.available,
  perMemberCap: row.per_member_cap,
  currency: row.currency,
  session: {
    status: row.status,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    brandStatus: row.brand_status,
  },
})

/**
 * Places purchases on the caller's transaction (`run`), answering each with its checkout or its refusal.
 * A purchase is placed whole or not at all; a refusal never affects another purchase of the batch.
 * Throws only when the transaction itself fails (nothing was taken then).
 */
export async function placePurchases(
  run: Run,
  purchases: readonly Purchase[],
  onPlan?: (plan: Plan) => void,
): Promise<Outcome[]> {
  const ordered = purchases.map((p) => lockOrder(p.lines))
  const skuIds = [...new Set(ordered.flat().map((l) => l.sessionItemSkuId))].sort()
  const capKeys = [...new Set(purchases.map((p) => p.buyer.capKey))]
  const limited = [...new Set(purchases.flatMap((p) => (p.buyer.holds ? [p.buyer.holds.accountId] : [])))]
  const keyed = purchases.flatMap((p) =>
    p.idempotency ? [{ memberId: p.buyer.accountId, key: p.idempotency.key }] : [],
  )
  const accounts = [...new Set([...limited, ...keyed.map((k) => k.memberId)])]
  const latest = purchases.reduce((t, p) => (p.now > t ? p.now : t), new Date(0))
  // Pipelined in one round trip, run by PostgreSQL in this order: the session SKU locks, the locks on their stock on
  // hand, the account locks, then the reads that must see everything committed before those locks were granted.
  const [locked, , , held, open, answered] = await Promise.all([
    run(lockSkus(skuIds)),
    run(lockStock(skuIds)),
    accounts.length ? run(lockHolders(accounts)) : [],
    run(capsHeld(capKeys, skuIds)),
    limited.length ? run(openHolds(limited, latest)) : [],
    keyed.length ? run(idempotentAnswers(keyed)) : [],
  ])
  const rows = new Map(locked.map((r) => [r.id, r]))
  const capSlots = new Map(held.map((h) => [`${h.member_id} ${h.session_item_sku_id}`, h.taken]))
  const holds = new Map<string, OpenHolds>(open.map((h) => [h.member_id, { checkouts: h.checkouts, units: h.units }]))

  // Idempotency-Keys first: a key answered before gets that answer again; a key repeated within the batch gets
  // the answer of its first use; only the rest are decided.
  const idempotency = sortOutRepeats(purchases, answered)
  const fresh = purchases.flatMap((p, i) => (idempotency[i] === undefined ? [i] : []))
  const claims = fresh.map((i): Claim => {
    const p = purchases[i]!
    return {
      capKey: p.buyer.capKey,
      holder: p.buyer.holds?.accountId ?? null,
      limits: p.buyer.holds?.limits ?? null,
      lines: ordered[i]!,
      now: p.now,
    }
  })
  const { outcomes, taken } = allocate(new Map(locked.map((r) => [r.id, toSale(r)])), capSlots, holds, claims)
  const itemName = (id: string) => {
    const r = rows.get(id)!
    return `${r.title} ${r.colour}/${r.size}`
  }

  const write: PlacementRows = {
    takes: [],
    checkouts: [],
    orders: [],
    lines: [],
    caps: [],
    carts: [],
    movements: [],
    expiry: { checkoutIds: [], runAt: new Date(0) },
    answers: [],
  }
  const results: Outcome[] = new Array(purchases.length)
  fresh.forEach((i, n) => {
    const outcome = outcomes[n]!
    const p = purchases[i]!
    results[i] = outcome.kind === 'accepted' ? placeOne(p, ordered[i]!, rows, write) : refusalError(outcome, itemName)
    if (p.idempotency) write.answers.push(answerOf(p, results[i]!))
  })
  purchases.forEach((_, i) => {
    const repeat = idempotency[i]
    if (repeat !== undefined) results[i] = typeof repeat === 'number' ? results[repeat]! : repeat
  })
  onPlan?.({ acceptedIds: write.expiry.checkoutIds, results })
  if (!write.checkouts.length) {
    if (write.answers.length) await run(saveIdempotentAnswers(write.answers))
    return results
  }

  // One movement per SKU for the whole batch (the brand's chart sums units per hour), at the latest clock.
  for (const [id, quantity] of taken) {
    const r = rows.get(id)!
    write.takes.push({ sessionItemSkuId: id, skuId: r.sku_id, quantity })
    write.movements.push({ brandId: r.brand_id, sessionId: r.session_id, sessionItemSkuId: id, quantity, at: latest })
  }
  write.caps = sumCaps(write.caps)
  const [wrote] = await run(writePlacements(write))
  if (
    !wrote?.ok ||
    wrote.lines !== write.lines.length ||
    wrote.jobs !== 1 ||
    wrote.onHand !== new Set(write.takes.map((t) => t.skuId)).size
  ) {
    throw new Error(`checkout: the batch did not write as planned (${JSON.stringify(wrote)})`)
  }
  return results
}

/** Adds one accepted purchase's checkout, orders (one per brand), lines, caps and cart clean-up to the write. */
function placeOne(
  p: Purchase,
  lines: readonly RequestedLine[],
  rows: ReadonlyMap<string, LockedSku>,
  write: PlacementRows,
): Placed {
  const priced = lines.map((l) => {
    const r = rows.get(l.sessionItemSkuId)!
    return {
      r,
      quantity: l.quantity,
      unitPriceMinor: p.buyer.unitPriceMinor({
        sessionItemSkuId: r.id,
        sessionId: r.session_id,
        basePriceMinor: r.base_price_minor,
        currency: r.currency,
      }),
    }
  })
  const currency = priced[0]!.r.currency
  const checkoutId = randomUUID()
  const shipTo = JSON.stringify(p.shipTo)
  const byBrand = new Map<string, typeof priced>()
  for (const l of priced) byBrand.set(l.r.brand_id, [...(byBrand.get(l.r.brand_id) ?? []), l])
  const orderIds: string[] = []
  let totalMinor = 0
  for (const [brandId, mine] of byBrand) {
    const orderId = randomUUID()
    const goodsMinor = mine.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0)
    orderIds.push(orderId)
    totalMinor += goodsMinor
    write.orders.push({
      id: orderId,
      checkoutId,
      accountId: p.buyer.accountId,
      brandId,
      goodsMinor,
      currency,
      shipTo,
      dropShip: p.dropShip,
      at: p.now,
    })
    for (const l of mine) {
      write.lines.push({
        orderId,
        sessionId: l.r.session_id,
        sessionItemSkuId: l.r.id,
        skuId: l.r.sku_id,
        productId: l.r.product_id,
        title: l.r.title,
        size: l.r.size,
        colour: l.r.colour,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
      })
    }
  }
  for (const l of priced) {
    if (l.r.per_member_cap !== null)
      write.caps.push({ capKey: p.buyer.capKey, sessionItemSkuId: l.r.id, quantity: l.quantity })
    if (p.buyer.clearsCart) write.carts.push({ memberId: p.buyer.accountId, sessionItemSkuId: l.r.id })
  }
  write.checkouts.push({
    id: checkoutId,
    accountId: p.buyer.accountId,
    totalMinor,
    currency,
    addressId: p.addressId,
    shipTo,
    dropShip: p.dropShip,
    expiresAt: p.expiresAt,
    at: p.now,
  })
  write.expiry.checkoutIds.push(checkoutId)
  if (p.expiresAt > write.expiry.runAt) write.expiry.runAt = p.expiresAt
  return { checkoutId, orderIds, totalMinor, currency, expiresAt: p.expiresAt }
}

/**
 * Per purchase: undefined when it is decided now; the answer itself when its Idempotency-Key was answered
 * before (or names another request); the index of the purchase whose answer it repeats within the batch.
 */
function sortOutRepeats(
  purchases: readonly Purchase[],
  answered: readonly { member_id: string; key: string; fingerprint: string; status: number; answer: unknown }[],
): (Outcome | number | undefined)[] {
  const before = new Map(answered.map((a) => [`${a.member_id} ${a.key}`, a]))
  const first = new Map<string, number>()
  return purchases.map((p, i) => {
    if (!p.idempotency) return undefined
    const slot = `${p.buyer.accountId} ${p.idempotency.key}`
    const given = before.get(slot)
    if (given) return given.fingerprint === p.idempotency.fingerprint ? recorded(given.status, given.answer) : reused()
    const earlier = first.get(slot)
    if (earlier === undefined) {
      first.set(slot, i)
      return undefined
    }
    return purchases[earlier]!.idempotency!.fingerprint === p.idempotency.fingerprint ? earlier : reused()
  })
}

const reused = () => new IdempotencyKeyReusedError('this Idempotency-Key was used for a different checkout')

/** The answer kept for a key, as JSON: the placed checkout, or the refusal. */
function answerOf(p: Purchase, outcome: Outcome): IdempotentAnswer {
  const base = { memberId: p.buyer.accountId, key: p.idempotency!.key, fingerprint: p.idempotency!.fingerprint }
  if (outcome instanceof DomainError) {
    return {
      ...base,
      checkoutId: null,
      status: outcome.status,
      answer: JSON.stringify({ code: outcome.code, message: outcome.message, details: outcome.details }),
    }
  }
  return { ...base, checkoutId: outcome.checkoutId, status: 201, answer: JSON.stringify(outcome) }
}

function recorded(status: number, answer: unknown): Outcome {
  const a = answer as Record<string, unknown>
  if (status === 201) {
    const placed = a as unknown as Omit<Placed, 'expiresAt'> & { expiresAt: string }
    return { ...placed, expiresAt: new Date(placed.expiresAt) }
  }
  return new RecordedRefusal(
    String(a.code),
    status as RecordedRefusal['status'],
    String(a.message),
    (a.details ?? {}) as Record<string, unknown>,
  )
}

/** A cap key's units of one SKU in one row (the upsert may touch each counter once per statement). */
function sumCaps(rows: PlacementRows['caps']): PlacementRows['caps'] {
  const sum = new Map<string, PlacementRows['caps'][number]>()
  for (const r of rows) {
    const k = `${r.capKey} ${r.sessionItemSkuId}`
    const had = sum.get(k)
    sum.set(k, had ? { ...had, quantity: had.quantity + r.quantity } : { ...r })
  }
  return [...sum.values()]
}
