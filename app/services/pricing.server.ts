import type { Db } from '#db/client'
import { DEFAULT_VIP_TIERS, type VipTier } from '#app/domain/pricing'

/**
 * The VIP table in force. Every caller that prices for a member loads it here, so the membership
 * issue can move the table into the database without touching callers.
 */
export async function loadVipTiers(_db: Db): Promise<readonly VipTier[]> {
  return DEFAULT_VIP_TIERS
}
