// A reseller's customer orders from her share page or shop: no account, the reseller's retail price, paid to the
// platform. The order is a purchase of the checkout pipeline like any other (placePurchases, through the
// group-commit queue): its customer part carries what a customer order adds, and the pipeline decides it in the
// transaction that takes the stock (the price re-check, open orders per mobile number and per client, the
// idempotency key) and writes the customer order in the batch's one statement.
import { LRUCache } from 'lru-cache'
import type { Db } from '#db/client'
import { customerOrderForPayment, findShareLinkForOrders } from '#db/queries/customer-orders'
import { InvalidMobileError, normaliseMobile, ShopUnavailableError } from '#app/domain/customer-orders'
import {
  EmptyCheckoutError,
  lockOrder,
  paymentDeadline,
  PaymentUnavailableError,
  type RequestedLine,
} from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { memberUnitPrice } from '#app/domain/pricing'
import { mobileCapKey } from '#db/queries/checkout'
import { submitPurchase } from '#app/services/checkout/group-commit.server'
import type { Buyer, Placed, Purchase } from '#app/services/checkout/pipeline.server'
import { resumeOrStartPayment } from '#app/services/payments/index.server'
import type { PaymentProvider } from '#app/services/payments/provider.server'
import { resolveShop } from '#app/services/reseller/shop.server'
import { loadPriceBook, type PriceBook } from '#app/services/membership/pricing.server'
import { randomToken } from '#app/utils/random-tokens.server'

export interface CustomerContact {
  name: string
  phone: string
  email?: string | null
  region: string
  line: string
  /** The language of the page she ordered on (her e-mails lead with it). */
  locale?: 'zh-CN' | 'en'
}

/** Where the customer ordered: one of the reseller's share links, or her shop (by its handle). */
export type OrderSource = { kind: 'share'; token: string } | { kind: 'shop'; handle: string }

export interface PlaceCustomerOrderInput {
  source: OrderSource
  lines: RequestedLine[]
  customer: CustomerContact
  /** Identifies the ordering device or network (hold limits per client). */
  clientKey: string
  /** The same key sent twice places one order (a double tap, a retried request). */
  idempotencyKey: string
  now: Date
  holdMs?: number
}

export interface PlacedCustomerOrder {
  customerOrderId: string
  token: string
  checkoutId: string
  retailTotalMinor: number
  currency: string
  expiresAt: Date
  /** False when the idempotency key had already placed this order. */
  created: boolean
}

export const newOrderToken = () => randomToken(24)

/**
 * A reseller's customer as the checkout pipeline's buyer: the checkout and its orders are the reseller's (the
 * brand's goods value is her own price, at her level as read in the transaction), the units count against the
 * customer's mobile number's caps, nothing leaves a cart, and the reseller's own open-hold limit is not touched
 * (customers have limits of their own: the purchase's customer part).
 */
export function customerBuyer(resellerId: string, book: PriceBook, phone: string): Buyer {
  return {
    accountId: resellerId,
    capKey: mobileCapKey(phone),
    holds: null,
    unitPriceMinor: (sku) => {
      if (sku.accountVipLevel === undefined) throw new Error('checkout: a customer line priced without her level')
      return memberUnitPrice(sku.basePriceMinor, sku.accountVipLevel, book.tiersFor(sku.sessionId))
    },
    clearsCart: false,
  }
}

// A share link's token names one link of one reseller for good (revocation is checked in the transaction).
const links = new LRUCache<string, { id: string; resellerId: string }>({ max: 10_000 })

/** Whose page the customer ordered on. A revoked link or a shop that does not exist takes no orders. */
async function orderSource(db: Db, source: OrderSource) {
  if (source.kind === 'share') {
    let link = links.get(source.token)
    if (!link) {
      const row = await findShareLinkForOrders(db, source.token)
      if (!row || row.revoked_at) throw new ShopUnavailableError('this page no longer takes orders')
      link = { id: row.id, resellerId: row.user_id }
      links.set(source.token, link)
    }
    return { resellerId: link.resellerId, from: { kind: 'share' as const, linkId: link.id } }
  }
  // Her shop at its current handle (a former handle still leads to her).
  let shop = await resolveShop(db, source.handle)
  if (shop.status === 'moved') shop = await resolveShop(db, shop.handle)
  if (shop.status !== 'ok') throw new ShopUnavailableError('this page no longer takes orders')
  return { resellerId: shop.userId, from: { kind: 'shop' as const } }
}

