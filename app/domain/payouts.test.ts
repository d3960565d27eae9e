import { describe, expect, it } from 'vitest'
import {
  accountStatus,
  brandPayoutAmount,
  checkDeduction,
  depositExitPlan,
  isNewerEvent,
  transferKey,
  withdrawalAmount,
} from './payouts'

describe('brandPayoutAmount', () => {
  it.each([
    { payable: 27_000, balance: 27_000, expected: 27_000 },
    { payable: 27_000, balance: 50_000, expected: 27_000 }, // other sessions get their own payouts
    { payable: 27_000, balance: 18_000, expected: 18_000 }, // a debt of 9,000 is netted
    { payable: 9_000, balance: -1_000, expected: 0 }, // netted entirely; the debt stays
    { payable: 0, balance: 0, expected: 0 },
  ])('payable $payable, balance $balance → $expected', ({ payable, balance, expected }) => {
    expect(brandPayoutAmount({ sessionPayableMinor: payable, balanceMinor: balance })).toBe(expected)
  })
})

describe('withdrawalAmount', () => {
  it('withdraws everything available from the minimum on, refuses below it', () => {
    expect(withdrawalAmount({ availableMinor: 10_000 })).toBe(10_000)
    expect(withdrawalAmount({ availableMinor: 25_050 })).toBe(25_050)
    expect(() => withdrawalAmount({ availableMinor: 9_999 })).toThrow(
      expect.objectContaining({ code: 'withdrawal_refused' }),
    )
    expect(() => withdrawalAmount({ availableMinor: -500 })).toThrow(
      expect.objectContaining({ code: 'withdrawal_refused' }),
    )
    expect(withdrawalAmount({ availableMinor: 5_000, minimumMinor: 5_000 })).toBe(5_000)
  })
})

describe('depositExitPlan', () => {
  const base = { heldMinor: 1_000_000, payableMinor: 0, inTransitMinor: 0, openSessions: 0, exited: false }
  it.each([
    { state: base, expected: { nettingMinor: 0, refundMinor: 1_000_000 } },
    { state: { ...base, payableMinor: -9_000 }, expected: { nettingMinor: 9_000, refundMinor: 991_000 } },
    { state: { ...base, payableMinor: -2_000_000 }, expected: { nettingMinor: 1_000_000, refundMinor: 0 } },
    { state: { ...base, payableMinor: 5_000 }, expected: { nettingMinor: 0, refundMinor: 1_000_000 } },
  ])('nets a negative balance first: %o', ({ state, expected }) => {
    expect(depositExitPlan(state)).toEqual(expected)
  })
  it.each([
    [{ ...base, openSessions: 1 }, 'not_final'],
    [{ ...base, inTransitMinor: 100 }, 'not_final'],
    [{ ...base, heldMinor: 0 }, 'nothing_held'],
    [{ ...base, exited: true }, 'exited'],
  ] as const)('refuses %o (%s)', (state, reason) => {
    expect(() => depositExitPlan(state)).toThrow(
      expect.objectContaining({ code: 'deposit_action_refused', details: expect.objectContaining({ reason }) }),
    )
  })
  it('deductions are positive, within what is held, before exit', () => {
    expect(() => checkDeduction({ heldMinor: 100, exited: false }, 100)).not.toThrow()
    expect(() => checkDeduction({ heldMinor: 100, exited: false }, 101)).toThrow()
    expect(() => checkDeduction({ heldMinor: 100, exited: false }, 0)).toThrow()
    expect(() => checkDeduction({ heldMinor: 100, exited: true }, 1)).toThrow()
  })
})

describe('connected accounts', () => {
  const facts = {
    payoutsEnabled: false,
    detailsSubmitted: false,
    requirements: ['external_account'],
    disabledReason: 'requirements.past_due',
  }
  it.each([
    [facts, 'onboarding'],
    [{ ...facts, detailsSubmitted: true }, 'restricted'],
    [{ payoutsEnabled: true, detailsSubmitted: true, requirements: [], disabledReason: null }, 'enabled'],
    [
      { payoutsEnabled: true, detailsSubmitted: true, requirements: ['individual.id_number'], disabledReason: null },
      'enabled',
    ],
  ] as const)('%o is %s', (f, status) => {
    expect(accountStatus({ ...f, requirements: [...f.requirements] })).toBe(status)
  })
  it('applies events not older than the last one applied', () => {
    const t = new Date('2026-12-06T10:00:00Z')
    expect(isNewerEvent(null, t)).toBe(true)
    expect(isNewerEvent(t, t)).toBe(true)
    expect(isNewerEvent(t, new Date(t.getTime() - 1000))).toBe(false)
  })
  it('gives each transfer attempt its own key', () => {
    expect(transferKey('p1', 0)).toBe('payout:p1:0')
    expect(transferKey('p1', 1)).not.toBe(transferKey('p1', 0))
  })
})
