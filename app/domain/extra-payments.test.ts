import { describe, expect, it } from 'vitest'
import { EXTRA_PAYMENT_REFUND_GRACE_MS, unrefundedExtraPayments } from './extra-payments'

const now = new Date('2026-12-06T12:00:00Z')
const old = new Date(now.getTime() - EXTRA_PAYMENT_REFUND_GRACE_MS)
const fresh = new Date(now.getTime() - EXTRA_PAYMENT_REFUND_GRACE_MS + 1)
const pay = (id: string, refundedMinor: number, paidAt = old) => ({ id, amountMinor: 500, refundedMinor, paidAt })

describe('unrefundedExtraPayments', () => {
  it('never counts the payment that paid the checkout, refunded or not', () => {
    expect(unrefundedExtraPayments('a', [pay('a', 0)], now)).toEqual([])
    expect(unrefundedExtraPayments('a', [pay('a', 200)], now)).toEqual([])
  })

  it('every other successful payment must be refunded in full', () => {
    expect(
      unrefundedExtraPayments('a', [pay('a', 0), pay('b', 500), pay('c', 0), pay('d', 499)], now).map((p) => p.id),
    ).toEqual(['c', 'd'])
  })

  it('a closed checkout (paid by none): each payment is an extra', () => {
    expect(unrefundedExtraPayments(null, [pay('a', 0), pay('b', 500)], now).map((p) => p.id)).toEqual(['a'])
  })

  it('gives the refund job its grace period', () => {
    expect(unrefundedExtraPayments('a', [pay('b', 0, fresh)], now)).toEqual([])
    expect(unrefundedExtraPayments('a', [pay('b', 0, old)], now).map((p) => p.id)).toEqual(['b'])
  })
})
