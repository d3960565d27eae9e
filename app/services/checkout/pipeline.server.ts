// The checkout pipeline: the one place where stock is taken. It places N ≥ 1 purchases of one or many buyers,
// each of one or many lines, on the caller's transaction: lock the SKU rows (id order), read what the buyers
// already hold, decide every purchase in arrival order (app/domain/checkout.ts), then write everything in one
// statement. The per-request checkout is a batch of one; the group-commit queue only chooses the batch.
import { randomUUID } from 'node:crypto'
import type { RawBuilder } from 'kysely'
import { capsHeld, lockSkus, writePlacements, type LockedSku, type PlacementRows } from '#db/queries/checkout'
import type { ShipTo } from '#db/schema/orders'
import { allocate, refusalError, type SkuOnSale } from '#app/domain/checkout'
import type { DomainError } from '#app/domain/errors'
import { EmptyCheckoutError, lockOrder, type RequestedLine } from '#app/domain/orders'

/** Runs one statement on the pipeline's transaction. */
export type Run = <R>(query: RawBuilder<R>) => Promise<R[]>

/** What the pipeline needs to know of a SKU to price it. */
export interface PricedSku {
  sessionItemSkuId: string
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
  /** Whose per-member caps the units count against (a member id). */
  capKey: string
  /** Whose open unpaid holds are limited (PLATFORM_RULES.holds); null: not limited. */
  holder: string | null
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
  id: row.id, available: row.available, perMemberCap: row.per_member_cap, currency: row.currency,
  session: { status: row.status, startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at), brandStatus: row.brand_status },
})

/**
 * Places purchases on the caller's transaction (`run`), answering each with its checkout or its refusal.
 * A purchase is placed whole or not at all; a refusal never affects another purchase of the batch.
 * Throws only when the transaction itself fails (nothing was taken then).
 */
export async function placePurchases(run: Run, purchases: readonly Purchase[], onPlan?: (plan: Plan) => void): Promise<Outcome[]> {
  const ordered = purchases.map((p) => lockOrder(p.lines))
  const skuIds = [...new Set(ordered.flat().map((l) => l.sessionItemSkuId))].sort()
  const capKeys = [...new Set(purchases.map((p) => p.buyer.capKey))]
  // Pipelined: the cap read goes out with the lock, but PostgreSQL runs it only once the locks are held.
  const [locked, held] = await Promise.all([run(lockSkus(skuIds)), run(capsHeld(capKeys, skuIds))])
  const rows = new Map(locked.map((r) => [r.id, r]))
  const capSlots = new Map(held.map((h) => [`${h.member_id} ${h.session_item_sku_id}`, h.taken]))

  const { outcomes, taken } = allocate(
    new Map(locked.map((r) => [r.id, toSale(r)])), capSlots, new Map(), { maxCheckouts: Infinity, maxUnits: Infinity },
    purchases.map((p, i) => ({ capKey: p.buyer.capKey, holder: p.buyer.holder, lines: ordered[i]!, now: p.now })),
  )
  const itemName = (id: string) => {
    const r = rows.get(id)!
    return `${r.title} ${r.colour}/${r.size}`
  }

  const write: PlacementRows = { takes: [], checkouts: [], orders: [], lines: [], caps: [], carts: [], movements: [], expiry: { checkoutIds: [], runAt: new Date(0) } }
  const results = outcomes.map((outcome, i): Outcome => {
    if (outcome.kind !== 'accepted') return refusalError(outcome, itemName)
    const p = purchases[i]!
    const lines = ordered[i]!.map((l) => {
      const r = rows.get(l.sessionItemSkuId)!
      return { r, quantity: l.quantity, unitPriceMinor: p.buyer.unitPriceMinor({ sessionItemSkuId: r.id, basePriceMinor: r.base_price_minor, currency: r.currency }) }
    })
    const currency = lines[0]!.r.currency
    const checkoutId = randomUUID()
    const shipTo = JSON.stringify(p.shipTo)
    const byBrand = new Map<string, typeof lines>()
    for (const l of lines) byBrand.set(l.r.brand_id, [...(byBrand.get(l.r.brand_id) ?? []), l])
    const orderIds: string[] = []
    let totalMinor = 0
    for (const [brandId, mine] of byBrand) {
      const orderId = randomUUID()
      const goodsMinor = mine.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0)
      orderIds.push(orderId)
      totalMinor += goodsMinor
      write.orders.push({ id: orderId, checkoutId, accountId: p.buyer.accountId, brandId, goodsMinor, currency, shipTo, dropShip: p.dropShip, at: p.now })
      for (const l of mine) {
        write.lines.push({
          orderId, sessionId: l.r.session_id, sessionItemSkuId: l.r.id, skuId: l.r.sku_id, productId: l.r.product_id,
          title: l.r.title, size: l.r.size, colour: l.r.colour, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor,
        })
      }
    }
    for (const l of lines) {
      if (l.r.per_member_cap !== null) write.caps.push({ memberId: p.buyer.capKey, sessionItemSkuId: l.r.id, quantity: l.quantity })
      if (p.buyer.clearsCart) write.carts.push({ memberId: p.buyer.accountId, sessionItemSkuId: l.r.id })
    }
    write.checkouts.push({
      id: checkoutId, accountId: p.buyer.accountId, totalMinor, currency, addressId: p.addressId, shipTo, dropShip: p.dropShip, expiresAt: p.expiresAt, at: p.now,
    })
    write.expiry.checkoutIds.push(checkoutId)
    if (p.expiresAt > write.expiry.runAt) write.expiry.runAt = p.expiresAt
    return { checkoutId, orderIds, totalMinor, currency, expiresAt: p.expiresAt }
  })
  onPlan?.({ acceptedIds: write.expiry.checkoutIds, results })
  if (!write.checkouts.length) return results

  // One movement per SKU for the whole batch (the brand's chart sums units per hour), at the latest clock.
  const latest = purchases.reduce((t, p) => (p.now > t ? p.now : t), new Date(0))
  for (const [id, quantity] of taken) {
    const r = rows.get(id)!
    write.takes.push({ sessionItemSkuId: id, quantity })
    write.movements.push({ brandId: r.brand_id, sessionId: r.session_id, sessionItemSkuId: id, quantity, at: latest })
  }
  write.caps = sumCaps(write.caps)
  const [wrote] = await run(writePlacements(write))
  if (!wrote?.ok || wrote.lines !== write.lines.length || wrote.jobs !== 1) {
    throw new Error(`checkout: the batch did not write as planned (${JSON.stringify(wrote)})`)
  }
  return results
}

/** A member's units of one SKU in one row (the upsert may touch each counter once per statement). */
function sumCaps(rows: PlacementRows['caps']): PlacementRows['caps'] {
  const sum = new Map<string, PlacementRows['caps'][number]>()
  for (const r of rows) {
    const k = `${r.memberId} ${r.sessionItemSkuId}`
    const had = sum.get(k)
    sum.set(k, had ? { ...had, quantity: had.quantity + r.quantity } : { ...r })
  }
  return [...sum.values()]
}

/** Refuses an empty purchase before any lock is taken. */
export function assertNotEmpty(lines: readonly RequestedLine[]) {
  if (!lockOrder(lines).length) throw new EmptyCheckoutError('nothing to check out')
}
