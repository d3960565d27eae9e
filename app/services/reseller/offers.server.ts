// Offers: a reseller's retail price for an item as customers see it (on her shop or a share link), judged
// against the floors in force now. Floors move: the brand may raise its minimum retail or base price before the
// start, the operator may edit the VIP table, her level may drop at the end of a month. A price is therefore never
// trusted because it was valid when set: every page that shows it, and every order that takes it, judges it again
// here, and a broken one is not sold at. Her own price (the floor) and the brand's minimum never leave the server.
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { findResellerProfile } from '#db/queries/reseller'
import {
  findResellerMember,
  listPricingInputs,
  listLiveSharePrices,
  listShelfItems,
  setSharePrice,
} from '#db/queries/reseller-shop'
import { upsertResellerPrices } from '#db/queries/reseller'
import { wholesalePriceFor } from '#app/domain/pricing'
import { judgeOffer, type MarkupRule, type PricedItem, type PriceViolation } from '#app/domain/retail-pricing'
import { loadPriceBook, type PriceBook } from '../membership/pricing.server'

/** What pricing needs of a reseller: her own price for any base price, and the markup she uses by default. */
export interface ResellerPricer {
  userId: string
  /** Her own price for a base price (of a session: a live one is priced with the discounts it went live with). */
  ownPrice(basePriceMinor: number, sessionId?: string | null): number
  rule: MarkupRule | null
}

/** Null when the user is unknown or not a member (only members sell). */
export async function resellerPricer(db: Db, userId: string): Promise<ResellerPricer | null> {
  const [member, profile, book] = await Promise.all([
    findResellerMember(db, userId),
    findResellerProfile(db, userId),
    loadPriceBook(db),
  ])
  if (!member || member.role !== 'member') return null
  return pricerFor(member, profile ?? null, book)
}

export function pricerFor(
  member: { id: string; role: 'member' | string; vip_level: number },
  profile: {
    markup_kind: 'percent' | 'fixed' | null
    markup_value: number | null
    markup_rounding: MarkupRule['rounding']
  } | null,
  book: PriceBook,
): ResellerPricer {
  const viewer = { role: 'member' as const, vipLevel: member.vip_level }
  return {
    userId: member.id,
    ownPrice: (base, sessionId) => wholesalePriceFor(base, viewer, book.tiersFor(sessionId))!,
    rule:
      profile?.markup_kind && profile.markup_value != null
        ? { kind: profile.markup_kind, value: profile.markup_value, rounding: profile.markup_rounding }
        : null,
  }
}

export interface PricingInput {
  id: string
  session_id?: string
  title: string
  base_price_minor: number
  min_retail_price_minor: number | null
  tag_cut: boolean
}

export function pricedItem(pricer: ResellerPricer, row: PricingInput): PricedItem {
  return {
    itemId: row.id,
    title: row.title,
    tagCut: row.tag_cut,
    minRetailPriceMinor: row.min_retail_price_minor,
    ownPriceMinor: pricer.ownPrice(row.base_price_minor, row.session_id),
  }
}

export interface Offer {
  itemId: string
  priceMinor: number
  currency: string
  /** False when the price breaks a floor now: the item is shown as unavailable and cannot be ordered at it. */
  buyable: boolean
}

/**
 * The reseller's offers for some items at order time: her shop price (or, with `shareLinkId`, that link's
 * price), judged now. Items she does not offer there are left out. This is the check customer ordering
 * runs before taking stock: an item with `buyable: false` must be refused.
 */
