// A reseller's customer orders from her share page or shop: no account, the reseller's retail price, paid to the
// platform. Stock, caps and the 15-minute hold are the checkout pipeline's (placePurchases, with a customer Buyer
// whose caps count per mobile number); this module adds only what a customer order is on top of it, on the same
// transaction: the price re-check, abuse limits, idempotency and the customer's private order token.
import { randomBytes } from 'node:crypto'
import type { Db } from '#db/client'
import {
  checkoutOrderLines,
  countOpenHolds,
  findCustomerOrderByIdempotencyKey,
  findResellerForOrders,
  findShareLinkForOrders,
  lockCustomerKeys,
  recordPriceAlerts,
  shareLinkOffer,
  shopOffer,
} from '#db/queries/customer-orders'
import {
  checkHoldLimits,
  customerPriceRefusal,
  InvalidMobileError,
  ItemUnavailableError,
  normaliseMobile,
  type PriceAlertReason,
  ShopUnavailableError,
} from '#app/domain/customer-orders'
import { EmptyCheckoutError, paymentDeadline, UnknownItemError, type RequestedLine } from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { memberUnitPrice, type VipTier } from '#app/domain/pricing'
import { mobileCapKey } from '#db/queries/checkout'
import { placePurchases, type Buyer } from '#app/services/checkout/pipeline.server'
import { runOn } from '#app/services/checkout/transaction.server'
import { startPayment } from '#app/services/payments/index.server'
import type { PaymentProvider } from '#app/services/payments/provider.server'
import { resolveShop } from '#app/services/reseller/shop.server'
import { loadVipTiers } from '#app/services/membership/pricing.server'

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

export const newOrderToken = () => randomBytes(24).toString('base64url')

/**
 * A reseller's customer as the checkout pipeline's buyer: the checkout and its orders are the reseller's (the
 * brand's goods value is her own price), the units count against the customer's mobile number's caps, nothing
 * leaves a cart, and the reseller's own open-hold limit is not touched (customers have limits of their own,
 * checked by placeCustomerOrder under the number's and the client's locks).
 */
export function customerBuyer(
  reseller: { id: string; vipLevel: number },
  tiers: readonly VipTier[],
  phone: string,
): Buyer {
  return {
    accountId: reseller.id,
    capKey: mobileCapKey(phone),
    holds: null,
    unitPriceMinor: (sku) => memberUnitPrice(sku.basePriceMinor, reseller.vipLevel, tiers),
    clearsCart: false,
  }
}

interface PricedLine extends RequestedLine {
  sessionItemId: string
  retailPriceMinor: number
}

/** The retail price of each line from where the customer ordered, refusing anything the source does not offer. */
async function priceFromSource(db: Db, source: OrderSource, lines: RequestedLine[]) {
  const skuIds = lines.map((l) => l.sessionItemSkuId)
  let from: { resellerId: string; shareLinkId: string | null; offer: Awaited<ReturnType<typeof shopOffer>> }
  if (source.kind === 'share') {
    const [link, offer] = await Promise.all([
      findShareLinkForOrders(db, source.token),
      shareLinkOffer(db, source.token, skuIds),
    ])
    if (!link || link.revoked_at) throw new ShopUnavailableError('this page no longer takes orders')
    from = { resellerId: link.user_id, shareLinkId: link.id, offer }
  } else {
    // Her shop at its current handle (a former handle still leads to her).
    let shop = await resolveShop(db, source.handle)
    if (shop.status === 'moved') shop = await resolveShop(db, shop.handle)
    if (shop.status !== 'ok') throw new ShopUnavailableError('this page no longer takes orders')
    from = { resellerId: shop.userId, shareLinkId: null, offer: await shopOffer(db, shop.userId, skuIds) }
  }
  const bySku = new Map(from.offer.map((o) => [o.session_item_sku_id, o]))
  const priced: (PricedLine & { o: (typeof from.offer)[number] })[] = lines.map((l) => {
    const o = bySku.get(l.sessionItemSkuId)
    if (!o) throw new UnknownItemError('this item is not offered here', { sessionItemSkuId: l.sessionItemSkuId })
    return { ...l, sessionItemId: o.session_item_id, retailPriceMinor: o.retail_price_minor, o }
  })
  return { resellerId: from.resellerId, shareLinkId: from.shareLinkId, lines: priced }
}

function existing(
  row: NonNullable<Awaited<ReturnType<typeof findCustomerOrderByIdempotencyKey>>>,
  expiresAt: Date,
): PlacedCustomerOrder {
  return {
    customerOrderId: row.id,
    token: row.token,
    checkoutId: row.checkout_id,
    retailTotalMinor: row.retail_total_minor,
    currency: row.currency,
    expiresAt,
    created: false,
  }
}

async function replay(db: Db, key: string) {
  const row = await findCustomerOrderByIdempotencyKey(db, key)
  if (!row) return null
  const c = await db
    .selectFrom('checkouts')
    .select('expires_at')
    .where('id', '=', row.checkout_id)
    .executeTakeFirstOrThrow()
  return existing(row, c.expires_at)
}

/**
 * Places a customer's order: prices re-checked against the brand's floor and the reseller's own current price
 * (a refusal tells the reseller, and tells the customer only that the item is unavailable), open holds limited
 * per mobile number and per client, then the checkout on the reseller's behalf, with caps per mobile number.
 */
