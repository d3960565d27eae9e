import type { Conn } from '#db/queries/conn'
import type { StockMovementKind } from '#db/schema/catalog'
import { changePhysicalStock, insertStockMovements } from '#db/queries/stock-movements'

export type { StockMovementKind }

export interface StockMovementInput {
  brandId: string
  sessionId: string
  sessionItemSkuId: string
  kind: StockMovementKind
  /**
   * Signed change of the session's stock: allocate/top_up/sale_cancelled/return are positive,
   * sale/release negative (a sale of 2 units is -2).
   */
  quantity: number
  /** When it happened (the order's clock); the database's now() when absent. */
  createdAt?: Date
}

/** The movements that change what is physically on hand: units leave with a sale and come back when it is undone. */
export const PHYSICAL_KINDS: ReadonlySet<StockMovementKind> = new Set(['sale', 'sale_cancelled', 'return'])

/**
 * Appends stock movements in one multi-row insert, on the caller's transaction, and applies the physical ones to
 * the SKUs' stock on hand (allocation, top-up and release only move units between a session and the free stock).
 * Zero quantities are skipped.
 */
export async function recordStockMovements(trx: Conn, rows: StockMovementInput[]): Promise<void> {
  const moving = rows.filter((r) => r.quantity !== 0)
  await insertStockMovements(trx, moving)
  await changePhysicalStock(trx, moving.filter((r) => PHYSICAL_KINDS.has(r.kind)))
}
