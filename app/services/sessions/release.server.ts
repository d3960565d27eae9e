import type { Conn } from '#db/queries/conn'
import { recordStockMovements } from '../catalog/stock-movements.server'

/** Unsold units of every SKU of a session: available → 0, counted as released, one 'release' movement each. */
export async function releaseUnsold(trx: Conn, brandId: string, sessionId: string) {
  const rows = await trx
    .selectFrom('session_item_skus as x')
    .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
    .select(['x.id', 'x.available'])
    .where('i.session_id', '=', sessionId)
    .where('x.available', '>', 0)
    .forUpdate()
    .execute()
  if (!rows.length) return []
  await trx
    .updateTable('session_item_skus')
    .set((eb) => ({ released: eb('released', '+', eb.ref('available')), available: 0 }))
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  await recordStockMovements(
    trx,
    rows.map((r) => ({ brandId, sessionId, sessionItemSkuId: r.id, kind: 'release' as const, quantity: -r.available })),
  )
  return rows
}
