import { describe, expect, it } from 'vitest'
import { levelChangeNotice, levelFromLabel, levelTable } from './level-benefits'
import { DEFAULT_VIP_TIERS } from './pricing'

const now = new Date('2026-12-06T12:00:00Z')
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000)

describe('levelTable', () => {
  it('words each level’s price in 折 and percent off and marks the member’s own', () => {
    const rows = levelTable(DEFAULT_VIP_TIERS, 3)
    expect(
      rows.map((r) => [r.level, r.thresholdPoints, r.price?.zhe ?? null, r.keepPointsPerMonth, r.inviteCode]),
    ).toEqual([
      [0, 0, null, null, false],
      [1, 50, '9.7', 0, true],
      [2, 200, '9.5', 50, true],
      [3, 600, '9.2', 120, true],
      [4, 1500, '9', 250, true],
      [5, 4000, '8.8', 500, true],
    ])
    expect(rows.filter((r) => r.current).map((r) => r.level)).toEqual([3])
    expect(rows[5]!.price?.off).toBe(12)
  })
})

describe('levelChangeNotice', () => {
  const base = { balance: 320, tiers: DEFAULT_VIP_TIERS, now }
  it('tells a member who moved up her new price', () => {
    expect(levelChangeNotice({ from: 2, to: 3, cause: null, at: daysAgo(1) }, { ...base, level: 3 })).toEqual({
      direction: 'up',
      from: 2,
      to: 3,
      cause: null,
      price: { zhe: '9.2', off: 8 },
      pointsBack: null,
    })
  })

  it('tells a member who dropped why, her price and what brings the level back', () => {
    expect(
      levelChangeNotice({ from: 3, to: 2, cause: 'retention', at: daysAgo(5) }, { ...base, balance: 200, level: 2 }),
    ).toMatchObject({ direction: 'down', cause: 'retention', price: { zhe: '9.5', off: 5 }, pointsBack: 400 })
    expect(
      levelChangeNotice({ from: 1, to: 0, cause: 'points', at: daysAgo(0) }, { ...base, balance: 30, level: 0 }),
    ).toMatchObject({ direction: 'down', cause: 'points', price: null, pointsBack: 20 })
  })

  it('is silent once the change is old, or no longer her level', () => {
    expect(levelChangeNotice({ from: 2, to: 3, cause: null, at: daysAgo(15) }, { ...base, level: 3 })).toBeNull()
    expect(levelChangeNotice({ from: 2, to: 3, cause: null, at: daysAgo(1) }, { ...base, level: 4 })).toBeNull()
    expect(levelChangeNotice(null, { ...base, level: 4 })).toBeNull()
  })

  it('reads the level labels notifications store', () => {
    expect([levelFromLabel('Trial'), levelFromLabel('VIP5'), levelFromLabel('VIP0'), levelFromLabel(3)]).toEqual([
      0,
      5,
      null,
      null,
    ])
  })
})
