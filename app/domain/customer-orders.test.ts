import { describe, expect, it } from 'vitest'
import {
  customerOrderState,
  TooManyOpenOrdersError,
  tooManyOpenOrders,
  customerPriceRefusal,
  customerRefundMinor,
  lineAccount,
  lineEarning,
  lineReversal,
  maskPhone,
  normaliseMobile,
} from './customer-orders'

describe('normaliseMobile', () => {
  it.each([
    ['138 0013 8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['+85291234567', '+85291234567'],
    ['0085291234567', '+85291234567'],
    ['12345', null],
    ['abc', null],
    ['+86 138 0013 800a', null],
  ])('%s → %s', (input, expected) => expect(normaliseMobile(input)).toBe(expected))
})

describe('maskPhone', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['+85291234567', '852****4567'],
    ['1234567', '12*****'],
  ])('%s → %s', (input, expected) => expect(maskPhone(input)).toBe(expected))
  it('never shows the middle digits', () => expect(maskPhone('13912345678')).not.toContain('1234'))
})

describe('tooManyOpenOrders', () => {
  it('is a 429 naming the limit, per mobile number or per client', () => {
    for (const per of ['phone', 'client'] as const) {
      const e = tooManyOpenOrders(per, 2)
      expect(e).toBeInstanceOf(TooManyOpenOrdersError)
      expect(e).toMatchObject({ status: 429, code: 'too_many_open_orders', details: { limit: 2 } })
    }
    expect(tooManyOpenOrders('phone', 2).message).toMatch(/mobile/)
    expect(tooManyOpenOrders('client', 4).message).toMatch(/device/)
  })
})

describe('customerPriceRefusal', () => {
  const item = { sessionItemId: 'i', ownPriceMinor: 10_000, minRetailPriceMinor: 15_000, tagCut: false }
  it.each([
    [{ ...item, retailPriceMinor: 15_000 }, null],
    [{ ...item, retailPriceMinor: 14_999 }, 'below_min_retail'],
    [{ ...item, retailPriceMinor: 12_000, tagCut: true }, null],
    [{ ...item, retailPriceMinor: 9_999, tagCut: true }, 'below_own_price'],
    [{ ...item, minRetailPriceMinor: null, retailPriceMinor: 10_000 }, null],
    [{ ...item, minRetailPriceMinor: 8_000, retailPriceMinor: 9_000 }, 'below_own_price'],
  ])('%o → %s', (input, expected) => expect(customerPriceRefusal(input)).toBe(expected))
})

describe('earnings per line', () => {
  it('earns the markup per unit', () =>
    expect(lineEarning({ retailUnitMinor: 12_900, ownUnitMinor: 9_700, quantity: 2 })).toBe(6_400))
  it('earns nothing at her own price', () =>
    expect(lineEarning({ retailUnitMinor: 9_700, ownUnitMinor: 9_700, quantity: 3 })).toBe(0))
  it('refuses a retail price below her own price', () =>
    expect(() => lineEarning({ retailUnitMinor: 9_000, ownUnitMinor: 9_700, quantity: 1 })).toThrow(RangeError))
  it('reverses exactly the refunded units', () =>
    expect(lineReversal({ retailUnitMinor: 12_900, ownUnitMinor: 9_700 }, 1)).toBe(-3_200))
  it('refunds the customer the retail price', () =>
    expect(
      customerRefundMinor([
        { retailUnitMinor: 12_900, quantity: 1 },
        { retailUnitMinor: 5_000, quantity: 2 },
      ]),
    ).toBe(22_900))
})

describe('lineAccount: every fen of a customer line', () => {
  const cases = [
    { retailUnitMinor: 12_900, ownUnitMinor: 9_701, quantity: 3, refundedQuantity: 0, commissionBps: 1000 },
    { retailUnitMinor: 12_900, ownUnitMinor: 9_701, quantity: 3, refundedQuantity: 1, commissionBps: 1000 },
    { retailUnitMinor: 12_900, ownUnitMinor: 9_701, quantity: 3, refundedQuantity: 3, commissionBps: 1000 },
    { retailUnitMinor: 333, ownUnitMinor: 333, quantity: 7, refundedQuantity: 2, commissionBps: 1234 },
    { retailUnitMinor: 99_999, ownUnitMinor: 1, quantity: 1, refundedQuantity: 0, commissionBps: 0 },
  ]
  it.each(cases)('customer paid = brand share + commission + reseller earning (%o)', (c) => {
    const a = lineAccount({ ...c, currency: 'CNY' })
    expect(a.customerPaidMinor).toBe(c.retailUnitMinor * (c.quantity - c.refundedQuantity))
    expect(a.brandShareMinor + a.commissionMinor + a.resellerEarningMinor).toBe(a.customerPaidMinor)
    expect(a.commissionMinor).toBeGreaterThanOrEqual(0)
  })
  it('takes commission on the brand goods value (her own price), not on the retail price', () => {
    const a = lineAccount({
      retailUnitMinor: 20_000,
      ownUnitMinor: 10_000,
      quantity: 1,
      refundedQuantity: 0,
      commissionBps: 1000,
      currency: 'CNY',
    })
    expect(a).toEqual({
      customerPaidMinor: 20_000,
      brandShareMinor: 9_000,
      commissionMinor: 1_000,
      resellerEarningMinor: 10_000,
    })
  })
})

describe('customerOrderState', () => {
  const now = new Date('2026-12-06T10:00:00Z')
  it('is unpaid only while the hold lasts, then closed; paid stays paid', () => {
    expect(
      customerOrderState({ checkoutStatus: 'pending_payment', expiresAt: new Date('2026-12-06T10:05:00Z') }, now),
    ).toBe('pending_payment')
    expect(customerOrderState({ checkoutStatus: 'pending_payment', expiresAt: now }, now)).toBe('closed')
    expect(customerOrderState({ checkoutStatus: 'paid', expiresAt: now }, now)).toBe('paid')
    expect(customerOrderState({ checkoutStatus: 'expired', expiresAt: new Date('2027-01-01T00:00:00Z') }, now)).toBe(
      'closed',
    )
  })
})
