import type { Conn } from '#db/queries/conn'
import type { StockMovementKind } from '#db/schema/catalog'
import { changePhysicalStock, insertStockMovements, type StockMovementRow } from '#db/queries/stock-movements'

export type { StockMovementKind }

/**
 * A signed change of a session's stock: allocate, top_up, sale_cancelled and return positive, sale and release
 * negative (a sale of 2 units is -2).
 */
export type StockMovementInput = StockMovementRow

/** The movements that change what is physically on hand: units leave with a sale and come back when it is undone. */
export const PHYSICAL_KINDS: ReadonlySet<StockMovementKind> = new Set(['sale', 'sale_cancelled', 'return'])

/**
 * Appends stock movements in one multi-row insert, on the caller's transaction, and applies the physical ones to
 * the SKUs' stock on hand (allocation, top-up and release only move units between a session and the free stock).
 * Zero quantities are skipped. Sales are not written here: the checkout's one write statement takes them
 * (db/queries/checkout.ts).
 */
export async function recordStockMovements(trx: Conn, rows: StockMovementInput[]): Promise<void> {
  const moving = rows.filter((r) => r.quantity !== 0)
  await insertStockMovements(trx, moving)
  await changePhysicalStock(
    trx,
    moving.filter((r) => PHYSICAL_KINDS.has(r.kind)),
  )
}
