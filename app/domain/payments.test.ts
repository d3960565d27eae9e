import { describe, expect, it } from 'vitest'
import { isSafeReturnPath, paymentTransition, refundableMinor, refundedStatus } from './payments'

describe('paymentTransition', () => {
  it('moves a pending payment to its outcome and notifies once', () => {
    expect(paymentTransition('pending', 'succeeded')).toEqual({ status: 'succeeded', notify: 'succeeded' })
    expect(paymentTransition('pending', 'failed')).toEqual({ status: 'failed', notify: 'failed' })
    expect(paymentTransition('pending', 'expired')).toEqual({ status: 'expired', notify: 'failed' })
  })
  it('records a late success after expiry or decline', () => {
    expect(paymentTransition('expired', 'succeeded')).toEqual({ status: 'succeeded', notify: 'succeeded' })
    expect(paymentTransition('failed', 'succeeded')).toEqual({ status: 'succeeded', notify: 'succeeded' })
  })
  it('ignores failures after success, repeats, and anything after refunds', () => {
    expect(paymentTransition('succeeded', 'expired')).toEqual({ status: 'succeeded', notify: null })
    expect(paymentTransition('succeeded', 'failed')).toEqual({ status: 'succeeded', notify: null })
    expect(paymentTransition('succeeded', 'succeeded')).toEqual({ status: 'succeeded', notify: null })
    expect(paymentTransition('expired', 'failed')).toEqual({ status: 'expired', notify: null })
    expect(paymentTransition('refunded', 'succeeded')).toEqual({ status: 'refunded', notify: null })
    expect(paymentTransition('partially_refunded', 'expired')).toEqual({ status: 'partially_refunded', notify: null })
  })
})

describe('refunds', () => {
  it('status follows the refunded total', () => {
    expect(refundedStatus(1000, 0)).toBe('succeeded')
    expect(refundedStatus(1000, 300)).toBe('partially_refunded')
    expect(refundedStatus(1000, 1000)).toBe('refunded')
  })
  it('refundable amount subtracts refunds done and in flight, and is 0 unless paid', () => {
    expect(refundableMinor({ status: 'succeeded', amount_minor: 1000, refunded_minor: 0 }, 0)).toBe(1000)
    expect(refundableMinor({ status: 'partially_refunded', amount_minor: 1000, refunded_minor: 300 }, 200)).toBe(500)
    expect(refundableMinor({ status: 'pending', amount_minor: 1000, refunded_minor: 0 }, 0)).toBe(0)
    expect(refundableMinor({ status: 'refunded', amount_minor: 1000, refunded_minor: 1000 }, 0)).toBe(0)
  })
})

describe('isSafeReturnPath', () => {
  it('accepts same-site paths only', () => {
    expect(isSafeReturnPath('/brand/deposit?paid=1')).toBe(true)
    expect(isSafeReturnPath('//evil.example')).toBe(false)
    expect(isSafeReturnPath('/\\evil.example')).toBe(false)
    expect(isSafeReturnPath('https://evil.example')).toBe(false)
    expect(isSafeReturnPath('relative')).toBe(false)
  })
})