export async function resellerOffers(
  db: Db,
  input: { resellerId: string; itemIds: string[]; shareLinkId?: string },
  now: Date,
): Promise<Map<string, Offer>> {
  const pricer = await resellerPricer(db, input.resellerId)
  const out = new Map<string, Offer>()
  if (!pricer || !input.itemIds.length) return out
  const wanted = new Set(input.itemIds)
  const prices = new Map<string, number>()
  if (input.shareLinkId) {
    for (const row of await listLiveSharePrices(db, input.resellerId, now)) {
      if (row.share_link_id === input.shareLinkId && wanted.has(row.session_item_id))
        prices.set(row.session_item_id, row.retail_price_minor)
    }
  } else {
    for (const row of await listShelfItems(db, input.resellerId, now)) {
      if (wanted.has(row.item_id) && row.retail_price_minor != null) prices.set(row.item_id, row.retail_price_minor)
    }
  }
  const inputs = await listPricingInputs(db, { itemIds: [...prices.keys()] })
  for (const row of inputs) {
    const price = prices.get(row.id)!
    out.set(row.id, {
      itemId: row.id,
      priceMinor: price,
      currency: row.currency,
      buyable: judgeOffer(pricedItem(pricer, row), price, null).violation == null,
    })
  }
  return out
}

// ---------------------------------------------------------------- what she must fix

export interface PriceIssue {
  itemId: string
  title: string
  titleEn: string
  currency: string
  priceMinor: number
  violation: PriceViolation
  /** What the one-step fix sets the price to: her default markup again, never under the floor. */
  repricedMinor: number
  /** Where customers see this price: her shop and/or share links (ids). */
  inShop: boolean
  shareLinkIds: string[]
}

/**
 * Every price of hers that customers still see and that breaks a floor now, one row per item and price.
 * Shown to her (the floor and her own price are hers to see) with a one-step re-price.
 */
export async function priceIssues(db: Db, userId: string, now: Date): Promise<PriceIssue[]> {
  const pricer = await resellerPricer(db, userId)
  if (!pricer) return []
  const [shelf, shares] = await Promise.all([listShelfItems(db, userId, now), listLiveSharePrices(db, userId, now)])
  // item → price → where it is shown
  const shown = new Map<string, Map<number, { inShop: boolean; links: string[] }>>()
  const at = (itemId: string, price: number) => {
    const byPrice = shown.get(itemId) ?? new Map()
    shown.set(itemId, byPrice)
    const entry = byPrice.get(price) ?? { inShop: false, links: [] }
    byPrice.set(price, entry)
    return entry
  }
  for (const s of shelf) if (s.retail_price_minor != null) at(s.item_id, s.retail_price_minor).inShop = true
  for (const l of shares) at(l.session_item_id, l.retail_price_minor).links.push(l.share_link_id)
  const inputs = await listPricingInputs(db, { itemIds: [...shown.keys()] })
  const issues: PriceIssue[] = []
  for (const row of inputs) {
    const item = pricedItem(pricer, row)
    for (const [price, where] of shown.get(row.id)!) {
      const { violation, repricedMinor } = judgeOffer(item, price, pricer.rule)
      if (!violation) continue
      issues.push({
        itemId: row.id,
        title: row.title,
        titleEn: row.title_en,
        currency: row.currency,
        priceMinor: price,
        violation,
        repricedMinor: repricedMinor!,
        inShop: where.inShop,
        shareLinkIds: [...new Set(where.links)],
      })
    }
  }
  return issues.sort((a, b) => a.title.localeCompare(b.title) || a.priceMinor - b.priceMinor)
}

/** The one-step fix: every broken price (shop and share links) becomes its re-price. Returns how many items changed. */
export async function repriceIssues(db: Db, userId: string, now: Date): Promise<number> {
  const issues = await priceIssues(db, userId, now)
  if (!issues.length) return 0
  await db.transaction().execute(async (trx) => {
    for (const issue of issues) await applyReprice(trx, userId, issue, now)
  })
  return new Set(issues.map((i) => i.itemId)).size
}

async function applyReprice(trx: Conn, userId: string, issue: PriceIssue, now: Date) {
  if (issue.inShop)
    await upsertResellerPrices(
      trx,
      userId,
      [{ itemId: issue.itemId, priceMinor: issue.repricedMinor, currency: issue.currency }],
      now,
    )
  await setSharePrice(trx, userId, issue.itemId, issue.repricedMinor, issue.shareLinkIds)
}
