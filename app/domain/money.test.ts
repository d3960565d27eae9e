import { describe, expect, it } from 'vitest'
import { add, allocate, discountBps, formatMoney, money, multiply, percentOff, shareOf } from './money'

describe('money', () => {
  it('refuses fractional minor units', () => {
    expect(() => money(1.5)).toThrow(RangeError)
  })

  it.each([
    [10000, 300, 9700],
    [999, 300, 969], // 969.03 → 969
    [1999, 500, 1899], // 1899.05 → 1899 (half up happens only at .5)
    [10, 500, 10], // 9.5 → 10
    [1, 1200, 1], // 0.88 → 1
    [12345, 0, 12345],
    [12345, 10000, 0],
  ])('percentOff(%i, %i bps) = %i', (amount, bps, expected) => {
    expect(percentOff(money(amount), bps).amountMinor).toBe(expected)
  })

  it('never mixes currencies', () => {
    expect(() => add(money(1, 'CNY'), money(1, 'USD'))).toThrow(/currency/)
  })

  it('multiplies by integer quantities only', () => {
    expect(multiply(money(1999), 3).amountMinor).toBe(5997)
    expect(() => multiply(money(1999), 1.5)).toThrow()
  })

  it('takes commission shares rounding half up', () => {
    expect(shareOf(money(12345), 1000).amountMinor).toBe(1235)
    expect(shareOf(money(5), 1000).amountMinor).toBe(1)
  })

  it('allocates without losing a fen', () => {
    const parts = allocate(money(100), [1, 1, 1])
    expect(parts.map((p) => p.amountMinor)).toEqual([34, 33, 33])
    expect(parts.reduce((s, p) => s + p.amountMinor, 0)).toBe(100)
  })

  it('formats yuan for both locales', () => {
    expect(formatMoney(money(12900), 'zh-CN')).toBe('¥129.00')
    expect(formatMoney(money(12900), 'en')).toBe('¥129.00')
    expect(formatMoney(money(12950), 'en')).toBe('¥129.50')
    // Formatters are cached per locale and currency: the same formatter serves every amount.
    expect(formatMoney(money(12950), 'zh-CN')).toBe('¥129.50')
  })

  it('writes every currency in both languages exactly as Intl does, without building a formatter', () => {
    // (Up to 10^14 minor units: beyond, Intl itself rounds through a float.)
    const amounts = [0, 1, 9, 10, 99, 100, 999, 1000, 12345, 100000, 123456789, 99999999999999]
    for (let i = 0; i < 200; i++) amounts.push(Math.floor(Math.random() * 10 ** (1 + (i % 12))))
    for (const locale of ['zh-CN', 'en'])
      for (const currency of ['CNY', 'USD', 'HKD', 'JPY'] as const) {
        const digits = currency === 'JPY' ? 0 : 2
        const intl = new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          currencyDisplay: 'narrowSymbol',
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        })
        for (const minor of [...amounts, ...amounts.map((a) => -a).filter((a) => a !== 0)])
          expect(formatMoney(money(minor, currency), locale), `${locale} ${currency} ${minor}`).toBe(
            intl.format(minor / 10 ** digits),
          )
      }
    // Another language still goes through Intl.
    expect(formatMoney(money(123456), 'de-DE')).toMatch(/^1\.234,56\s¥$/)
  })

  it('computes the discount against the tag price', () => {
    expect(discountBps(money(2000), money(10000))).toBe(8000)
    expect(discountBps(money(12000), money(10000))).toBe(0)
  })
})
