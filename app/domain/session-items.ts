// Pure rules for session items: prices, allocation (ring-fencing) and sell-through.

export type PriceField = 'basePrice' | 'minRetailPrice'
export type PriceProblem =
  'required' | 'not_positive' | 'not_below_tag' | 'below_base' | 'above_tag' | 'not_allowed_tag_cut'

export interface ItemPriceInput {
  tagPriceMinor: number
  tagCut: boolean
  basePriceMinor: number
  minRetailPriceMinor: number | null
}

/**
 * Base wholesale price below the tag price; for items that are not tag-cut a minimum retail
 * price between the base and the tag price (inclusive). Tag-cut items carry no minimum retail price.
 */
export function itemPriceProblems(input: ItemPriceInput): Partial<Record<PriceField, PriceProblem>> {
  const problems: Partial<Record<PriceField, PriceProblem>> = {}
  if (!(input.basePriceMinor > 0)) problems.basePrice = 'not_positive'
  else if (input.basePriceMinor >= input.tagPriceMinor) problems.basePrice = 'not_below_tag'
  if (input.tagCut) {
    if (input.minRetailPriceMinor !== null) problems.minRetailPrice = 'not_allowed_tag_cut'
  } else if (input.minRetailPriceMinor === null) problems.minRetailPrice = 'required'
  else if (input.minRetailPriceMinor < input.basePriceMinor) problems.minRetailPrice = 'below_base'
  else if (input.minRetailPriceMinor > input.tagPriceMinor) problems.minRetailPrice = 'above_tag'
  return problems
}

/** Units of a SKU still free to allocate: stock on hand minus what live-or-future sessions hold. */
export function freeToAllocate(stockOnHand: number, heldElsewhere: number): number {
  return Math.max(0, stockOnHand - heldElsewhere)
}

/** Null when `requested` more units fit; otherwise how many do. */
export function allocationShortfall(input: {
  stockOnHand: number
  heldElsewhere: number
  requested: number
}): { free: number } | null {
  const free = freeToAllocate(input.stockOnHand, input.heldElsewhere)
  return input.requested <= free ? null : { free }
}

export interface SkuStockRow {
  allocated: number
  available: number
  released: number
}

/** Units sold: what was allocated and is neither still available nor released at the end. */
export function soldUnits(row: SkuStockRow): number {
  return Math.max(0, row.allocated - row.available - row.released)
}

/** Sell-through in basis points (sold ÷ allocated). */
export function sellThroughBps(rows: SkuStockRow[]): number {
  const allocated = rows.reduce((s, r) => s + r.allocated, 0)
  const sold = rows.reduce((s, r) => s + soldUnits(r), 0)
  return soldShareBps(sold, allocated)
}

/** Sold units as a share of allocated ones, in basis points; 0 when nothing was allocated. */
export function soldShareBps(sold: number, allocated: number): number {
  return allocated > 0 ? Math.round((sold * 10000) / allocated) : 0
}

/** Yuan as typed in a form ("129", "129.9", "129.90", "¥1,299") to fen; null when it is not a price. */
export function yuanToFen(text: string): number | null {
  const t = text
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/,/g, '')
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null
  const [whole, frac = ''] = t.split('.')
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2))
}

export function fenToYuan(fen: number): string {
  const yuan = Math.floor(fen / 100)
  const rest = fen % 100
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`
}

/** Units sold per hour since `startsAt` for `hours` buckets, from sale (+) and cancelled-sale (−) movements. */
export function unitsPerHour(
  movements: { kind: string; quantity: number; createdAt: Date }[],
  startsAt: Date,
  hours = 48,
): number[] {
  const buckets = new Array<number>(hours).fill(0)
  for (const m of movements) {
    const i = Math.floor((m.createdAt.getTime() - startsAt.getTime()) / 3_600_000)
    if (i < 0 || i >= hours) continue
    // Sales are recorded as negative stock quantities and cancelled sales as positive ones;
    // the magnitude is used so a writer that got the sign wrong cannot invert the chart.
    if (m.kind === 'sale') buckets[i] += Math.abs(m.quantity)
    else if (m.kind === 'sale_cancelled') buckets[i] -= Math.abs(m.quantity)
  }
  return buckets
}
