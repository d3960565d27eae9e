// Money is an integer count of minor units plus an ISO currency; nothing here uses floats for amounts.
export type Currency = 'CNY' | 'USD' | 'HKD' | 'JPY'
export interface Money {
  amountMinor: number
  currency: Currency
}

const MINOR_DIGITS: Record<Currency, number> = { CNY: 2, USD: 2, HKD: 2, JPY: 0 }

export function money(amountMinor: number, currency: Currency = 'CNY'): Money {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount must be an integer, got ${amountMinor}`)
  return { amountMinor, currency }
}

function sameCurrency(a: Money, b: Money): Currency {
  if (a.currency !== b.currency) throw new Error(`currency mismatch: ${a.currency} vs ${b.currency}`)
  return a.currency
}

export function add(a: Money, b: Money): Money {
  return money(a.amountMinor + b.amountMinor, sameCurrency(a, b))
}

export function multiply(a: Money, quantity: number): Money {
  if (!Number.isInteger(quantity)) throw new RangeError('quantity must be an integer')
  return money(a.amountMinor * quantity, a.currency)
}

/**
 * Takes `bps` basis points off, rounding the discounted price half up to the minor unit.
 * Integer arithmetic only: (amount × (10000 − bps) + 5000) ÷ 10000.
 */
export function percentOff(a: Money, bps: number): Money {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10000) throw new RangeError('bps must be 0..10000')
  return money(Math.floor((a.amountMinor * (10000 - bps) + 5000) / 10000), a.currency)
}

/** The share `bps` of an amount, rounded half up (commission and the like). */
export function shareOf(a: Money, bps: number): Money {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10000) throw new RangeError('bps must be 0..10000')
  return money(Math.floor((a.amountMinor * bps + 5000) / 10000), a.currency)
}

/** Splits an amount by weights so the parts add up exactly (largest remainder). */
export function allocate(a: Money, weights: number[]): Money[] {
  const total = weights.reduce((s, w) => s + w, 0)
  if (total <= 0) throw new RangeError('weights must add up to more than zero')
  const raw = weights.map((w) => (a.amountMinor * w) / total)
  const parts = raw.map(Math.floor)
  let rest = a.amountMinor - parts.reduce((s, p) => s + p, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((x, y) => y[0] - x[0])
  for (const [, i] of order) {
    if (rest <= 0) break
    parts[i] += 1
    rest -= 1
  }
  return parts.map((p) => money(p, a.currency))
}

// Building an Intl.NumberFormat costs ~75 µs; a page of 60 cards formats 120 prices, so formatters are reused.
const formatters = new Map<string, Intl.NumberFormat>()

/** The narrow symbols Intl writes for our currencies in both of our languages. */
const SYMBOLS: Record<Currency, string> = { CNY: '¥', USD: '$', HKD: '$', JPY: '¥' }
/** Languages that write money as `-¥1,234.50`: Intl's output for them, produced without Intl. */
const PLAIN_LOCALES = new Set(['zh-CN', 'en'])

export function formatMoney(a: Money, locale: string): string {
  const digits = MINOR_DIGITS[a.currency]
  // A phone's browser builds its first Intl.NumberFormat of a page in ~50 ms (its locale data loads then), inside
  // hydration; our two languages format money the same simple way, so it is written out here.
  if (PLAIN_LOCALES.has(locale) && digits !== undefined) {
    const abs = Math.abs(a.amountMinor)
    const unit = 10 ** digits
    const whole = String(Math.floor(abs / unit)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    const fraction = digits ? '.' + String(abs % unit).padStart(digits, '0') : ''
    return `${a.amountMinor < 0 ? '-' : ''}${SYMBOLS[a.currency]}${whole}${fraction}`
  }
  // Always two decimals and a plain ¥ in both languages, so prices line up on every page.
  const key = `${locale}|${a.currency}`
  let format = formatters.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: a.currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    // Locales come from a short list, but never let an odd input grow the cache without bound.
    if (formatters.size < 64) formatters.set(key, format)
  }
  return format.format(a.amountMinor / 10 ** digits)
}

/** Whole-percent discount of a price against a tag price, e.g. 1.8折 = 82% off. */
export function discountBps(price: Money, tagPrice: Money): number {
  sameCurrency(price, tagPrice)
  if (tagPrice.amountMinor <= 0) return 0
  return Math.max(0, Math.round(((tagPrice.amountMinor - price.amountMinor) * 10000) / tagPrice.amountMinor))
}
