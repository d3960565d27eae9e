import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type StockMovementKind = 'allocate' | 'top_up' | 'sale' | 'sale_cancelled' | 'release' | 'return'

export interface StockMovementTable {
  id: Generated<number>
  brand_id: string
  session_id: string
  session_item_sku_id: string
  kind: StockMovementKind
  quantity: number
  created_at: CreatedAt
}

export interface BrandFollowTable {
  user_id: string
  brand_id: string
  created_at: CreatedAt
}

export interface ImportRowError {
  row: number
  column: string
  reason: string
}

export interface CatalogImportTable {
  id: Generated<string>
  brand_id: string
  created_by: string
  file_name: string
  csv_text: string
  status: Generated<'queued' | 'running' | 'done' | 'failed'>
  total_rows: Generated<number>
  processed_rows: Generated<number>
  ok_rows: Generated<number>
  products_created: Generated<number>
  products_updated: Generated<number>
  errors: ColumnType<ImportRowError[], string | undefined, string>
  failure: string | null
  created_at: CreatedAt
  finished_at: Timestamp | null
}

/** Columns the catalog migration adds to skeleton tables (merged into their interfaces in db/schema.ts). */
export interface CatalogProductColumns {
  style_code: string | null
  image_path: string | null
  updated_at: Generated<Date>
}
export interface CatalogSkuColumns {
  brand_id: Generated<string>
}
export interface CatalogSessionColumns {
  banner_path: string | null
  released_at: Timestamp | null
}
export interface CatalogSessionItemSkuColumns {
  released: Generated<number>
}

export type StockMovement = Selectable<StockMovementTable>
export type NewStockMovement = Insertable<StockMovementTable>
export type CatalogImport = Selectable<CatalogImportTable>
