import type { Db } from '#db/client'
import {
  addCartLine,
  capUsage,
  publicSession,
  deleteCartLine,
  lockMemberSku,
  listCartLines,
  productBuyOptions,
  sessionSkuForCart,
  sessionStock,
  setCartLineQuantity,
} from '#db/queries/cart'
import { sessionPhase } from '#app/domain/clearance-sessions'
import {
  CapExceededError,
  capRemaining,
  PaymentUnavailableError,
  SessionClosedError,
  UnknownItemError,
} from '#app/domain/orders'
import { wholesalePriceFor, memberUnitPrice, type Viewer } from '#app/domain/pricing'
import { stockFor, stockState } from '#app/domain/stock'
import { placeCheckout } from '../checkout/member-checkout.server'
import { startCheckoutPayment } from './orders.server'
import { loadPriceBook } from '../membership/pricing.server'

export interface Member {
  id: string
  vipLevel: number
}

/**
 * Adds to the cart; only items of a session that is live right now, and never past the item's per-member cap
 * (units already ordered plus units in the cart). Returns how many more the member may still add (null: no cap).
 */
export async function addToCart(
  db: Db,
  input: { member: Member; sessionItemSkuId: string; quantity: number; now: Date },
): Promise<{ remaining: number | null }> {
  const row = await sessionSkuForCart(db, input.sessionItemSkuId)
  if (!row) throw new UnknownItemError('this item is not for sale', { sessionItemSkuId: input.sessionItemSkuId })
  if (
    row.brand_status !== 'live' ||
    sessionPhase({ status: row.status, startsAt: row.starts_at, endsAt: row.ends_at }, input.now) !== 'live'
  ) {
    throw new SessionClosedError('the session is not live', { sessionItemSkuId: input.sessionItemSkuId })
  }
  if (row.per_member_cap === null) {
    await addCartLine(db, input.member.id, input.sessionItemSkuId, input.quantity, input.now)
    return { remaining: null }
  }
  const cap = row.per_member_cap
  return db.transaction().execute(async (trx) => {
    await lockMemberSku(trx, input.member.id, input.sessionItemSkuId)
    const usage = await capUsage(trx, input.member.id, input.sessionItemSkuId)
    const remaining = capRemaining(cap, usage)
    if (input.quantity > remaining) {
      throw new CapExceededError(`at most ${cap} per member, ${remaining} more allowed`, {
        sessionItemSkuId: input.sessionItemSkuId,
        item: row.title,
        cap,
        remaining,
      })
    }
    await addCartLine(trx, input.member.id, input.sessionItemSkuId, input.quantity, input.now)
    return { remaining: remaining - input.quantity }
  })
}

export async function updateCartLine(
  db: Db,
  input: { member: Member; sessionItemSkuId: string; quantity: number; now: Date },
) {
  if (input.quantity <= 0) return deleteCartLine(db, input.member.id, input.sessionItemSkuId)
  const row = await sessionSkuForCart(db, input.sessionItemSkuId)
  const cap = row?.per_member_cap ?? null
  return db.transaction().execute(async (trx) => {
    if (cap !== null) {
      await lockMemberSku(trx, input.member.id, input.sessionItemSkuId)
      const { taken } = await capUsage(trx, input.member.id, input.sessionItemSkuId)
      const remaining = capRemaining(cap, { taken, inCart: 0 })
      if (input.quantity > remaining) {
        throw new CapExceededError(`at most ${cap} per member, ${remaining} more allowed`, {
          sessionItemSkuId: input.sessionItemSkuId,
          item: row!.title,
          cap,
          remaining,
        })
      }
    }
    return setCartLineQuantity(trx, input.member.id, input.sessionItemSkuId, input.quantity, input.now)
  })
}

export function removeCartLine(db: Db, input: { member: Member; sessionItemSkuId: string }) {
  return deleteCartLine(db, input.member.id, input.sessionItemSkuId)
}

