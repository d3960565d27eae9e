import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Db } from '#db/client'
import type { Database } from '#db/schema'
import { checkoutLines, closePendingCheckout, describeSessionSku, findOwnAddress, returnStock, takeAgainstCap, takeStock, type TakenRow } from '#db/queries/orders'
import type { ShipTo } from '#db/schema/orders'
import { customerPhoneOfCheckout, takeAgainstCustomerCap } from '#db/queries/customer-orders'
import { enqueue } from '#jobs/enqueue'
import '#jobs/payloads-orders'
import { DomainError } from '#app/domain/errors'
import { CapExceededError, EmptyCheckoutError, lockOrder, paymentDeadline, SessionClosedError, SoldOutError, UnknownItemError, type RequestedLine } from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { memberUnitPrice } from '#app/domain/pricing'
import { sessionPhase } from '#app/domain/clearance-sessions'
import { orderIntegrations, type StockMovementRow } from './order-integrations.server'
import { loadVipTiers } from './pricing.server'
import { grabQueueFor } from './grab-queue.server'

export class AddressNotFoundError extends DomainError {
  readonly code = 'address_not_found'
}

export interface PlaceCheckoutInput {
  memberId: string
  vipLevel: number
  lines: RequestedLine[]
  addressId: string
  now: Date
  holdMs?: number
  /** The address row when the caller already read it (findSessionUserWithAddress): null = not the member's own. */
  address?: OwnAddress | null
  /**
   * A reseller's customer ordering (memberId is then the reseller, whose own price the brand is paid): the parcel
   * goes to the customer, and per-member caps count against the customer's mobile number instead of the member.
   */
  customer?: { shipTo: ShipTo; phone: string }
}

type OwnAddress = NonNullable<Awaited<ReturnType<typeof findOwnAddress>>>

export interface PlacedCheckout {
  checkoutId: string
  orderIds: string[]
  totalMinor: number
  currency: string
  expiresAt: Date
}

async function refusal(trx: Parameters<typeof describeSessionSku>[0], id: string, quantity: number, now: Date): Promise<DomainError> {
  const d = await describeSessionSku(trx, id)
  if (!d) return new UnknownItemError('this item is not for sale', { sessionItemSkuId: id })
  const item = `${d.title} ${d.colour}/${d.size}`
  const details = { sessionItemSkuId: id, item, available: d.available }
  const phase = sessionPhase({ status: d.status, startsAt: d.starts_at, endsAt: d.ends_at }, now)
  if (phase !== 'live' || d.brand_status !== 'live') return new SessionClosedError(`${item}: the session is not live`, details)
  return d.available <= 0
    ? new SoldOutError(`${item}: sold out`, details)
    : new SoldOutError(`${item}: only ${d.available} left, ${quantity} requested`, details)
}

/**
 * The checkout. Single-SKU checkouts go through the SKU's group-commit queue (same rules, many buyers per
 * transaction); others, and every checkout when GRAB_QUEUE=0: in ONE transaction, for each SKU in id order one conditional decrement (live session
 * checked in the same statement), the member's cap counted in the same transaction, then the checkout,
 * one order per brand with price snapshots, and the expiry job. Nothing leaves the database here.
 */
export async function placeCheckout(db: Db, input: PlaceCheckoutInput): Promise<PlacedCheckout> {
  const lines = lockOrder(input.lines)
  if (!lines.length) throw new EmptyCheckoutError('nothing to check out')
  const [address, tiers] = await Promise.all([
    input.address !== undefined ? input.address : findOwnAddress(db, input.memberId, input.addressId), loadVipTiers(db),
  ])
  if (!address) throw new AddressNotFoundError('choose one of your addresses')
  const shipTo: ShipTo = { recipient: address.recipient, phone: address.phone, region: address.region, line: address.line, kind: address.kind }
  const expiresAt = paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs)
  const perRequest = () => placeInOneTransaction(db, input, lines, address, shipTo, tiers, expiresAt)
  // One SKU (the flash-sale hot path): group commit through the SKU's queue (app/services/grab-queue.server.ts).
  const queue = lines.length === 1 ? grabQueueFor(db) : null
  if (!queue) return perRequest()
  const line = lines[0]!
  return queue.grab({
    memberId: input.memberId, vipLevel: input.vipLevel, sessionItemSkuId: line.sessionItemSkuId, quantity: line.quantity, now: input.now, expiresAt,
    address: { id: address.id, kind: address.kind, shipTo }, fallback: perRequest,
  })
}

