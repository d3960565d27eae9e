import type { Conn } from '#db/queries/conn'
import type { StockMovementKind } from '#db/schema/catalog'
import { insertStockMovements } from '#db/queries/stock-movements'

export type { StockMovementKind }

export interface StockMovementInput {
  brandId: string
  sessionId: string
  sessionItemSkuId: string
  kind: StockMovementKind
  /**
   * Signed change of the session's stock: allocate/top_up/sale_cancelled are positive,
   * sale/release negative (a sale of 2 units is -2).
   */
  quantity: number
  /** When it happened (the order's clock); the database's now() when absent. */
  createdAt?: Date
}

/** Appends stock movements in one multi-row insert, on the caller's transaction. Zero quantities are skipped. */
export async function recordStockMovements(trx: Conn, rows: StockMovementInput[]): Promise<void> {
  await insertStockMovements(trx, rows.filter((r) => r.quantity !== 0))
}
