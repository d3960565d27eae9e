// Retail prices a reseller sets for their own customers (see "Forwarding" in README.md here). Pure: no I/O.
// All amounts are integer minor units (fen). The member's own price comes from pricing.ts; it is an input here.
import { DomainError } from './errors'

/**
 * Rounding of a marked-up price, always UP so a floor that the raw price met is still met:
 * - `none`:     to the fen (no change).
 * - `yuan`:     up to a whole yuan (¥123.01 → ¥124).
 * - `nine`:     up to the nearest whole-yuan amount whose last digit is 9
 *               (¥121.50 → ¥129, ¥129 → ¥129, ¥129.01 → ¥139).
 * - `dot_nine`: up to the nearest amount ending in .9 jiao (¥121.50 → ¥121.90, ¥121.95 → ¥122.90).
 */
export const ROUNDINGS = ['none', 'yuan', 'nine', 'dot_nine'] as const
export type Rounding = (typeof ROUNDINGS)[number]

export const MARKUP_KINDS = ['percent', 'fixed'] as const
export type MarkupKind = (typeof MARKUP_KINDS)[number]

/** percent: `value` in basis points (3000 = 30%); fixed: `value` in fen added to the member's own price. */
export interface MarkupRule {
  kind: MarkupKind
  value: number
  rounding: Rounding
}

/** Limits of a markup rule (one place): up to +1000% or +¥100,000. */
export const MARKUP_LIMITS = { maxPercentBps: 100_000, maxFixedMinor: 10_000_000 } as const

export function roundUp(amountMinor: number, rounding: Rounding): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0)
    throw new RangeError(`amount must be a non-negative integer, got ${amountMinor}`)
  switch (rounding) {
    case 'none':
      return amountMinor
    case 'yuan':
      return Math.ceil(amountMinor / 100) * 100
    case 'nine': {
      const yuan = Math.ceil(amountMinor / 100)
      return (yuan + ((9 - (yuan % 10) + 10) % 10)) * 100
    }
    case 'dot_nine': {
      const rest = amountMinor % 100
      return rest <= 90 ? amountMinor - rest + 90 : amountMinor - rest + 190
    }
  }
}

export class InvalidMarkupError extends DomainError {
  readonly code = 'invalid_markup'
}

export function validateMarkup(rule: MarkupRule): MarkupRule {
  const max = rule.kind === 'percent' ? MARKUP_LIMITS.maxPercentBps : MARKUP_LIMITS.maxFixedMinor
  if (!Number.isInteger(rule.value) || rule.value < 0 || rule.value > max) {
    throw new InvalidMarkupError(`markup must be between 0 and ${max}`, { kind: rule.kind, max })
  }
  if (!ROUNDINGS.includes(rule.rounding)) throw new InvalidMarkupError('unknown rounding')
  return rule
}

/**
 * The retail price a markup rule gives over the member's own price: the markup rounds up to the fen, then
 * `rounding`.
 */
export function applyMarkup(ownPriceMinor: number, rule: MarkupRule): number {
  validateMarkup(rule)
  const raw =
    rule.kind === 'percent'
      ? ownPriceMinor + Math.ceil((ownPriceMinor * rule.value) / 10_000)
      : ownPriceMinor + rule.value
  return roundUp(raw, rule.rounding)
}

export interface PricedItem {
  itemId: string
  title: string
  ownPriceMinor: number
  /** The brand's minimum retail price; ignored for tag-cut items. */
  minRetailPriceMinor: number | null
  tagCut: boolean
}

export type FloorKind = 'own_price' | 'min_retail'

export interface PriceViolation {
  itemId: string
  title: string
  priceMinor: number
  floor: FloorKind
  floorMinor: number
}

/** The lowest retail price allowed for an item, and which rule sets it. */
export function retailFloor(item: PricedItem): { floor: FloorKind; floorMinor: number } {
  const min = !item.tagCut && item.minRetailPriceMinor != null ? item.minRetailPriceMinor : 0
  return min > item.ownPriceMinor
    ? { floor: 'min_retail', floorMinor: min }
    : { floor: 'own_price', floorMinor: item.ownPriceMinor }
}

/** Null when the price is allowed; otherwise which floor it breaks (the higher one). */
export function checkRetailPrice(item: PricedItem, priceMinor: number): PriceViolation | null {
  if (!Number.isSafeInteger(priceMinor) || priceMinor <= 0) {
    return { itemId: item.itemId, title: item.title, priceMinor, floor: 'own_price', floorMinor: item.ownPriceMinor }
  }
  const { floor, floorMinor } = retailFloor(item)
  return priceMinor < floorMinor ? { itemId: item.itemId, title: item.title, priceMinor, floor, floorMinor } : null
}

export interface PreviewLine {
  itemId: string
  title: string
  ownPriceMinor: number
  retailPriceMinor: number
  /** The markup fell below the floor and the price was raised to the floor, rounded up by the rule. */
  raised: boolean
  violation: PriceViolation | null
}