/**
 * The same checkout on the caller's transaction (no grab queue): the demo seed places its orders through this,
 * so they are exactly what a member's checkout writes.
 */
export async function placeCheckoutInTransaction(trx: Transaction<Database>, input: PlaceCheckoutInput): Promise<PlacedCheckout> {
  const lines = lockOrder(input.lines)
  if (!lines.length) throw new EmptyCheckoutError('nothing to check out')
  if (input.customer) {
    const tiers = await loadVipTiers(trx)
    const shipTo = input.customer.shipTo
    return placeLines(trx, input, lines, null, shipTo, tiers, paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs), randomUUID())
  }
  const address = input.address !== undefined ? input.address : await findOwnAddress(trx, input.memberId, input.addressId)
  if (!address) throw new AddressNotFoundError('choose one of your addresses')
  const tiers = await loadVipTiers(trx)
  const shipTo: ShipTo = { recipient: address.recipient, phone: address.phone, region: address.region, line: address.line, kind: address.kind }
  return placeLines(trx, input, lines, address, shipTo, tiers, paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs), randomUUID())
}

/** The per-request checkout: any number of SKUs, one transaction of its own. */
async function placeInOneTransaction(
  db: Db, input: PlaceCheckoutInput, lines: RequestedLine[], address: OwnAddress, shipTo: ShipTo,
  tiers: Awaited<ReturnType<typeof loadVipTiers>>, expiresAt: Date,
): Promise<PlacedCheckout> {
  const checkoutId = randomUUID()
  return db.transaction().execute((trx) => placeLines(trx, input, lines, address, shipTo, tiers, expiresAt, checkoutId))
}

