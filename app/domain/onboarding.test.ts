import { describe, expect, it } from 'vitest'
import {
  afterDepositPaid,
  applicationRefusals,
  ApplicationRefusedError,
  assertApplicationAcceptable,
  brandSlugFor,
  BrandStatusError,
  bpsToPercent,
  percentToBps,
  reinstatedStatus,
  setupLinkUsable,
  suspendedStatus,
} from './onboarding'
import { PLATFORM_RULES } from './platform-rules'

const ok = { annualSalesMinor: 2_000_000_000, offlineStores: 50, categories: ['womens'] as const }

describe('application rules', () => {
  it('uses the product thresholds: ¥20,000,000 of sales, 50 stores, ¥10,000 deposit, 10% default commission', () => {
    expect(PLATFORM_RULES.onboarding.minAnnualSalesMinor).toBe(20_000_000 * 100)
    expect(PLATFORM_RULES.onboarding.minOfflineStores).toBe(50)
    expect(PLATFORM_RULES.onboarding.depositMinor).toBe(1_000_000)
    expect(PLATFORM_RULES.defaultCommissionBps).toBe(1000)
  })

  it.each([
    ['exactly at both thresholds', ok, []],
    [
      'one fen short of the sales threshold',
      { ...ok, annualSalesMinor: 1_999_999_999 },
      ['annual_sales_below_threshold'],
    ],
    ['49 stores', { ...ok, offlineStores: 49 }, ['offline_stores_below_threshold']],
    [
      'zero of everything',
      { ...ok, annualSalesMinor: 0, offlineStores: 0 },
      ['annual_sales_below_threshold', 'offline_stores_below_threshold'],
    ],
    [
      'a refused category among accepted ones',
      { ...ok, categories: ['womens', 'diapers'] as const },
      ['refused_categories'],
    ],
    [
      'everything wrong',
      { annualSalesMinor: 1, offlineStores: 1, categories: ['baby_food'] as const },
      ['refused_categories', 'annual_sales_below_threshold', 'offline_stores_below_threshold'],
    ],
  ] as const)('%s', (_name, facts, codes) => {
    expect(applicationRefusals(facts).map((r) => r.code)).toEqual(codes)
  })

  it('names every refused category, in the order the rules list them', () => {
    const [r] = applicationRefusals({
      ...ok,
      categories: ['local_specialties', 'mens', 'infant_formula', 'diapers', 'baby_food'],
    })
    expect(r).toEqual({
      code: 'refused_categories',
      categories: ['infant_formula', 'baby_food', 'diapers', 'local_specialties'],
    })
  })

  it('reports the threshold and the actual figure so the message can explain', () => {
    expect(applicationRefusals({ ...ok, annualSalesMinor: 500, offlineStores: 3 })).toEqual([
      { code: 'annual_sales_below_threshold', minimumMinor: 2_000_000_000, actualMinor: 500 },
      { code: 'offline_stores_below_threshold', minimum: 50, actual: 3 },
    ])
  })

  it('thresholds are configurable', () => {
    const rules = { ...PLATFORM_RULES.onboarding, minOfflineStores: 10 }
    expect(applicationRefusals({ ...ok, offlineStores: 10 }, rules)).toEqual([])
  })

  it('assert throws a 422 refusal, or returns the accepted categories in canonical order', () => {
    expect(assertApplicationAcceptable({ ...ok, categories: ['jewellery', 'womens'] })).toEqual(['womens', 'jewellery'])
    try {
      assertApplicationAcceptable({ ...ok, offlineStores: 2 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ApplicationRefusedError)
      expect((e as ApplicationRefusedError).status).toBe(422)
      expect((e as ApplicationRefusedError).refusals[0].code).toBe('offline_stores_below_threshold')
    }
  })
})

describe('commission', () => {
  it.each([
    ['10', 1000],
    ['0', 0],
    ['50', 5000],
    ['12.5', 1250],
    ['0.25', 25],
    ['7.05', 705],
    ['10%', 1000],
    ['50.01', null],
    ['51', null],
    ['-1', null],
    ['abc', null],
    ['1.234', null],
    ['', null],
    ['100', null],
  ] as const)('%s%% → %s bps', (input, bps) => {
    expect(percentToBps(input)).toBe(bps)
  })

  it('formats basis points back as a percent', () => {
    expect([1000, 1250, 25, 705, 0].map(bpsToPercent)).toEqual(['10', '12.5', '0.25', '7.05', '0'])
  })
})

describe('brand status', () => {
  it('suspends anything not already suspended', () => {
    expect(suspendedStatus('live')).toBe('suspended')
    expect(suspendedStatus('awaiting_deposit')).toBe('suspended')
    expect(() => suspendedStatus('suspended')).toThrow(BrandStatusError)
  })

  it('reinstates to live only when the deposit is paid', () => {
    expect(reinstatedStatus('suspended', new Date())).toBe('live')
    expect(reinstatedStatus('suspended', null)).toBe('awaiting_deposit')
    expect(() => reinstatedStatus('live', new Date())).toThrow(BrandStatusError)
  })

  it('a paid deposit makes an awaiting brand live once; a suspended one stays suspended', () => {
    expect(afterDepositPaid({ status: 'awaiting_deposit', depositPaidAt: null })).toEqual({
      status: 'live',
      recordPayment: true,
    })
    expect(afterDepositPaid({ status: 'live', depositPaidAt: new Date() })).toEqual({
      status: 'live',
      recordPayment: false,
    })
    expect(afterDepositPaid({ status: 'suspended', depositPaidAt: null })).toEqual({
      status: 'suspended',
      recordPayment: true,
    })
    expect(afterDepositPaid({ status: 'suspended', depositPaidAt: new Date() })).toEqual({
      status: 'suspended',
      recordPayment: false,
    })
  })
})

describe('set-password links and slugs', () => {
  const now = new Date('2026-11-30T10:00:00Z')
  it('a link works until it expires or is used', () => {
    expect(setupLinkUsable({ expiresAt: new Date(now.getTime() + 1), usedAt: null }, now)).toBe(true)
    expect(setupLinkUsable({ expiresAt: now, usedAt: null }, now)).toBe(false)
    expect(setupLinkUsable({ expiresAt: new Date(now.getTime() + 1000), usedAt: now }, now)).toBe(false)
  })

  it('slugs come from Latin letters, else from the id', () => {
    expect(brandSlugFor('Yunshang Fashion', 'x')).toBe('yunshang-fashion')
    expect(brandSlugFor('云裳', '0f3c2a1b-aaaa-bbbb-cccc-000000000000')).toBe('brand-0f3c2a1b')
    expect(brandSlugFor('  --Ab C!! ', 'x')).toBe('ab-c')
  })
})
