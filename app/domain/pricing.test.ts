import { describe, expect, it } from 'vitest'
import { DEFAULT_VIP_TIERS, memberUnitPrice, wholesalePriceFor, type VipTier } from './pricing'
import { seededRandom } from '#app/utils/seeded-random'

const rng = seededRandom

/** A random valid table: discounts strictly rising from 0, at most 50%. */
function randomTiers(r: () => number): VipTier[] {
  const cuts = Array.from({ length: 5 }, () => 1 + Math.floor(r() * 5000)).sort((a, b) => a - b)
  const discounts = [0, ...cuts].map((d, i, a) => (i > 0 && d <= a[i - 1] ? a[i - 1] + 1 : d))
  return discounts.map((discountBps, level) => ({
    level,
    thresholdPoints: level * 100,
    discountBps: Math.min(discountBps, 5000 + level),
    keepPointsPerMonth: level ? 0 : null,
  }))
}

describe('memberUnitPrice', () => {
  it('matches the default table by hand', () => {
    expect([0, 1, 2, 3, 4, 5].map((l) => memberUnitPrice(10_000, l))).toEqual([
      10_000, 9_700, 9_500, 9_200, 9_000, 8_800,
    ])
    // ¥129.90 at VIP3 (8% off) = 11950.8 → 11951; at VIP1 (3%) = 12600.3 → 12600
    expect(memberUnitPrice(12_990, 3)).toBe(11_951)
    expect(memberUnitPrice(12_990, 1)).toBe(12_600)
  })

  it('rounds half up to the fen', () => {
    // 50 fen × 97% = 48.5 → 49; 150 × 95% = 142.5 → 143
    expect(memberUnitPrice(50, 1)).toBe(49)
    expect(memberUnitPrice(150, 2)).toBe(143)
    // 25 × 88% = 22 exactly; 1 × 88% = 0.88 → 1
    expect(memberUnitPrice(25, 5)).toBe(22)
    expect(memberUnitPrice(1, 5)).toBe(1)
  })

  it('property: a higher level never pays more, never below zero, never above base (10,000 random cases)', () => {
    const r = rng(42)
    const violations: string[] = []
    let checked = 0
    for (let i = 0; i < 10_000; i++) {
      const tiers = i % 3 === 0 ? DEFAULT_VIP_TIERS : randomTiers(r)
      const base = i % 10 === 0 ? Math.floor(r() * 100) : Math.floor(r() * 10_000_000)
      let previous = Infinity
      for (let level = 0; level <= 5; level++) {
        const price = memberUnitPrice(base, level, tiers)
        checked++
        if (!Number.isInteger(price) || price < 0 || price > base || price > previous)
          violations.push(`base ${base} level ${level} → ${price} (previous ${previous})`)
        previous = price
      }
    }
    expect(checked).toBe(60_000)
    expect(violations).toEqual([])
  })

  it('a level missing from the table pays base; signed-out visitors get no price', () => {
    expect(memberUnitPrice(9_990, 9)).toBe(9_990)
    expect(wholesalePriceFor(9_990, null)).toBeNull()
    expect(wholesalePriceFor(9_990, { role: 'operator', vipLevel: 0 })).toBe(9_990)
    expect(wholesalePriceFor(10_000, { role: 'member', vipLevel: 4 })).toBe(9_000)
  })
})