/** The cart grouped by brand, priced for this member; lines of sessions not live are marked and not checked out. */
export async function cartView(db: Db, member: Member, now: Date) {
  const rows = await listCartLines(db, member.id)
  const book = await loadPriceBook(db)
  const groups = new Map<
    string,
    {
      brandId: string
      brandName: string
      brandNameEn: string
      subtotalMinor: number
      lines: ReturnType<typeof toLine>[]
    }
  >()
  function toLine(r: (typeof rows)[number]) {
    const live =
      r.brand_status === 'live' &&
      sessionPhase({ status: r.status, startsAt: r.starts_at, endsAt: r.ends_at }, now) === 'live'
    const unitPriceMinor = memberUnitPrice(r.base_price_minor, member.vipLevel, book.tiersFor(r.session_id))
    return {
      sessionItemSkuId: r.session_item_sku_id,
      productId: r.product_id,
      title: r.title,
      titleEn: r.title_en,
      imageSeed: r.image_seed,
      imagePath: r.image_path,
      size: r.size,
      colour: r.colour,
      quantity: r.quantity,
      unitPriceMinor,
      currency: r.currency,
      lineMinor: unitPriceMinor * r.quantity,
      live,
      stock: stockState(r.available),
      cap: r.per_member_cap,
      sessionId: r.session_id,
      sessionTitle: r.session_title,
    }
  }
  for (const r of rows) {
    const g = groups.get(r.brand_id) ?? {
      brandId: r.brand_id,
      brandName: r.brand_name,
      brandNameEn: r.brand_name_en,
      subtotalMinor: 0,
      lines: [],
    }
    const line = toLine(r)
    g.lines.push(line)
    if (line.live) g.subtotalMinor += line.lineMinor
    groups.set(r.brand_id, g)
  }
  const brands = [...groups.values()]
  const checkoutLines = brands.flatMap((b) =>
    b.lines.filter((l) => l.live).map((l) => ({ sessionItemSkuId: l.sessionItemSkuId, quantity: l.quantity })),
  )
  return {
    brands,
    totalMinor: brands.reduce((s, b) => s + b.subtotalMinor, 0),
    currency: rows[0]?.currency ?? 'CNY',
    checkoutLines,
    count: rows.reduce((s, r) => s + r.quantity, 0),
  }
}

/** The product page's buy box: SKUs of the live (else next) session with this viewer's price and stock. */
export async function buyBox(db: Db, productId: string, viewer: Viewer | null, now: Date) {
  const rows = await productBuyOptions(db, productId, now)
  const sessionId = rows[0]?.session_id
  const tiers = (await loadPriceBook(db)).tiersFor(sessionId)
  const options = rows.filter((r) => r.session_id === sessionId)
  if (!options.length) return null
  const first = options[0]
  const phase = sessionPhase({ status: first.status, startsAt: first.starts_at, endsAt: first.ends_at }, now)
  return {
    sessionId: sessionId!,
    live: phase === 'live',
    priceMinor: wholesalePriceFor(first.base_price_minor, viewer, tiers),
    currency: first.currency,
    cap: first.per_member_cap,
    options: options.map((o) => ({
      id: o.id,
      size: o.size,
      colour: o.colour,
      stock: stockFor(o.available, viewer ? 'member' : 'public'),
    })),
  }
}

/** The small JSON the session and product pages poll: stock state per session item and per session SKU. */
export async function stockSnapshot(db: Db, sessionId: string, signedIn: boolean) {
  const session = await publicSession(db, sessionId)
  if (!session || session.status === 'draft' || session.status === 'cancelled' || session.brand_status !== 'live')
    return null
  const rows = await sessionStock(db, sessionId)
  const state = (n: number) => stockFor(n, signedIn ? 'member' : 'public')
  const items: Record<string, number> = {}
  const skus: Record<string, ReturnType<typeof state>> = {}
  for (const r of rows) {
    items[r.session_item_id] = (items[r.session_item_id] ?? 0) + r.available
    skus[r.id] = state(r.available)
  }
  return { items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, state(v)])), skus }
}

/**
 * Checks out the member's cart (its live lines) and starts the one payment for it. The checkout commits
 * first; only then is the payment provider called. Returns where to send the member: the provider's page,
 * or the first order's page when no payment could be started (it stays payable from there).
 */
export async function checkoutCart(
  db: Db,
  input: { member: Member; addressId: string; origin: string; now: Date },
): Promise<{ redirectTo: string }> {
  const { member, now } = input
  const cart = await cartView(db, member, now)
  const placed = await placeCheckout(db, {
    memberId: member.id,
    vipLevel: member.vipLevel,
    lines: cart.checkoutLines,
    addressId: input.addressId,
    now,
  })
  try {
    const payment = await startCheckoutPayment(db, {
      checkoutId: placed.checkoutId,
      memberId: member.id,
      amountMinor: placed.totalMinor,
      currency: placed.currency,
      origin: input.origin,
      orderId: placed.orderIds[0],
    })
    return { redirectTo: payment.redirectUrl }
  } catch (e) {
    if (e instanceof PaymentUnavailableError) return { redirectTo: `/orders/${placed.orderIds[0]}` }
    throw e
  }
}
