import { sql, type RawBuilder } from 'kysely'
import type { StockMovementKind } from '../schema/catalog'
import type { Conn } from './conn'

export interface StockMovementRow {
  brandId: string
  sessionId: string
  sessionItemSkuId: string
  kind: StockMovementKind
  quantity: number
  /** The database's now() when absent. */
  createdAt?: Date
}

export async function insertStockMovements(db: Conn, rows: StockMovementRow[]) {
  if (!rows.length) return
  await insertStockMovementsWhen(rows, sql`true`).execute(db)
}

/** The insert as a statement fragment that writes only when `when` holds (the checkout's one-statement write). */
export function insertStockMovementsWhen(
  rows: readonly StockMovementRow[],
  when: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const col = <T>(f: (r: StockMovementRow) => T) => rows.map(f)
  return sql`insert into stock_movements (brand_id, session_id, session_item_sku_id, kind, quantity, created_at)
    select brand_id, session_id, session_item_sku_id, kind, quantity, coalesce(created_at, now()) from unnest(
      ${col((r) => r.brandId)}::uuid[], ${col((r) => r.sessionId)}::uuid[], ${col((r) => r.sessionItemSkuId)}::uuid[], ${col((r) => r.kind)}::text[],
      ${col((r) => r.quantity)}::int[], ${col((r) => r.createdAt?.toISOString() ?? null)}::timestamptz[]
    ) as r(brand_id, session_id, session_item_sku_id, kind, quantity, created_at)
    where ${when}
    returning 1`
}

export function listSaleMovements(db: Conn, brandId: string, sessionId: string) {
  return db
    .selectFrom('stock_movements')
    .select(['kind', 'quantity', 'created_at'])
    .where('brand_id', '=', brandId)
    .where('session_id', '=', sessionId)
    .where('kind', 'in', ['sale', 'sale_cancelled'])
    .orderBy('created_at')
    .execute()
}

/**
 * Applies signed changes to the SKUs' physical stock (by session SKU), locking the SKU rows in id order so
 * concurrent checkouts over the same SKUs cannot deadlock.
 */
export async function changePhysicalStock(db: Conn, changes: { sessionItemSkuId: string; quantity: number }[]) {
  if (!changes.length) return
  await sql`
    with d as (
      select x.sku_id, sum(c.q)::int as q from unnest(${changes.map((c) => c.sessionItemSkuId)}::uuid[], ${changes.map((c) => c.quantity)}::int[]) as c(x, q)
        join session_item_skus x on x.id = c.x group by x.sku_id
    ), locked as (
      select k.id from skus k where k.id in (select sku_id from d) order by k.id for update
    )
    update skus k set stock_on_hand = k.stock_on_hand + d.q from d, locked where k.id = d.sku_id and locked.id = k.id and d.q <> 0`.execute(
    db,
  )
}
