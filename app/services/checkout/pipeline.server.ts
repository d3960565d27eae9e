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
  noPlacements,
  openHolds,
  saveIdempotentAnswers,
  writePlacements,
  type IdempotentAnswer,
  type LockedSku,
  type PlacementRows,
} from '#db/queries/checkout'
import {
  customerLockKeys,
  customerOpenHolds,
  customerReplays,
  customerTerms,
  type CustomerReplay,
  type CustomerTerms,
  type PriceAlertRow,
  upsertPriceAlerts,
} from '#db/queries/customer-orders'
import type { ShipTo } from '#db/schema/orders'
import {
  allocate,
  refusalError,
  type Claim,
  type HoldLimits,
  type OpenHolds,
  type SkuOnSale,
} from '#app/domain/checkout'
import { customerPriceRefusal, ItemUnavailableError, ShopUnavailableError } from '#app/domain/customer-orders'
import { DomainError } from '#app/domain/errors'
import {
  IdempotencyKeyReusedError,
  lockOrder,
  RecordedRefusal,
  UnknownItemError,
  type RequestedLine,
} from '#app/domain/orders'
import { checkoutStep } from './timeline.server'

/**
 * Runs one statement on the pipeline's transaction. `planned: 'each time'`: planned for its own parameters on every
 * run instead of by a prepared statement's cached plan (for a read whose best plan changes as its tables grow).
 * `last`: nothing follows it, and it fails rather than writes what must not be committed, so a transaction of its
 * own may send COMMIT right behind it (one round trip less under the rows' locks).
 */
export type Run = <R>(query: RawBuilder<R>, options?: { planned?: 'each time'; last?: boolean }) => Promise<R[]>

/** What the pipeline needs to know of a SKU to price it. */
export interface PricedSku {
  sessionItemSkuId: string
  /** Its session (a live session is priced with the VIP discounts fixed when it went live). */
  sessionId: string
  basePriceMinor: number
  currency: string
  /** The account's VIP level as read in the transaction (customer orders: the reseller's level now). */
  accountVipLevel?: number
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
  /** A reseller's customer's order around the checkout (the buyer is then the reseller). */
  customer?: CustomerPart | null
}

/**
 * What a customer order adds to its checkout, decided and written in the batch's transaction: the price re-check
 * (the page's retail price ≥ the brand's floor unless tag-cut, ≥ the reseller's own price now), open orders per
 * mobile number and per client, its idempotency key (a key that placed an order gets that order back), and the
 * customer order with its retail lines.
 */
export interface CustomerPart {
  /** Where she ordered: one of the reseller's share links, or her shop. */
  source: { kind: 'share'; linkId: string } | { kind: 'shop' }
  /** Normalised (normaliseMobile). */
  phone: string
  clientKey: string
  idempotencyKey: string
  /** Her private order page's token. */
  token: string
  contact: { name: string; email: string | null; locale: 'zh-CN' | 'en'; region: string; line: string }
  limits: { maxOpenHoldsPerPhone: number; maxOpenHoldsPerClient: number }
}

