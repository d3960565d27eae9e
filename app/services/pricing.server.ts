import type { Db } from '#db/client'
import { selectVipTiers } from '#db/queries/membership'
import { DEFAULT_VIP_TIERS, type VipTier } from '#app/domain/pricing'

// The table changes rarely and is read on every priced page: cached per process for a few seconds,
// and dropped at once when this process edits it (other processes see an edit within the TTL).
const TTL_MS = 10_000
let cache = new WeakMap<Db, { at: number; tiers: readonly VipTier[] }>()

/** The VIP table in force (operator-editable, table vip_tiers); the defaults if the table is empty. */
export async function loadVipTiers(db: Db): Promise<readonly VipTier[]> {
  const hit = cache.get(db)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.tiers
  const rows = await selectVipTiers(db)
  const tiers = rows.length === DEFAULT_VIP_TIERS.length ? Object.freeze(rows) : DEFAULT_VIP_TIERS
  cache.set(db, { at: Date.now(), tiers })
  return tiers
}

export function invalidateVipTiers() {
  cache = new WeakMap()
}
