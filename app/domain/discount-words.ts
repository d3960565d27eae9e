// Discounts worded as shoppers read them. In Chinese a price is said in 折, tenths of the reference price:
// paying 70 % of the tag price is 7折, paying 97 % of the base price is 9.7折, so 3折 is a deeper cut than 5折.
// English says what comes off (30 % off). Both words come from one ratio, rounded towards the smaller discount:
// a card never promises more than the goods give.

/** What a buyer pays per 10,000 of the reference price (10,000 = full price). */
export type RatioBps = number

/** The ratio a price is of its reference price, rounded up to a whole basis point. */
export function ratioOf(priceMinor: number, referenceMinor: number): RatioBps | null {
  if (!(referenceMinor > 0) || priceMinor < 0) return null
  return Math.min(10_000, Math.ceil((priceMinor * 10_000) / referenceMinor))
}

/** A ratio after a further discount (a member level's discount on the base price), rounded up. */
export function afterDiscount(ratio: RatioBps, discountBps: number): RatioBps {
  const keep = 10_000 - Math.min(10_000, Math.max(0, discountBps))
  return Math.ceil((ratio * keep) / 10_000)
}

/**
 * The 折 figure: tenths of the reference price to one decimal, rounded up, without a trailing ".0"
 * ("3", "9.7", "8.8"). Null when nothing comes off.
 */
export function zhe(ratio: RatioBps): string | null {
  const tenths = Math.ceil(ratio / 100)
  if (tenths >= 100) return null
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)
}

/** The same discount as whole percent off (9.7折 → 3, 2.9折 → 71). Null when nothing comes off. */
export function percentOff(ratio: RatioBps): number | null {
  const tenths = Math.ceil(ratio / 100)
  return tenths >= 100 ? null : 100 - tenths
}

/** A discount in both words, for labels: `{ zhe: '9.7', off: 3 }`, or null for full price. */
export function discountWords(ratio: RatioBps): { zhe: string; off: number } | null {
  const z = zhe(ratio)
  const off = percentOff(ratio)
  return z === null || off === null ? null : { zhe: z, off }
}