/**
 * What a set of items would be priced at: an explicit per-item price wins, else the markup rule
 * (else the own price); with the violation (if any) of each line. With `raiseToFloor`, a marked-up
 * price under the floor becomes the floor rounded UP by the rule's rounding, so it still meets the floor.
 * Explicit prices are never changed: a typed price under the floor is a violation.
 */
export function previewRetailPrices(
  items: readonly PricedItem[],
  explicit: ReadonlyMap<string, number>,
  rule: MarkupRule | null,
  opts: { raiseToFloor?: boolean } = {},
): PreviewLine[] {
  return items.map((item) => {
    const chosen = explicit.get(item.itemId)
    let retailPriceMinor = chosen ?? (rule ? applyMarkup(item.ownPriceMinor, rule) : item.ownPriceMinor)
    let raised = false
    if (chosen == null && opts.raiseToFloor) {
      const { floorMinor } = retailFloor(item)
      if (retailPriceMinor < floorMinor) {
        retailPriceMinor = roundUp(floorMinor, rule?.rounding ?? 'none')
        raised = true
      }
    }
    return {
      itemId: item.itemId,
      title: item.title,
      ownPriceMinor: item.ownPriceMinor,
      retailPriceMinor,
      raised,
      violation: checkRetailPrice(item, retailPriceMinor),
    }
  })
}

/**
 * The retail price a markup rule suggests for an item, never under a floor: when the marked-up price
 * breaks one, it is raised to the floor rounded up by the rule's rounding, and `raised` says so.
 * Without a rule the suggestion is the floor itself.
 */
export function suggestRetailPrice(item: PricedItem, rule: MarkupRule | null): { priceMinor: number; raised: boolean } {
  const marked = rule ? applyMarkup(item.ownPriceMinor, rule) : item.ownPriceMinor
  const { floorMinor } = retailFloor(item)
  if (marked >= floorMinor) return { priceMinor: marked, raised: false }
  return { priceMinor: roundUp(floorMinor, rule?.rounding ?? 'none'), raised: true }
}

/**
 * What the forwarding form shows before she types anything: her saved price while it still meets the floors,
 * otherwise the suggestion of her default markup (raised to the floor). Null when there is neither.
 */
export function prefillRetailPrice(
  item: PricedItem,
  savedMinor: number | null,
  rule: MarkupRule | null,
): { priceMinor: number; raised: boolean } | null {
  if (savedMinor != null && !checkRetailPrice(item, savedMinor)) return { priceMinor: savedMinor, raised: false }
  if (savedMinor == null && !rule) return null
  return suggestRetailPrice(item, rule)
}

/**
 * A price customers already see (a share link, her shop), judged against the floors in force now: the brand's
 * minimum may have been raised before the start, the VIP table edited, or her level dropped. A broken price is
 * not sold at; `repricedMinor` is what the one-step fix sets it to (her markup again, raised to the floor).
 */
export function judgeOffer(
  item: PricedItem,
  priceMinor: number,
  rule: MarkupRule | null,
): { violation: PriceViolation | null; repricedMinor: number | null } {
  const violation = checkRetailPrice(item, priceMinor)
  return { violation, repricedMinor: violation ? suggestRetailPrice(item, rule).priceMinor : null }
}

export class RetailPriceViolationError extends DomainError {
  readonly code = 'retail_price_below_floor'
  constructor(readonly violations: PriceViolation[]) {
    super(`retail price below the floor for ${violations.map((v) => v.title).join(', ')}`, { violations })
  }
}

/** Throws when any line breaks a floor. */
export function assertRetailPrices(lines: readonly PreviewLine[]): void {
  const violations = lines.flatMap((l) => (l.violation ? [l.violation] : []))
  if (violations.length) throw new RetailPriceViolationError(violations)
}

const LETTER_SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL']
const ONE_SIZE = ['均码', '均碼', 'F', 'FREE', 'FREE SIZE', 'ONE SIZE', 'OS']

/** Letter sizes in wearing order, then numeric sizes by value, then anything else by name, one-size last. */
export function compareSizes(a: string, b: string): number {
  const rank = (s: string) => {
    const upper = s.trim().toUpperCase()
    const i = LETTER_SIZES.indexOf(upper)
    if (i >= 0) return [0, i] as const
    if (ONE_SIZE.includes(upper)) return [3, 0] as const
    return /^\d+(\.\d+)?$/.test(s) ? ([1, Number(s)] as const) : ([2, 0] as const)
  }
  const [ga, va] = rank(a)
  const [gb, vb] = rank(b)
  return ga - gb || va - vb || a.localeCompare(b)
}

/** Sizes that still have stock, in size order, without counts. */
export function sizesLeft(skus: readonly { size: string; available: number }[]): string[] {
  const seen: string[] = []
  for (const s of skus) if (s.available > 0 && !seen.includes(s.size)) seen.push(s.size)
  return seen.sort(compareSizes)
}

/** Parses a yuan amount typed by a person ("129", "129.9", "¥129.90") into fen; null when it is not a price. */
export function parseYuan(text: string): number | null {
  const m = /^\s*[¥￥]?\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}
