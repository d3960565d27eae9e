import type { Conn } from '#db/queries/conn'
import type { StockMovementKind } from '#db/schema/catalog'
import { insertStockMovements, type StockMovementRow } from '#db/queries/stock-movements'

export type { StockMovementKind }

/** A signed change of a session's stock: allocate, top_up and sale_cancelled positive, sale and release negative. */
export type StockMovementInput = StockMovementRow

/** Appends stock movements in one multi-row insert, on the caller's transaction. Zero quantities are skipped. */
export async function recordStockMovements(trx: Conn, rows: StockMovementInput[]): Promise<void> {
  await insertStockMovements(trx, rows.filter((r) => r.quantity !== 0))
}