export interface Placed {
  checkoutId: string
  orderIds: string[]
  totalMinor: number
  currency: string
  expiresAt: Date
  /** A customer purchase's order: `created` is false when its idempotency key had placed it before. */
  customerOrder?: { id: string; token: string; retailTotalMinor: number; created: boolean }
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
  const customers = purchases.flatMap((p) => (p.customer ? [p.customer] : []))
  const accounts = [
    ...new Set([...limited, ...keyed.map((k) => k.memberId), ...customers.flatMap((c) => customerLockKeys(c))]),
  ]
  const latest = purchases.reduce((t, p) => (p.now > t ? p.now : t), new Date(0))
  const asked = purchases.flatMap((p, i) =>
    p.customer
      ? ordered[i]!.map((l) => ({
          purchase: i,
          resellerId: p.buyer.accountId,
          linkId: p.customer!.source.kind === 'share' ? p.customer!.source.linkId : null,
          sessionItemSkuId: l.sessionItemSkuId,
        }))
      : [],
  )
  // Pipelined in one round trip, run by PostgreSQL in this order: the session SKU locks, the locks on their stock on
  // hand, the account locks, then the reads that must see everything committed before those locks were granted.
  const [locked, , , held, open, answered, terms, customerOpen, replays] = await Promise.all([
    run(lockSkus(skuIds)),
    run(lockStock(skuIds)),
    accounts.length ? run(lockHolders(accounts)) : [],
    run(capsHeld(capKeys, skuIds)),
    limited.length ? run(openHolds(limited, latest)) : [],
    keyed.length ? run(idempotentAnswers(keyed)) : [],
    asked.length ? run(customerTerms(asked)) : [],
    customers.length
      ? run(
          customerOpenHolds(
            customers.map((c) => c.phone),
            customers.map((c) => c.clientKey),
            latest,
          ),
          // A prepared statement's cached plan is made for the table as it was (a storm grows it by thousands).
          { planned: 'each time' },
        )
      : [],
    customers.length ? run(customerReplays(customers.map((c) => c.idempotencyKey))) : [],
  ])
  checkoutStep('locked', purchases.length)
  const rows = new Map(locked.map((r) => [r.id, r]))
  const capSlots = new Map(held.map((h) => [`${h.member_id} ${h.session_item_sku_id}`, h.taken]))
  const holds = new Map<string, OpenHolds>(open.map((h) => [h.member_id, { checkouts: h.checkouts, units: h.units }]))
  for (const h of customerOpen) holds.set(openOrdersHolder(h.per, h.key), { checkouts: h.n, units: 0 })
  const termsOf = new Map(terms.map((t) => [`${t.purchase} ${t.session_item_sku_id}`, t]))
  const itemName = (id: string) => {
    const r = rows.get(id)!
    return `${r.title} ${r.colour}/${r.size}`
  }

  // Idempotency keys first: a key answered before gets that answer again; a key repeated within the batch gets
  // the answer of its first use. Then customer purchases whose page's price may not be sold at are refused (and
  // the reseller told). Only the rest are decided by allocate.
  const idempotency = sortOutRepeats(purchases, answered, replays)
  const results: Outcome[] = new Array(purchases.length)
  const alerts: PriceAlertRow[] = []
  const fresh = purchases.flatMap((p, i) => {
    if (idempotency[i] !== undefined) return []
    const refused = p.customer ? customerRefusal(p, i, ordered[i]!, rows, termsOf, alerts) : null
    if (refused) results[i] = refused
    return refused ? [] : [i]
  })
  const claims = fresh.map((i): Claim => {
    const p = purchases[i]!
    return {
      capKey: p.buyer.capKey,
      holder: p.buyer.holds?.accountId ?? null,
      limits: p.buyer.holds?.limits ?? null,
      openOrders: p.customer
        ? [
            {
              holder: openOrdersHolder('phone', p.customer.phone),
              per: 'phone',
              max: p.customer.limits.maxOpenHoldsPerPhone,
            },
            {
              holder: openOrdersHolder('client', p.customer.clientKey),
              per: 'client',
              max: p.customer.limits.maxOpenHoldsPerClient,
            },
          ]
        : undefined,
      lines: ordered[i]!,
      now: p.now,
    }
  })
  const { outcomes, taken } = allocate(new Map(locked.map((r) => [r.id, toSale(r)])), capSlots, holds, claims)

  const write: PlacementRows = {
    ...noPlacements(),
    alerts: sumAlerts(alerts),
  }
  fresh.forEach((i, n) => {
    const outcome = outcomes[n]!
    const p = purchases[i]!
    results[i] =
      outcome.kind === 'accepted' ? placeOne(p, i, ordered[i]!, rows, termsOf, write) : refusalError(outcome, itemName)
  })
  purchases.forEach((p, i) => {
    if (p.idempotency && idempotency[i] === undefined) write.answers.push(answerOf(p, results[i]!))
  })
  purchases.forEach((_, i) => {
    const repeat = idempotency[i]
    if (repeat === undefined) return
    const first = typeof repeat === 'number' ? results[repeat]! : repeat
    results[i] =
      !(first instanceof Error) && first.customerOrder
        ? { ...first, customerOrder: { ...first.customerOrder, created: false } }
        : first
  })
  onPlan?.({ acceptedIds: write.expiry.checkoutIds, results })
  if (!write.checkouts.length) {
    await Promise.all([
      write.answers.length ? run(saveIdempotentAnswers(write.answers)) : null,
      write.alerts.length ? run(upsertPriceAlerts(write.alerts)) : null,
    ])
    return results
  }

