import { describe, expect, it } from 'vitest'
import { DEFAULT_VIP_TIERS, memberUnitPrice } from './pricing'
import { baseRangeForViewerPrice, smallestBaseReaching } from './search'

describe('viewer price ranges on the base price', () => {
  const vip5 = { role: 'member' as const, vipLevel: 5 }
  it('finds the smallest base whose member price reaches the bound', () => {
    const b = smallestBaseReaching(10_000, vip5, DEFAULT_VIP_TIERS)!
    expect(memberUnitPrice(b, 5)).toBeGreaterThanOrEqual(10_000)
    expect(memberUnitPrice(b - 1, 5)).toBeLessThan(10_000)
  })

  it('keeps exactly the bases whose viewer price is in [from, to)', () => {
    const r = baseRangeForViewerPrice({ from: 10_000, to: 20_000 }, vip5, DEFAULT_VIP_TIERS)!
    for (let base = 5_000; base < 30_000; base += 7) {
      const p = memberUnitPrice(base, 5)
      const inRange = base >= r.from! && base < r.to!
      expect(inRange).toBe(p >= 10_000 && p < 20_000)
    }
  })

  it('uses the base price for staff, nothing for signed-out visitors, and keeps open ends open', () => {
    expect(
      baseRangeForViewerPrice({ from: 100, to: 200 }, { role: 'operator', vipLevel: 0 }, DEFAULT_VIP_TIERS),
    ).toEqual({ from: 100, to: 200 })
    expect(baseRangeForViewerPrice({ from: 100 }, null, DEFAULT_VIP_TIERS)).toBeNull()
    expect(baseRangeForViewerPrice({ from: 100_000 }, { role: 'member', vipLevel: 0 }, DEFAULT_VIP_TIERS)).toEqual({
      from: 100_000,
    })
  })
})