/**
 * Places a customer's order through the checkout pipeline, on the reseller's behalf. In the transaction that takes
 * the stock: the page's retail price must be ≥ the brand's floor (unless tag-cut) and ≥ her own price now (a refusal
 * tells her, and tells the customer only that the item is unavailable); open orders are limited per mobile number
 * and per client; caps count per mobile number; a repeated idempotency key gets its order back.
 */
export async function placeCustomerOrder(db: Db, input: PlaceCustomerOrderInput): Promise<PlacedCustomerOrder> {
  return customerOrderOf(await submitPurchase(db, await customerPurchase(db, input)))
}

/** The customer's order as the checkout pipeline's purchase (what the batch decides and writes for it). */
export async function customerPurchase(db: Db, input: PlaceCustomerOrderInput): Promise<Purchase> {
  const phone = normaliseMobile(input.customer.phone)
  if (!phone) throw new InvalidMobileError('enter a mobile number')
  if (!lockOrder(input.lines).length) throw new EmptyCheckoutError('the bag is empty')
  const [{ resellerId, from }, book] = await Promise.all([orderSource(db, input.source), loadPriceBook(db)])
  return {
    buyer: customerBuyer(resellerId, book, phone),
    lines: input.lines,
    shipTo: {
      recipient: input.customer.name,
      phone,
      region: input.customer.region,
      line: input.customer.line,
      kind: 'customer',
    },
    addressId: null,
    dropShip: true,
    now: input.now,
    expiresAt: paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs),
    customer: {
      source: from,
      phone,
      clientKey: input.clientKey,
      idempotencyKey: input.idempotencyKey,
      token: newOrderToken(),
      contact: {
        name: input.customer.name,
        email: input.customer.email || null,
        locale: input.customer.locale ?? 'zh-CN',
        region: input.customer.region,
        line: input.customer.line,
      },
      limits: PLATFORM_RULES.customerOrders,
    },
  }
}

/** What the customer is answered with when her purchase was placed. */
export function customerOrderOf(placed: Placed): PlacedCustomerOrder {
  const order = placed.customerOrder
  if (!order) throw new Error('checkout: no customer order for a customer purchase')
  return {
    customerOrderId: order.id,
    token: order.token,
    checkoutId: placed.checkoutId,
    retailTotalMinor: order.retailTotalMinor,
    currency: placed.currency,
    expiresAt: placed.expiresAt,
    created: order.created,
  }
}

/**
 * The customer's pay step (`/o/<token>/pay`), after her order has committed and never inside it: her order's one
 * payment, opened when she first gets here and taken up again on a reload or in a second tab (one payment per
 * order). An order that is paid, cancelled or past its deadline is not paid again: she goes to her order page.
 * Null for an unknown token.
 */
export async function startCustomerPayment(
  db: Db,
  input: { token: string; origin: string; now: Date },
  provider?: PaymentProvider,
): Promise<{ redirectUrl: string; paymentId: string | null } | null> {
  if (!ORDER_TOKEN.test(input.token)) return null
  const row = await customerOrderForPayment(db, input.token)
  if (!row) return null
  if (row.status !== 'pending_payment' || row.expires_at <= input.now)
    return { redirectUrl: `/o/${row.token}`, paymentId: null }
  try {
    return await resumeOrStartPayment(
      db,
      {
        purpose: 'customer_order',
        referenceId: row.checkout_id,
        amountMinor: row.retail_total_minor,
        currency: row.currency,
        description: `订单 ${row.checkout_id.slice(0, 8)}`,
        payerUserId: null,
        successPath: `/o/${row.token}?paid=1`,
        cancelPath: `/o/${row.token}`,
        origin: input.origin,
      },
      input.now,
      provider,
    )
  } catch (e) {
    // The order stands (its units held until the deadline); she can try again from her order page.
    console.warn('[customer-orders] could not start a payment', row.checkout_id, (e as Error).message)
    throw new PaymentUnavailableError('online payment could not be started, please try again')
  }
}

/** Where the order form sends a customer whose order was placed: her pay step. */
export const payStepPath = (token: string) => `/o/${token}/pay`

/** An order token as `newOrderToken` makes them (24 random bytes, base64url). */
const ORDER_TOKEN = /^[A-Za-z0-9_-]{32}$/

export const CUSTOMER_ORDER_LIMITS = PLATFORM_RULES.customerOrders
