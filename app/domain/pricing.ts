import type { Role } from './roles'

export interface Viewer {
  role: Role
  vipLevel: number
}

/** One row of the VIP table (see "Members and VIP levels" in README.md here). Discounts in basis points. */
export interface VipTier {
  level: number
  thresholdPoints: number
  discountBps: number
  /** Points to earn in a calendar month to keep the level; null for Trial. */
  keepPointsPerMonth: number | null
}

/** The default table; the operator-editable copy lives in the database (membership issue). */
export const DEFAULT_VIP_TIERS: readonly VipTier[] = [
  { level: 0, thresholdPoints: 0, discountBps: 0, keepPointsPerMonth: null },
  { level: 1, thresholdPoints: 50, discountBps: 300, keepPointsPerMonth: 0 },
  { level: 2, thresholdPoints: 200, discountBps: 500, keepPointsPerMonth: 50 },
  { level: 3, thresholdPoints: 600, discountBps: 800, keepPointsPerMonth: 120 },
  { level: 4, thresholdPoints: 1500, discountBps: 1000, keepPointsPerMonth: 250 },
  { level: 5, thresholdPoints: 4000, discountBps: 1200, keepPointsPerMonth: 500 },
]

/**
 * A member's unit price: base × (1 − discount), rounded half up to the fen. The one rounding rule
 * for every price a member sees or pays. A level missing from the table pays base.
 */
export function memberUnitPrice(
  basePriceMinor: number,
  level: number,
  tiers: readonly VipTier[] = DEFAULT_VIP_TIERS,
): number {
  const tier = tiers.find((t) => t.level === level)
  const bps = Math.min(10_000, Math.max(0, tier?.discountBps ?? 0))
  return Math.floor((basePriceMinor * (10_000 - bps) + 5_000) / 10_000)
}

/**
 * The wholesale price a viewer sees: none for signed-out visitors; a member's own level price;
 * brand staff and operators see the base price they set.
 */
export function wholesalePriceFor(
  basePriceMinor: number,
  viewer: Viewer | null,
  tiers: readonly VipTier[] = DEFAULT_VIP_TIERS,
): number | null {
  if (!viewer) return null
  if (viewer.role !== 'member') return basePriceMinor
  return memberUnitPrice(basePriceMinor, viewer.vipLevel, tiers)
}
