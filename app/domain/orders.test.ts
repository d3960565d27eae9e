import { describe, expect, it } from 'vitest'
import {
  autoReceiveDue,
  canOpenAfterSale,
  canTransition,
  isLate,
  lockOrder,
  paymentDeadline,
  refundLines,
  remainingLines,
  settlementFor,
  shipByDeadline,
  RefundTooLargeError,
} from './orders'

const now = new Date('2026-11-30T04:00:00Z')

describe('lockOrder', () => {
  it('merges duplicates and sorts by id', () => {
    expect(
      lockOrder([
        { sessionItemSkuId: 'b', quantity: 1 },
        { sessionItemSkuId: 'a', quantity: 2 },
        { sessionItemSkuId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { sessionItemSkuId: 'a', quantity: 2 },
      { sessionItemSkuId: 'b', quantity: 4 },
    ])
  })
})

describe('deadlines', () => {
  it('holds unpaid stock 15 minutes and ships within 24 hours of payment', () => {
    expect(paymentDeadline(now).toISOString()).toBe('2026-11-30T04:15:00.000Z')
    expect(paymentDeadline(now, 60_000).toISOString()).toBe('2026-11-30T04:01:00.000Z')
    expect(shipByDeadline(now).toISOString()).toBe('2026-12-01T04:00:00.000Z')
  })
  it('flags only paid, unshipped orders past the deadline', () => {
    const shipByAt = new Date(now.getTime() - 1)
    expect(isLate({ status: 'paid', shipByAt }, now)).toBe(true)
    expect(isLate({ status: 'paid', shipByAt: now }, now)).toBe(false)
    expect(isLate({ status: 'shipped', shipByAt }, now)).toBe(false)
  })
  it('auto-receives 10 days after shipping', () => {
    expect(autoReceiveDue(new Date(now.getTime() - 10 * 86_400_000), now)).toBe(true)
    expect(autoReceiveDue(new Date(now.getTime() - 10 * 86_400_000 + 1), now)).toBe(false)
  })
})

describe('transitions', () => {
  it.each([
    ['pending_payment', 'paid', true],
    ['pending_payment', 'cancelled', true],
    ['paid', 'shipped', true],
    ['shipped', 'received', true],
    ['received', 'completed', true],
    ['paid', 'refunded', true],
    ['cancelled', 'paid', false],
    ['shipped', 'paid', false],
    ['refunded', 'paid', false],
  ] as const)('%s → %s: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok)
  })
})

describe('after-sales window', () => {
  it('is open for paid orders until the deadline', () => {
    const deadline = new Date(now.getTime() + 1000)
    expect(canOpenAfterSale({ status: 'received' }, deadline, now)).toBe(true)
    expect(canOpenAfterSale({ status: 'received' }, now, now)).toBe(false)
    expect(canOpenAfterSale({ status: 'pending_payment' }, deadline, now)).toBe(false)
    expect(canOpenAfterSale({ status: 'cancelled' }, deadline, now)).toBe(false)
  })
})

describe('refunds', () => {
  const lines = [
    { id: 'l1', quantity: 3, refundedQuantity: 1, unitPriceMinor: 1000 },
    { id: 'l2', quantity: 1, refundedQuantity: 0, unitPriceMinor: 550 },
  ]
  it('prices per line and refuses more than is left', () => {
    expect(refundLines(lines, [{ orderLineId: 'l1', quantity: 2 }])).toEqual({
      lines: [{ orderLineId: 'l1', quantity: 2, amountMinor: 2000 }],
      amountMinor: 2000,
    })
    expect(() => refundLines(lines, [{ orderLineId: 'l1', quantity: 3 }])).toThrow(RefundTooLargeError)
    expect(() => refundLines(lines, [{ orderLineId: 'nope', quantity: 1 }])).toThrow(RefundTooLargeError)
    expect(() => refundLines(lines, [])).toThrow(RefundTooLargeError)
  })
  it('whole refunds take what is left', () => {
    expect(remainingLines(lines)).toEqual([
      { orderLineId: 'l1', quantity: 2 },
      { orderLineId: 'l2', quantity: 1 },
    ])
  })
})

describe('settlement', () => {
  it('is paid − refunds − commission on the net', () => {
    expect(settlementFor({ paidMinor: 100_000, refundedMinor: 20_000, commissionBps: 1000, currency: 'CNY' })).toEqual({
      paidMinor: 100_000,
      refundedMinor: 20_000,
      commissionMinor: 8_000,
      payableMinor: 72_000,
    })
    expect(
      settlementFor({ paidMinor: 333, refundedMinor: 0, commissionBps: 1000, currency: 'CNY' }).commissionMinor,
    ).toBe(33)
  })
})
