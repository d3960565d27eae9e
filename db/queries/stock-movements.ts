import type { StockMovementKind } from '../schema/catalog'
import type { Conn } from './conn'

export async function insertStockMovements(db: Conn, rows: { brandId: string; sessionId: string; sessionItemSkuId: string; kind: StockMovementKind; quantity: number; createdAt?: Date }[]) {
  if (!rows.length) return
  await db.insertInto('stock_movements').values(rows.map((r) => ({
    brand_id: r.brandId, session_id: r.sessionId, session_item_sku_id: r.sessionItemSkuId, kind: r.kind, quantity: r.quantity,
    ...(r.createdAt ? { created_at: r.createdAt } : {}),
  }))).execute()
}

export function listSaleMovements(db: Conn, brandId: string, sessionId: string) {
  return db.selectFrom('stock_movements').select(['kind', 'quantity', 'created_at'])
    .where('brand_id', '=', brandId).where('session_id', '=', sessionId).where('kind', 'in', ['sale', 'sale_cancelled'])
    .orderBy('created_at').execute()
}
