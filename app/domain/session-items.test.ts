import { describe, expect, it } from 'vitest'
import {
  allocationShortfall,
  fenToYuan,
  freeToAllocate,
  itemPriceProblems,
  sellThroughBps,
  soldShareBps,
  soldUnits,
  unitsPerHour,
  yuanToFen,
} from './session-items'

describe('item price rules', () => {
  const base = { tagPriceMinor: 29900, tagCut: false, basePriceMinor: 8900, minRetailPriceMinor: 12900 }
  it.each([
    [{}, {}],
    [{ basePriceMinor: 29900 }, { basePrice: 'not_below_tag', minRetailPrice: 'below_base' }],
    [{ basePriceMinor: 0 }, { basePrice: 'not_positive' }],
    [{ minRetailPriceMinor: null }, { minRetailPrice: 'required' }],
    [{ minRetailPriceMinor: 8899 }, { minRetailPrice: 'below_base' }],
    [{ minRetailPriceMinor: 8900 }, {}],
    [{ minRetailPriceMinor: 29900 }, {}],
    [{ minRetailPriceMinor: 29901 }, { minRetailPrice: 'above_tag' }],
    [{ tagCut: true, minRetailPriceMinor: null }, {}],
    [{ tagCut: true, minRetailPriceMinor: 12900 }, { minRetailPrice: 'not_allowed_tag_cut' }],
    [{ tagCut: true, basePriceMinor: 30000, minRetailPriceMinor: null }, { basePrice: 'not_below_tag' }],
  ])('%o → %o', (patch, expected) => {
    expect(itemPriceProblems({ ...base, ...patch })).toEqual(expected)
  })
})

describe('allocation', () => {
  it('counts what other sessions hold against stock on hand', () => {
    expect(freeToAllocate(100, 30)).toBe(70)
    expect(freeToAllocate(10, 30)).toBe(0)
    expect(allocationShortfall({ stockOnHand: 100, heldElsewhere: 30, requested: 70 })).toBeNull()
    expect(allocationShortfall({ stockOnHand: 100, heldElsewhere: 30, requested: 71 })).toEqual({ free: 70 })
  })
  it('sold = allocated − available − released; sell-through in basis points', () => {
    expect(soldUnits({ allocated: 10, available: 3, released: 0 })).toBe(7)
    expect(soldUnits({ allocated: 10, available: 0, released: 3 })).toBe(7)
    expect(
      sellThroughBps([
        { allocated: 10, available: 3, released: 0 },
        { allocated: 10, available: 10, released: 0 },
      ]),
    ).toBe(3500)
    expect(sellThroughBps([])).toBe(0)
    expect(soldShareBps(7, 20)).toBe(3500)
    expect(soldShareBps(3, 0)).toBe(0)
  })
})

describe('money input', () => {
  it.each([
    ['129', 12900],
    ['129.9', 12990],
    ['129.90', 12990],
    ['¥1,299', 129900],
    [' 0.01 ', 1],
  ])('%s yuan → %i fen', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen)
  })
  it.each(['', 'abc', '1.234', '-5', '1e3', '12.'])('rejects %j', (text) => expect(yuanToFen(text)).toBeNull())
  it('formats fen back to yuan', () => {
    expect(fenToYuan(12900)).toBe('129')
    expect(fenToYuan(12905)).toBe('129.05')
  })
})

describe('units sold per hour', () => {
  it('buckets sales by hour since the start, minus cancelled sales, ignoring other kinds and times outside the window', () => {
    const start = new Date('2026-11-30T00:00:00Z')
    const at = (min: number) => new Date(start.getTime() + min * 60_000)
    const hours = unitsPerHour(
      [
        { kind: 'sale', quantity: -2, createdAt: at(5) },
        { kind: 'sale', quantity: -1, createdAt: at(59) },
        { kind: 'sale', quantity: -3, createdAt: at(61) },
        { kind: 'sale_cancelled', quantity: 1, createdAt: at(70) },
        { kind: 'top_up', quantity: 50, createdAt: at(10) },
        { kind: 'sale', quantity: -9, createdAt: at(-1) },
        { kind: 'sale', quantity: -9, createdAt: at(48 * 60) },
      ],
      start,
    )
    expect(hours).toHaveLength(48)
    expect(hours.slice(0, 3)).toEqual([3, 2, 0])
    expect(hours.reduce((s, v) => s + v, 0)).toBe(5)
  })
})