  // One movement per SKU for the whole batch (the brand's chart sums units per hour), at the latest clock.
  for (const [id, quantity] of taken) {
    const r = rows.get(id)!
    write.takes.push({ sessionItemSkuId: id, skuId: r.sku_id, quantity })
    write.movements.push({ brandId: r.brand_id, sessionId: r.session_id, sessionItemSkuId: id, quantity, at: latest })
  }
  write.caps = sumCaps(write.caps)
  // The transaction's last statement: it fails unless it wrote as planned, so COMMIT may go out right behind it.
  checkoutStep('write', purchases.length)
  await run(writePlacements(write), { last: true })
  return results
}

/** Adds one accepted purchase's checkout, orders (one per brand), lines, caps and cart clean-up to the write. */
function placeOne(
  p: Purchase,
  index: number,
  lines: readonly RequestedLine[],
  rows: ReadonlyMap<string, LockedSku>,
  termsOf: ReadonlyMap<string, CustomerTerms>,
  write: PlacementRows,
): Placed {
  const priced = lines.map((l) => {
    const r = rows.get(l.sessionItemSkuId)!
    const terms = termsOf.get(`${index} ${r.id}`)
    return {
      id: randomUUID(),
      r,
      quantity: l.quantity,
      unitPriceMinor: p.buyer.unitPriceMinor(pricedSku(r, terms)),
      retailUnitMinor: terms?.retail_price_minor ?? null,
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
        id: l.id,
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
    units: priced.reduce((s, l) => s + l.quantity, 0),
    currency,
    addressId: p.addressId,
    shipTo,
    dropShip: p.dropShip,
    expiresAt: p.expiresAt,
    at: p.now,
  })
  write.expiry.checkoutIds.push(checkoutId)
  if (p.expiresAt > write.expiry.runAt) write.expiry.runAt = p.expiresAt
  const placed: Placed = { checkoutId, orderIds, totalMinor, currency, expiresAt: p.expiresAt }
  if (!p.customer) return placed

  const c = p.customer
  const id = randomUUID()
  const retailTotalMinor = priced.reduce((s, l) => s + l.retailUnitMinor! * l.quantity, 0)
  write.customerOrders.push({
    id,
    checkoutId,
    resellerId: p.buyer.accountId,
    token: c.token,
    name: c.contact.name,
    phone: c.phone,
    email: c.contact.email,
    locale: c.contact.locale,
    region: c.contact.region,
    line: c.contact.line,
    shareLinkId: c.source.kind === 'share' ? c.source.linkId : null,
    source: c.source.kind,
    clientKey: c.clientKey,
    idempotencyKey: c.idempotencyKey,
    retailTotalMinor,
    currency,
    at: p.now,
  })
  for (const l of priced)
    write.customerLines.push({
      orderLineId: l.id,
      customerOrderId: id,
      retailUnitMinor: l.retailUnitMinor!,
      ownUnitMinor: l.unitPriceMinor,
    })
  return { ...placed, customerOrder: { id, token: c.token, retailTotalMinor, created: true } }
}

const pricedSku = (r: LockedSku, terms?: CustomerTerms): PricedSku => ({
  sessionItemSkuId: r.id,
  sessionId: r.session_id,
  basePriceMinor: r.base_price_minor,
  currency: r.currency,
  accountVipLevel: terms?.vip_level,
})

/** The holder key of a customer's open orders per mobile number or per client. */
const openOrdersHolder = (per: 'phone' | 'client', key: string) => `customer:${per}:${key}`

/**
 * A customer purchase the page may not sell as it is now, checked with what was read in this transaction: the
 * page no longer takes orders (link revoked, reseller no longer a member), an item it does not offer, or a
 * retail price below the brand's floor (items not tag-cut) or below the reseller's own price now. A price refusal
 * adds an alert for the reseller; the customer learns only that the item is unavailable. Null: go on.
 */
function customerRefusal(
  p: Purchase,
  index: number,
  lines: readonly RequestedLine[],
  rows: ReadonlyMap<string, LockedSku>,
  termsOf: ReadonlyMap<string, CustomerTerms>,
  alerts: PriceAlertRow[],
): DomainError | null {
  const found = lines.map((l) => ({ l, t: termsOf.get(`${index} ${l.sessionItemSkuId}`) }))
  if (found.some(({ t }) => t && (t.revoked || t.role !== 'member')))
    return new ShopUnavailableError('this page no longer takes orders')
  const missing = found.find(({ t }) => t?.retail_price_minor == null)
  if (missing)
    return new UnknownItemError('this item is not offered here', { sessionItemSkuId: missing.l.sessionItemSkuId })
  const refusedItems: string[] = []
  for (const { l, t } of found) {
    const r = rows.get(l.sessionItemSkuId)
    if (!r || !t || refusedItems.includes(t.session_item_id)) continue
    const reason = customerPriceRefusal({
      sessionItemId: t.session_item_id,
      retailPriceMinor: t.retail_price_minor!,
      ownPriceMinor: p.buyer.unitPriceMinor(pricedSku(r, t)),
      minRetailPriceMinor: t.min_retail_price_minor,
      tagCut: t.tag_cut,
    })
    if (!reason) continue
    refusedItems.push(t.session_item_id)
    alerts.push({
      resellerId: p.buyer.accountId,
      sessionItemId: t.session_item_id,
      reason,
      retailPriceMinor: t.retail_price_minor!,
      refused: 1,
      at: p.now,
    })
  }
  return refusedItems.length
    ? new ItemUnavailableError('this item is unavailable here at the moment', { sessionItemIds: refusedItems })
    : null
}

/** One alert row per reseller and item (the upsert may touch each row once per statement). */
function sumAlerts(rows: readonly PriceAlertRow[]): PriceAlertRow[] {
  const sum = new Map<string, PriceAlertRow>()
  for (const r of rows) {
    const k = `${r.resellerId} ${r.sessionItemId}`
    const had = sum.get(k)
    sum.set(k, had ? { ...r, refused: had.refused + r.refused } : { ...r })
  }
  return [...sum.values()]
}

/**
 * Per purchase: undefined when it is decided now; the answer itself when its Idempotency-Key was answered
 * before (or names another request); the index of the purchase whose answer it repeats within the batch.
 */
function sortOutRepeats(
  purchases: readonly Purchase[],
  answered: readonly { member_id: string; key: string; fingerprint: string; status: number; answer: unknown }[],
  replays: readonly CustomerReplay[],
): (Outcome | number | undefined)[] {
  const before = new Map(answered.map((a) => [`${a.member_id} ${a.key}`, a]))
  const placedBefore = new Map(replays.map((r) => [r.idempotency_key, r]))
  const first = new Map<string, number>()
  return purchases.map((p, i) => {
    if (p.customer) {
      // A customer's key stands for her order: a repeat gets that order back, whatever else it asks.
      const key = p.customer.idempotencyKey
      const had = placedBefore.get(key)
      if (had) return replayed(had)
      const earlier = first.get(`customer ${key}`)
      if (earlier !== undefined) return earlier
      first.set(`customer ${key}`, i)
      return undefined
    }
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

const replayed = (r: CustomerReplay): Placed => ({
  checkoutId: r.checkout_id,
  orderIds: r.order_ids,
  totalMinor: r.total_minor,
  currency: r.currency,
  expiresAt: new Date(r.expires_at),
  customerOrder: { id: r.id, token: r.token, retailTotalMinor: r.retail_total_minor, created: false },
})

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
