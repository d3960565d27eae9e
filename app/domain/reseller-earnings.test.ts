import { describe, expect, it } from 'vitest'
import { earningsBalance, lineEarningState, type EarningEntry } from './reseller-earnings'

const deadline = new Date('2026-12-15T00:00:00Z')
const before = new Date('2026-12-14T23:59:59Z')
const after = new Date('2026-12-15T00:00:00Z')
const earn = (amountMinor: number, availableAt = deadline): EarningEntry => ({
  kind: 'earning',
  amountMinor,
  availableAt,
})
const reverse = (amountMinor: number, availableAt = deadline): EarningEntry => ({
  kind: 'reversal',
  amountMinor: -amountMinor,
  availableAt,
})

describe('earningsBalance', () => {
  it('is pending until the after-sale deadline, available from it on', () => {
    expect(earningsBalance([earn(3_200), earn(1_000)], before)).toEqual({
      pendingMinor: 4_200,
      availableMinor: 0,
      reversedMinor: 0,
    })
    expect(earningsBalance([earn(3_200), earn(1_000)], after)).toEqual({
      pendingMinor: 0,
      availableMinor: 4_200,
      reversedMinor: 0,
    })
  })
  it('subtracts reversals from the balance they belong to', () => {
    expect(earningsBalance([earn(3_200), earn(1_000), reverse(1_000)], before)).toEqual({
      pendingMinor: 3_200,
      availableMinor: 0,
      reversedMinor: 1_000,
    })
  })
  it('keeps lines of different sessions apart', () => {
    const later = new Date('2026-12-20T00:00:00Z')
    expect(earningsBalance([earn(500), earn(700, later)], after)).toEqual({
      pendingMinor: 700,
      availableMinor: 500,
      reversedMinor: 0,
    })
  })
  it('lets a refund after the deadline take the available balance below zero (netted later)', () => {
    expect(earningsBalance([earn(500), reverse(800)], after).availableMinor).toBe(-300)
  })
})

describe('lineEarningState', () => {
  it.each([
    [[earn(3_200)], before, 'pending'],
    [[earn(3_200)], after, 'available'],
    [[earn(3_200), reverse(3_200)], before, 'reversed'],
    [[earn(3_200), reverse(1_600)], after, 'available'],
  ] as const)('%o at %s → %s', (entries, now, expected) => expect(lineEarningState(entries, now)).toBe(expected))
})
