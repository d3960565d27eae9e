import { wholesalePriceFor, type Viewer, type VipTier } from './pricing'

// Search rules that are not the engine's business: which price and discount buckets the page offers,
// and how a price bucket (in the viewer's own price) becomes a range on the indexed base price.

export interface Bucket {
  /** URL value, e.g. "100-200" (yuan) or "1000-" (open). */
  key: string
  from?: number
  to?: number
}

/** Price buckets in the viewer's own price, minor units (fen). */
export const PRICE_BUCKETS: readonly Bucket[] = [
  { key: '0-100', from: 0, to: 10_000 },
  { key: '100-200', from: 10_000, to: 20_000 },
  { key: '200-500', from: 20_000, to: 50_000 },
  { key: '500-1000', from: 50_000, to: 100_000 },
  { key: '1000-', from: 100_000 },
]

/** Discount vs tag price buckets, basis points off (keys in percent). */
export const DISCOUNT_BUCKETS: readonly Bucket[] = [
  { key: '0-30', from: 0, to: 3_000 },
  { key: '30-50', from: 3_000, to: 5_000 },
  { key: '50-70', from: 5_000, to: 7_000 },
  { key: '70-', from: 7_000 },
]

/**
 * The smallest base price whose price for this viewer is at least `target`, using the one pricing
 * rule (wholesalePriceFor), which is non-decreasing in the base price. Null when no base reaches it.
 */
export function smallestBaseReaching(target: number, viewer: Viewer, tiers: readonly VipTier[]): number | null {
  const price = (base: number) => wholesalePriceFor(base, viewer, tiers) ?? 0
  if (target <= 0) return 0
  let lo = 0
  let hi = Math.max(1, target)
  while (price(hi) < target) {
    hi *= 2
    if (hi > 1e12) return null
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (price(mid) >= target) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * A range on the viewer's price → the range on the base price holding exactly the items whose
 * viewer price falls in it. Signed-out viewers have no price: null.
 */
export function baseRangeForViewerPrice(
  range: { from?: number; to?: number },
  viewer: Viewer | null,
  tiers: readonly VipTier[],
): { from?: number; to?: number } | null {
  if (!viewer) return null
  const from = range.from === undefined ? undefined : smallestBaseReaching(range.from, viewer, tiers)
  const to = range.to === undefined ? undefined : smallestBaseReaching(range.to, viewer, tiers)
  return {
    from: from ?? Number.MAX_SAFE_INTEGER,
    ...(range.to === undefined ? {} : { to: to ?? Number.MAX_SAFE_INTEGER }),
  }
}

/** Pages beyond this are refused: deep pages are for crawlers, and the engines cap total hits. */
export const SEARCH_MAX_PAGE = 100
export const SEARCH_PAGE_SIZE = 24