/** Stock, caps, checkout, orders, lines, stock movements and the expiry job, on one transaction. */
async function placeLines(
  trx: Transaction<Database>, input: PlaceCheckoutInput, lines: RequestedLine[], address: OwnAddress | null, shipTo: ShipTo,
  tiers: Awaited<ReturnType<typeof loadVipTiers>>, expiresAt: Date, checkoutId: string,
): Promise<PlacedCheckout> {
  // Work that touches no stock row first, so the hot rows stay locked for as few round trips as possible.
  await enqueue(trx, 'expire_checkout', { checkoutIds: [checkoutId] }, { runAt: expiresAt })
  if (!input.customer) await trx.deleteFrom('cart_lines').where('member_id', '=', input.memberId).where('session_item_sku_id', 'in', lines.map((l) => l.sessionItemSkuId)).execute()
  const taken: (TakenRow & { quantity: number; unitPriceMinor: number })[] = []
  for (const line of lines) {
    const row = await takeStock(trx, line.sessionItemSkuId, line.quantity, input.now)
    if (!row) throw await refusal(trx, line.sessionItemSkuId, line.quantity, input.now)
    if (row.per_member_cap !== null) {
      const ok = input.customer
        ? await takeAgainstCustomerCap(trx, input.customer.phone, row.id, line.quantity, row.per_member_cap)
        : await takeAgainstCap(trx, input.memberId, row.id, line.quantity, row.per_member_cap)
      if (!ok) {
        throw new CapExceededError(`${row.title} ${row.colour}/${row.size}: at most ${row.per_member_cap} per member`, {
          sessionItemSkuId: row.id, item: `${row.title} ${row.colour}/${row.size}`, cap: row.per_member_cap,
        })
      }
    }
    taken.push({ ...row, quantity: line.quantity, unitPriceMinor: memberUnitPrice(row.base_price_minor, input.vipLevel, tiers) })
  }
  const currency = taken[0].currency
  if (taken.some((t) => t.currency !== currency)) throw new EmptyCheckoutError('items in different currencies must be checked out separately')

  const byBrand = new Map<string, typeof taken>()
  for (const t of taken) byBrand.set(t.brand_id, [...(byBrand.get(t.brand_id) ?? []), t])
  const orders = [...byBrand.entries()].map(([brandId, rows]) => ({
    id: randomUUID(), brandId, rows, goodsMinor: rows.reduce((s, r) => s + r.unitPriceMinor * r.quantity, 0),
  }))
  const totalMinor = orders.reduce((s, o) => s + o.goodsMinor, 0)
  const shipToJson = JSON.stringify(shipTo)
  const dropShip = !address || address.kind === 'customer'

  // Checkout, orders and lines in one statement (data-modifying CTEs): one round trip under the lock.
  await trx
    .with('c', (q) => q.insertInto('checkouts').values({
      id: checkoutId, member_id: input.memberId, total_minor: totalMinor, currency, address_id: address?.id ?? null, ship_to: shipToJson,
      drop_ship: dropShip, expires_at: expiresAt, created_at: input.now,
    }).returning('id'))
    .with('o', (q) => q.insertInto('orders').values(orders.map((o) => ({
      id: o.id, checkout_id: checkoutId, member_id: input.memberId, brand_id: o.brandId, goods_minor: o.goodsMinor, currency,
      ship_to: shipToJson, drop_ship: dropShip, created_at: input.now,
    }))).returning('id'))
    .insertInto('order_lines').values(orders.flatMap((o) => o.rows.map((r) => ({
    order_id: o.id, session_id: r.session_id, session_item_sku_id: r.id, sku_id: r.sku_id, product_id: r.product_id,
    title: r.title, size: r.size, colour: r.colour, quantity: r.quantity, unit_price_minor: r.unitPriceMinor,
  })))).execute()
  await orderIntegrations.recordStockMovements(trx, orders.flatMap((o) => o.rows.map((r): StockMovementRow => ({
    brandId: r.brand_id, sessionId: r.session_id, skuId: r.sku_id, sessionItemSkuId: r.id, delta: -r.quantity, kind: 'sale', orderId: o.id, at: input.now,
  }))))
  return { checkoutId, orderIds: orders.map((o) => o.id), totalMinor, currency, expiresAt }
}

/**
 * Cancels an unpaid checkout and returns its stock, exactly once: whoever flips the checkout out of
 * pending_payment (expiry job, member cancel) returns the stock; everyone else finds nothing to do.
 */
export async function releaseCheckout(db: Db, input: { checkoutId: string; to: 'expired' | 'cancelled'; now: Date; memberId?: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const closed = await closePendingCheckout(trx, input)
    if (!closed) return false
    await trx.updateTable('orders').set({ status: 'cancelled', cancelled_at: input.now })
      .where('checkout_id', '=', input.checkoutId).where('status', '=', 'pending_payment').execute()
    const lines = await checkoutLines(trx, input.checkoutId)
    const customerPhone = await customerPhoneOfCheckout(trx, input.checkoutId)
    const moves: StockMovementRow[] = []
    for (const l of lines) {
      const released = await returnStock(trx, customerPhone ? { phone: customerPhone } : { memberId: closed.member_id }, l.session_item_sku_id, l.quantity)
      const row = { brandId: l.brand_id, sessionId: l.session_id, skuId: l.sku_id, sessionItemSkuId: l.session_item_sku_id, orderId: l.order_id, at: input.now }
      moves.push({ ...row, delta: l.quantity, kind: 'sale_cancelled' })
      // The session already ended and released its unsold units: these go the same way.
      if (released) moves.push({ ...row, delta: -l.quantity, kind: 'release' })
    }
    await orderIntegrations.recordStockMovements(trx, moves)
    return true
  })
}