export async function placeCustomerOrder(db: Db, input: PlaceCustomerOrderInput): Promise<PlacedCustomerOrder> {
  const phone = normaliseMobile(input.customer.phone)
  if (!phone) throw new InvalidMobileError('enter a mobile number')
  if (!input.lines.length) throw new EmptyCheckoutError('the bag is empty')
  const again = await replay(db, input.idempotencyKey)
  if (again) return again

  const { resellerId, shareLinkId, lines } = await priceFromSource(db, input.source, input.lines)
  const [reseller, tiers] = await Promise.all([findResellerForOrders(db, resellerId), loadVipTiers(db)])
  if (!reseller || reseller.role !== 'member') throw new ShopUnavailableError('this page no longer takes orders')

  const alerts: { sessionItemId: string; reason: PriceAlertReason; retailPriceMinor: number }[] = []
  for (const l of lines) {
    const reason = customerPriceRefusal({
      sessionItemId: l.sessionItemId,
      retailPriceMinor: l.retailPriceMinor,
      ownPriceMinor: memberUnitPrice(l.o.base_price_minor, reseller.vip_level, tiers),
      minRetailPriceMinor: l.o.min_retail_price_minor,
      tagCut: l.o.tag_cut,
    })
    if (reason && !alerts.some((a) => a.sessionItemId === l.sessionItemId))
      alerts.push({ sessionItemId: l.sessionItemId, reason, retailPriceMinor: l.retailPriceMinor })
  }
  if (alerts.length) {
    await recordPriceAlerts(db, resellerId, alerts, input.now)
    throw new ItemUnavailableError('this item is unavailable here at the moment', {
      sessionItemIds: alerts.map((a) => a.sessionItemId),
    })
  }

  const retailBySku = new Map(lines.map((l) => [l.sessionItemSkuId, l]))
  const shipTo = {
    recipient: input.customer.name,
    phone,
    region: input.customer.region,
    line: input.customer.line,
    kind: 'customer' as const,
  }
  try {
    return await db.transaction().execute(async (trx) => {
      await lockCustomerKeys(trx, [`phone:${phone}`, `client:${input.clientKey}`])
      checkHoldLimits(await countOpenHolds(trx, phone, input.clientKey, input.now))
      const [placed] = await placePurchases(runOn(trx), [
        {
          buyer: customerBuyer({ id: resellerId, vipLevel: reseller.vip_level }, tiers, phone),
          lines: input.lines,
          shipTo,
          addressId: null,
          dropShip: true,
          now: input.now,
          expiresAt: paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs),
        },
      ])
      if (placed instanceof Error) throw placed
      if (!placed) throw new Error('checkout: no answer for the customer purchase')
      const placedLines = await checkoutOrderLines(trx, placed.checkoutId)
      // Her own price as the checkout computed it, in this transaction: the retail price may not be below it.
      const refused = placedLines.find(
        (l) => l.unit_price_minor > retailBySku.get(l.session_item_sku_id)!.retailPriceMinor,
      )
      if (refused)
        throw new ItemUnavailableError('this item is unavailable here at the moment', {
          sessionItemIds: [retailBySku.get(refused.session_item_sku_id)!.sessionItemId],
        })
      const retailTotalMinor = placedLines.reduce(
        (s, l) => s + retailBySku.get(l.session_item_sku_id)!.retailPriceMinor * l.quantity,
        0,
      )
      const token = newOrderToken()
      const co = await trx
        .insertInto('customer_orders')
        .values({
          checkout_id: placed.checkoutId,
          reseller_id: resellerId,
          token,
          name: input.customer.name,
          phone,
          email: input.customer.email || null,
          locale: input.customer.locale ?? 'zh-CN',
          region: input.customer.region,
          line: input.customer.line,
          share_link_id: shareLinkId,
          source: input.source.kind,
          client_key: input.clientKey,
          idempotency_key: input.idempotencyKey,
          retail_total_minor: retailTotalMinor,
          currency: placed.currency,
          created_at: input.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('customer_order_lines')
        .values(
          placedLines.map((l) => ({
            order_line_id: l.id,
            customer_order_id: co.id,
            retail_unit_minor: retailBySku.get(l.session_item_sku_id)!.retailPriceMinor,
            own_unit_minor: l.unit_price_minor,
          })),
        )
        .execute()
      return {
        customerOrderId: co.id,
        token,
        checkoutId: placed.checkoutId,
        retailTotalMinor,
        currency: placed.currency,
        expiresAt: placed.expiresAt,
        created: true,
      }
    })
  } catch (e) {
    // Two requests with one idempotency key: the second finds the first's order.
    if ((e as { code?: string }).code === '23505') {
      const won = await replay(db, input.idempotencyKey)
      if (won) return won
    }
    throw e
  }
}

/** Starts (or restarts) the customer's payment of an unpaid order: after the order has committed, never inside it. */
export async function startCustomerPayment(
  db: Db,
  input: { token: string; origin: string; now: Date },
  provider?: PaymentProvider,
) {
  const row = await db
    .selectFrom('customer_orders as co')
    .innerJoin('checkouts as c', 'c.id', 'co.checkout_id')
    .select(['co.token', 'co.retail_total_minor', 'co.currency', 'c.id as checkout_id', 'c.status', 'c.expires_at'])
    .where('co.token', '=', input.token)
    .executeTakeFirst()
  if (!row) return null
  if (row.status !== 'pending_payment' || row.expires_at <= input.now) return { redirectUrl: `/o/${row.token}` }
  return startPayment(
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
}

export const CUSTOMER_ORDER_LIMITS = PLATFORM_RULES.customerOrders
