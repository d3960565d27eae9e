import { describe, expect, it } from 'vitest'
import {
  addMonths,
  codeRefusal,
  judgeRetention,
  levelForPoints,
  maskEmail,
  maskName,
  maskPhone,
  memberProgress,
  monthsToJudge,
  normaliseInviteCode,
  personalCodeFrom,
  pointsForPaidGoods,
  revocationFor,
  shanghaiMonthOf,
  shanghaiMonthRange,
  validateTierTable,
} from './membership'
import { DEFAULT_VIP_TIERS, type VipTier } from './pricing'

const tiers = DEFAULT_VIP_TIERS

describe('points and levels', () => {
  it('1 point per ¥10 of paid goods, rounded down', () => {
    expect([0, 999, 1000, 1999, 49_999, 50_000, 123_456].map(pointsForPaidGoods)).toEqual([0, 0, 1, 1, 49, 50, 123])
    expect(() => pointsForPaidGoods(-1)).toThrow(RangeError)
    expect(() => pointsForPaidGoods(10.5)).toThrow(RangeError)
  })

  it('levels at exactly the thresholds 50 / 200 / 600 / 1500 / 4000', () => {
    const cases: [number, number][] = [
      [0, 0],
      [49, 0],
      [50, 1],
      [199, 1],
      [200, 2],
      [599, 2],
      [600, 3],
      [1499, 3],
      [1500, 4],
      [3999, 4],
      [4000, 5],
      [99999, 5],
      [-5, 0],
    ]
    for (const [points, level] of cases) expect(levelForPoints(points, tiers)).toBe(level)
  })

  it('refunds take back only the points no longer backed, never more than credited', () => {
    // paid ¥125.50 → 12 points; refund ¥5.50 → ¥120 left → 12 still backed → 0 back
    expect(
      revocationFor({
        paidGoodsMinor: 12_550,
        pointsCredited: 12,
        refundedBeforeMinor: 0,
        revokedBefore: 0,
        refundMinor: 550,
      }),
    ).toEqual({ refundedTotalMinor: 550, revoke: 0 })
    // then ¥0.60 more → ¥119.40 → 11 backed → 1 back
    expect(
      revocationFor({
        paidGoodsMinor: 12_550,
        pointsCredited: 12,
        refundedBeforeMinor: 550,
        revokedBefore: 0,
        refundMinor: 60,
      }),
    ).toEqual({ refundedTotalMinor: 610, revoke: 1 })
    // over-refund is capped at what was paid: all 12, minus the 1 already taken
    expect(
      revocationFor({
        paidGoodsMinor: 12_550,
        pointsCredited: 12,
        refundedBeforeMinor: 610,
        revokedBefore: 1,
        refundMinor: 99_999,
      }),
    ).toEqual({ refundedTotalMinor: 12_550, revoke: 11 })
  })
})

