import { describe, expect, it } from 'vitest'
import {
  applyMarkup,
  assertRetailPrices,
  checkRetailPrice,
  parseYuan,
  previewRetailPrices,
  retailFloor,
  RetailPriceViolationError,
  roundUp,
  sizesLeft,
  validateMarkup,
  type PricedItem,
  suggestRetailPrice,
  prefillRetailPrice,
  judgeOffer,
} from './retail-pricing'

describe('roundUp', () => {
  it.each([
    ['none', 12345, 12345],
    ['yuan', 12300, 12300],
    ['yuan', 12301, 12400],
    ['yuan', 0, 0],
    ['nine', 12150, 12900],
    ['nine', 12900, 12900],
    ['nine', 12901, 13900],
    ['nine', 13000, 13900],
    ['nine', 100, 900],
    ['dot_nine', 12150, 12190],
    ['dot_nine', 12190, 12190],
    ['dot_nine', 12195, 12290],
    ['dot_nine', 12100, 12190],
  ] as const)('%s rounds %i up to %i', (rounding, input, out) => {
    expect(roundUp(input, rounding)).toBe(out)
    expect(roundUp(input, rounding)).toBeGreaterThanOrEqual(input)
  })

  it('never rounds down, over a range of amounts', () => {
    for (let a = 0; a < 5000; a += 7) {
      for (const r of ['none', 'yuan', 'nine', 'dot_nine'] as const) expect(roundUp(a, r)).toBeGreaterThanOrEqual(a)
    }
  })

  it('refuses negative and fractional amounts', () => {
    expect(() => roundUp(-1, 'yuan')).toThrow(RangeError)
    expect(() => roundUp(1.5, 'yuan')).toThrow(RangeError)
  })
})

describe('applyMarkup', () => {
  it('adds a percentage, rounding the markup up to the fen, then the rounding rule', () => {
    expect(applyMarkup(10000, { kind: 'percent', value: 3000, rounding: 'none' })).toBe(13000)
    expect(applyMarkup(9999, { kind: 'percent', value: 1000, rounding: 'none' })).toBe(10999) // 999.9 → 1000
    expect(applyMarkup(8188, { kind: 'percent', value: 3000, rounding: 'nine' })).toBe(10900) // 106.44 → 109
    expect(applyMarkup(8188, { kind: 'percent', value: 3000, rounding: 'dot_nine' })).toBe(10690) // 106.45 → 106.90
    expect(applyMarkup(8188, { kind: 'percent', value: 3000, rounding: 'yuan' })).toBe(10700)
  })

  it('adds a fixed amount', () => {
    expect(applyMarkup(8188, { kind: 'fixed', value: 2000, rounding: 'none' })).toBe(10188)
    expect(applyMarkup(8188, { kind: 'fixed', value: 2000, rounding: 'nine' })).toBe(10900)
  })

  it('refuses markups out of range', () => {
    expect(() => validateMarkup({ kind: 'percent', value: -1, rounding: 'none' })).toThrow(/markup/)
    expect(() => validateMarkup({ kind: 'percent', value: 100_001, rounding: 'none' })).toThrow(/markup/)
    expect(() => validateMarkup({ kind: 'fixed', value: 1.5, rounding: 'none' })).toThrow(/markup/)
    expect(() => validateMarkup({ kind: 'fixed', value: 100, rounding: 'up' as 'none' })).toThrow(/rounding/)
  })
})

const item = (over: Partial<PricedItem> = {}): PricedItem => ({
  itemId: 'i1',
  title: '真丝连衣裙',
  ownPriceMinor: 8188,
  minRetailPriceMinor: 11000,
  tagCut: false,
  ...over,
})

describe('retail price floors', () => {
  it('uses the brand minimum when it is above the own price', () => {
    expect(retailFloor(item())).toEqual({ floor: 'min_retail', floorMinor: 11000 })
    expect(retailFloor(item({ minRetailPriceMinor: 5000 }))).toEqual({ floor: 'own_price', floorMinor: 8188 })
    expect(retailFloor(item({ minRetailPriceMinor: null }))).toEqual({ floor: 'own_price', floorMinor: 8188 })
  })

  it('ignores the brand minimum for tag-cut items', () => {
    expect(retailFloor(item({ tagCut: true }))).toEqual({ floor: 'own_price', floorMinor: 8188 })
    expect(checkRetailPrice(item({ tagCut: true }), 9000)).toBeNull()
  })

  it('names the item and the floor it breaks', () => {
    expect(checkRetailPrice(item(), 10999)).toEqual({
      itemId: 'i1',
      title: '真丝连衣裙',
      priceMinor: 10999,
      floor: 'min_retail',
      floorMinor: 11000,
    })
    expect(checkRetailPrice(item(), 11000)).toBeNull()
    expect(checkRetailPrice(item({ minRetailPriceMinor: null }), 8187)).toMatchObject({
      floor: 'own_price',
      floorMinor: 8188,
    })
    expect(checkRetailPrice(item(), 0)).toMatchObject({ floor: 'own_price' })
  })

  it('previews explicit prices over the rule and reports each violation', () => {
    const items = [item(), item({ itemId: 'i2', title: '剪标T恤', tagCut: true, ownPriceMinor: 5000 })]
    const lines = previewRetailPrices(items, new Map([['i2', 5900]]), {
      kind: 'percent',
      value: 2000,
      rounding: 'nine',
    })
    expect(lines.map((l) => l.retailPriceMinor)).toEqual([9900, 5900])
    expect(lines[0].violation).toMatchObject({ floor: 'min_retail', floorMinor: 11000 })
    expect(lines[1].violation).toBeNull()
    expect(() => assertRetailPrices(lines)).toThrow(RetailPriceViolationError)
    try {
      assertRetailPrices(lines)
    } catch (e) {
      expect((e as RetailPriceViolationError).violations.map((v) => v.title)).toEqual(['真丝连衣裙'])
    }
    expect(() =>
      assertRetailPrices(previewRetailPrices(items, new Map(), { kind: 'percent', value: 5000, rounding: 'nine' })),
    ).not.toThrow()
  })

  it('can raise a marked-up price to the floor, rounded up, but never an explicit price', () => {
    const items = [item(), item({ itemId: 'i2', title: '剪标T恤', tagCut: true, ownPriceMinor: 5000 })]
    const rule = { kind: 'percent', value: 2000, rounding: 'nine' } as const
    const lines = previewRetailPrices(items, new Map(), rule, { raiseToFloor: true })
    expect(lines.map((l) => [l.retailPriceMinor, l.raised, l.violation])).toEqual([
      [11900, true, null],
      [6900, false, null],
    ])
    const typed = previewRetailPrices(items, new Map([['i1', 10000]]), rule, { raiseToFloor: true })
    expect(typed[0]).toMatchObject({ retailPriceMinor: 10000, raised: false, violation: { floor: 'min_retail' } })
  })
})

