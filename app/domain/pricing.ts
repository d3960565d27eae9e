import type { Role } from './roles'

export interface Viewer {
  role: Role
  vipLevel: number
}

/**
 * Wholesale prices are for signed-in people only. Until the membership ladder lands, every member
 * pays the base (trial) price; brand staff and operators see the base price they set.
 */
export function wholesalePriceFor(basePriceMinor: number, viewer: Viewer | null): number | null {
  if (!viewer) return null
  return basePriceMinor
}