describe('Asia/Shanghai months', () => {
  it('an instant after 16:00 UTC on the last day belongs to the next month', () => {
    expect(shanghaiMonthOf(new Date('2026-10-31T15:59:59.999Z'))).toBe('2026-10')
    expect(shanghaiMonthOf(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11')
    expect(shanghaiMonthOf(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11')
    expect(shanghaiMonthOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01')
  })

  it('month windows are [1st 00:00, next 1st 00:00) Shanghai', () => {
    expect(shanghaiMonthRange('2026-11')).toEqual({
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    })
    expect(shanghaiMonthRange('2027-02').end).toEqual(new Date('2027-02-28T16:00:00Z'))
    expect(addMonths('2026-12', 1)).toBe('2027-01')
    expect(addMonths('2026-01', -1)).toBe('2025-12')
  })

  it('judges the month that just ended, and catches up on missed ones', () => {
    expect(monthsToJudge(null, new Date('2026-11-30T16:05:00Z'))).toEqual(['2026-11'])
    expect(monthsToJudge(null, new Date('2026-11-30T15:59:00Z'))).toEqual(['2026-10'])
    expect(monthsToJudge('2026-11', new Date('2026-12-15T00:00:00Z'))).toEqual([])
    expect(monthsToJudge('2026-09', new Date('2026-12-01T00:00:00Z'))).toEqual(['2026-10', '2026-11'])
  })
})

describe('retention', () => {
  const month = '2026-11'
  const longAgo = new Date('2026-01-01T00:00:00Z')
  it('keeps a member who met the requirement, skips Trial and a level reached during the month', () => {
    expect(judgeRetention({ level: 3, levelSince: longAgo, earned: 120, month, tiers })).toEqual({
      action: 'skip',
      why: 'kept',
    })
    expect(judgeRetention({ level: 0, levelSince: longAgo, earned: 0, month, tiers })).toEqual({
      action: 'skip',
      why: 'trial',
    })
    expect(judgeRetention({ level: 3, levelSince: new Date('2026-11-10T00:00:00Z'), earned: 0, month, tiers })).toEqual(
      { action: 'skip', why: 'new_level' },
    )
    // VIP1 keeps with 0 points
    expect(judgeRetention({ level: 1, levelSince: longAgo, earned: 0, month, tiers })).toEqual({
      action: 'skip',
      why: 'kept',
    })
    // a level held from exactly the month start (a previous drop) is judged
    expect(judgeRetention({ level: 2, levelSince: shanghaiMonthRange(month).start, earned: 0, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 1,
      resetTo: 50,
    })
  })

  it('drops to the highest level whose keep requirement was met, points to its threshold', () => {
    expect(judgeRetention({ level: 5, levelSince: longAgo, earned: 499, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 4,
      resetTo: 1500,
    })
    expect(judgeRetention({ level: 5, levelSince: longAgo, earned: 130, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 3,
      resetTo: 600,
    })
    expect(judgeRetention({ level: 5, levelSince: longAgo, earned: 50, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 2,
      resetTo: 200,
    })
    expect(judgeRetention({ level: 3, levelSince: longAgo, earned: 0, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 1,
      resetTo: 50,
    })
    expect(judgeRetention({ level: 3, levelSince: longAgo, earned: -10, month, tiers })).toEqual({
      action: 'drop',
      toLevel: 0,
      resetTo: 0,
    })
  })
})

describe('member progress', () => {
  it('shows the way to the next level and this month’s keep with its deadline', () => {
    const p = memberProgress({
      balance: 700,
      level: 3,
      earnedThisMonth: 30,
      levelSince: new Date('2026-01-01'),
      now: new Date('2026-11-20T00:00:00Z'),
      tiers,
    })
    expect(p.toNext).toEqual({ level: 4, threshold: 1500, pointsNeeded: 800, percent: 11 })
    expect(p.keep).toMatchObject({
      keepPoints: 120,
      earned: 30,
      pointsNeeded: 90,
      percent: 25,
      deadline: new Date('2026-11-30T16:00:00Z'),
      exemptThisMonth: false,
    })
    const top = memberProgress({
      balance: 5000,
      level: 5,
      earnedThisMonth: 0,
      levelSince: new Date('2026-11-05'),
      now: new Date('2026-11-20T00:00:00Z'),
      tiers,
    })
    expect(top.toNext).toBeNull()
    expect(top.keep?.exemptThisMonth).toBe(true)
    expect(
      memberProgress({ balance: 20, level: 0, earnedThisMonth: 20, levelSince: new Date(), now: new Date(), tiers })
        .keep,
    ).toBeNull()
  })
})

describe('the VIP table validation', () => {
  const table = () => DEFAULT_VIP_TIERS.map((t) => ({ ...t }))
  it('accepts the default table', () => expect(validateTierTable(tiers)).toEqual([]))
  it('refuses falling or equal thresholds and discounts, discounts over 50%, a Trial threshold', () => {
    const t: VipTier[] = table()
    t[0].thresholdPoints = 10
    t[2].thresholdPoints = 50
    t[3].discountBps = 500
    t[5].discountBps = 5001
    t[4].keepPointsPerMonth = 100
    expect(
      validateTierTable(t)
        .map((i) => `${i.level}:${i.code}`)
        .sort(),
    ).toEqual(
      ['0:trial_threshold', '2:threshold_rising', '3:discount_rising', '4:keep_rising', '5:discount_range'].sort(),
    )
  })
  it('accepts 50% exactly', () => {
    const t = table()
    t[5].discountBps = 5000
    expect(validateTierTable(t)).toEqual([])
  })
})

describe('codes and masks', () => {
  it('normalises codes and refuses unknown, expired, exhausted and inactive ones', () => {
    expect(normaliseInviteCode(' lily-2026 ')).toBe('LILY2026')
    const now = new Date('2026-11-30T00:00:00Z')
    expect(codeRefusal(null, now)).toBe('unknown')
    expect(codeRefusal({ kind: 'campaign', maxUses: 2, uses: 2, expiresAt: null, ownerLevel: null }, now)).toBe(
      'exhausted',
    )
    expect(codeRefusal({ kind: 'campaign', maxUses: null, uses: 9, expiresAt: now, ownerLevel: null }, now)).toBe(
      'expired',
    )
    expect(codeRefusal({ kind: 'personal', maxUses: null, uses: 0, expiresAt: null, ownerLevel: 0 }, now)).toBe(
      'inactive',
    )
    expect(codeRefusal({ kind: 'personal', maxUses: null, uses: 0, expiresAt: null, ownerLevel: 1 }, now)).toBeNull()
    expect(personalCodeFrom(new Uint8Array(8))).toMatch(/^[A-Z2-9]{8}$/)
  })
  it('masks invitees', () => {
    expect(maskName('杭州Lily')).toBe('杭*ly')
    expect(maskName('阿梅')).toBe('阿*')
    expect(maskName('小鹿子')).toBe('小*子')
    expect(maskPhone('13800000001')).toBe('138****0001')
    expect(maskEmail('lily@example.com')).toBe('l***@example.com')
  })
})
