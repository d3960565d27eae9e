import { describe, expect, it } from 'vitest'
import { afterDiscount, discountWords, percentOff, ratioOf, zhe } from './discount-words'

describe('discount words', () => {
  it.each([
    [3000, '3', 70],
    [9700, '9.7', 3],
    [8800, '8.8', 12],
    [2830, '2.9', 71], // 2.83折 reads as 2.9折, never as 2.8折
    [2801, '2.9', 71],
    [500, '0.5', 95],
    [9900, '9.9', 1],
  ])('a ratio of %i bps is %s折 and %i%% off', (ratio, z, off) => {
    expect(zhe(ratio)).toBe(z)
    expect(percentOff(ratio)).toBe(off)
  })

  it('says nothing when nothing comes off', () => {
    expect(zhe(10_000)).toBeNull()
    expect(zhe(9_901)).toBeNull() // 0.99 % off rounds to nothing
    expect(discountWords(10_000)).toBeNull()
    expect(discountWords(9_700)).toEqual({ zhe: '9.7', off: 3 })
  })

  it('computes ratios rounded towards the smaller discount', () => {
    expect(ratioOf(29_900, 99_900)).toBe(2_993)
    expect(ratioOf(100, 0)).toBeNull()
    expect(ratioOf(120, 100)).toBe(10_000)
    // A member's 8 % off a 3折 price: 2.76折, shown as 2.8折.
    expect(afterDiscount(3_000, 800)).toBe(2_760)
    expect(zhe(afterDiscount(3_000, 800))).toBe('2.8')
    expect(afterDiscount(3_001, 0)).toBe(3_001)
  })
})