describe('helpers', () => {
  it('lists sizes with stock, never counts', () => {
    expect(
      sizesLeft([
        { size: 'S', available: 0 },
        { size: 'M', available: 3 },
        { size: 'M', available: 9 },
        { size: 'L', available: 1 },
      ]),
    ).toEqual(['M', 'L'])
  })

  it('orders sizes as they are worn', () => {
    expect(
      sizesLeft([
        { size: 'XL', available: 1 },
        { size: 'M', available: 1 },
        { size: 'S', available: 1 },
      ]),
    ).toEqual(['S', 'M', 'XL'])
    expect(
      sizesLeft([
        { size: '120', available: 1 },
        { size: '100', available: 1 },
        { size: '均码', available: 1 },
      ]),
    ).toEqual(['100', '120', '均码'])
  })

  it('parses yuan amounts', () => {
    expect(parseYuan('129')).toBe(12900)
    expect(parseYuan('129.9')).toBe(12990)
    expect(parseYuan('¥ 129.05')).toBe(12905)
    expect(parseYuan('12.345')).toBeNull()
    expect(parseYuan('-3')).toBeNull()
    expect(parseYuan('abc')).toBeNull()
  })
})

describe('suggestions and offers never break a floor', () => {
  const item: PricedItem = {
    itemId: 'i',
    title: 'Coat',
    ownPriceMinor: 10000,
    minRetailPriceMinor: 15000,
    tagCut: false,
  }
  const rule = { kind: 'percent', value: 3000, rounding: 'nine' } as const

  it('suggests the markup when it meets the floors, else the floor rounded up by the rule, and says so', () => {
    expect(suggestRetailPrice({ ...item, minRetailPriceMinor: 12000 }, rule)).toEqual({
      priceMinor: 13900,
      raised: false,
    })
    expect(suggestRetailPrice(item, rule)).toEqual({ priceMinor: 15900, raised: true })
    expect(suggestRetailPrice({ ...item, tagCut: true }, rule)).toEqual({ priceMinor: 13900, raised: false })
    expect(suggestRetailPrice(item, null)).toEqual({ priceMinor: 15000, raised: true })
  })

  it('prefills a saved price only while it is still allowed', () => {
    expect(prefillRetailPrice(item, 16000, rule)).toEqual({ priceMinor: 16000, raised: false })
    expect(prefillRetailPrice(item, 14000, rule)).toEqual({ priceMinor: 15900, raised: true })
    expect(prefillRetailPrice(item, 14000, null)).toEqual({ priceMinor: 15000, raised: true })
    expect(prefillRetailPrice(item, null, null)).toBeNull()
    for (let own = 100; own < 50_000; own += 997) {
      for (const min of [null, 0, own - 1, own + 1, own * 3]) {
        const it2 = { ...item, ownPriceMinor: own, minRetailPriceMinor: min }
        const p = prefillRetailPrice(it2, own - 50, rule)!
        expect(checkRetailPrice(it2, p.priceMinor)).toBeNull()
      }
    }
  })

  it('judges a shown price against the floors in force now and offers a re-price that meets them', () => {
    expect(judgeOffer(item, 15000, rule)).toEqual({ violation: null, repricedMinor: null })
    const raisedMin = judgeOffer({ ...item, minRetailPriceMinor: 20000 }, 15900, rule)
    expect(raisedMin.violation).toMatchObject({ floor: 'min_retail', floorMinor: 20000 })
    expect(raisedMin.repricedMinor).toBe(20900)
    const costUp = judgeOffer({ ...item, ownPriceMinor: 17000 }, 15900, rule)
    expect(costUp.violation).toMatchObject({ floor: 'own_price', floorMinor: 17000 })
    expect(costUp.repricedMinor).toBe(22900)
    // A tag-cut item ignores the brand minimum but never its own price.
    expect(judgeOffer({ ...item, tagCut: true }, 11000, rule).violation).toBeNull()
  })
})
