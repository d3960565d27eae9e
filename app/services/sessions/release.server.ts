import type { Conn } from '#db/queries/conn'
import { lockUnsoldSkus, releaseAvailable } from '#db/queries/sessions'
import { recordStockMovements } from '../catalog/stock-movements.server'

/** Unsold units of every SKU of a session: available → 0, counted as released, one 'release' movement each. */
export async function releaseUnsold(trx: Conn, brandId: string, sessionId: string) {
  const rows = await lockUnsoldSkus(trx, sessionId)
  if (!rows.length) return []
  await releaseAvailable(
    trx,
    rows.map((r) => r.id),
  )
  await recordStockMovements(
    trx,
    rows.map((r) => ({ brandId, sessionId, sessionItemSkuId: r.id, kind: 'release' as const, quantity: -r.available })),
  )
  return rows
}
