import { sql } from 'kysely'
import type { ImportRowError } from '../schema/catalog'
import { heldSql } from './brand-catalog'
import type { Conn } from './conn'

export function insertCatalogImport(
  db: Conn,
  v: { brandId: string; userId: string; fileName: string; csvText: string },
) {
  return db
    .insertInto('catalog_imports')
    .values({ brand_id: v.brandId, created_by: v.userId, file_name: v.fileName, csv_text: v.csvText })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** jsonb may arrive as text depending on the driver's type parsers; always hand back an array. */
function parsedErrors<T extends { errors: unknown }>(
  row: T | undefined,
): (Omit<T, 'errors'> & { errors: ImportRowError[] }) | undefined {
  if (!row) return undefined
  const errors = typeof row.errors === 'string' ? JSON.parse(row.errors) : row.errors
  return { ...row, errors: Array.isArray(errors) ? errors : [] }
}

export async function findCatalogImport(db: Conn, id: string) {
  return parsedErrors(await db.selectFrom('catalog_imports').selectAll().where('id', '=', id).executeTakeFirst())
}

export async function findBrandImport(db: Conn, brandId: string, id: string) {
  return parsedErrors(
    await db
      .selectFrom('catalog_imports')
      .select([
        'id',
        'file_name',
        'status',
        'total_rows',
        'processed_rows',
        'ok_rows',
        'products_created',
        'products_updated',
        'errors',
        'failure',
        'created_at',
        'finished_at',
      ])
      .where('id', '=', id)
      .where('brand_id', '=', brandId)
      .executeTakeFirst(),
  )
}

export function listBrandImports(db: Conn, brandId: string) {
  return db
    .selectFrom('catalog_imports')
    .select([
      'id',
      'file_name',
      'status',
      'total_rows',
      'processed_rows',
      'ok_rows',
      'created_at',
      sql<number>`case jsonb_typeof(errors) when 'array' then jsonb_array_length(errors) else 0 end`.as('error_count'),
    ])
    .where('brand_id', '=', brandId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute()
}

export async function updateImport(
  db: Conn,
  id: string,
  v: Partial<{
    status: 'queued' | 'running' | 'done' | 'failed'
    total_rows: number
    processed_rows: number
    ok_rows: number
    products_created: number
    products_updated: number
    errors: ImportRowError[]
    failure: string | null
    finished_at: Date
  }>,
) {
  const { errors, ...rest } = v
  await db
    .updateTable('catalog_imports')
    .set({ ...rest, ...(errors ? { errors: sql<string>`${JSON.stringify(errors)}::jsonb` } : {}) })
    .where('id', '=', id)
    .execute()
}

export async function addImportProgress(
  db: Conn,
  id: string,
  v: { processed: number; ok: number; created: number; updated: number },
) {
  await db
    .updateTable('catalog_imports')
    .set((eb) => ({
      processed_rows: eb('processed_rows', '+', v.processed),
      ok_rows: eb('ok_rows', '+', v.ok),
      products_created: eb('products_created', '+', v.created),
      products_updated: eb('products_updated', '+', v.updated),
    }))
    .where('id', '=', id)
    .execute()
}

/** What the brand already has for the barcodes and style codes of a file. */
export function existingSkusForImport(db: Conn, brandId: string, barcodes: string[], styleCodes: string[], now: Date) {
  return db
    .selectFrom('skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['k.id', 'k.product_id', 'k.barcode', 'k.size', 'k.colour', 'p.style_code'])
    .select(heldSql(now).as('held'))
    .where('k.brand_id', '=', brandId)
    .where((eb) =>
      eb.or([
        eb('k.barcode', '=', sql<string>`any(${sql.val(barcodes)}::text[])`),
        eb('p.style_code', '=', sql<string>`any(${sql.val(styleCodes)}::text[])`),
      ]),
    )
    .execute()
}

export function productsByStyle(db: Conn, brandId: string, styleCodes: string[]) {
  return db
    .selectFrom('products')
    .select(['id', 'style_code'])
    .where('brand_id', '=', brandId)
    .where('style_code', '=', sql<string>`any(${sql.val(styleCodes)}::text[])`)
    .execute()
}

export interface ImportProduct {
  brandId: string
  styleCode: string
  title: string
  titleEn: string
  description: string
  category: string
  tagPriceMinor: number
  tagCut: boolean
  imageSeed: string
}
export interface ImportSku {
  styleCode: string
  size: string
  colour: string
  sizeEn: string
  colourEn: string
  barcode: string
  stock: number
}

/** One statement per table for a batch: products upserted by style code, SKUs by barcode. */
export async function upsertImportBatch(
  db: Conn,
  brandId: string,
  products: ImportProduct[],
  skus: ImportSku[],
  now: Date,
) {
  const rows = await db
    .insertInto('products')
    .values(
      products.map((p) => ({
        brand_id: p.brandId,
        style_code: p.styleCode,
        title: p.title,
        title_en: p.titleEn,
        description: p.description,
        category: p.category as never,
        tag_price_minor: p.tagPriceMinor,
        tag_cut: p.tagCut,
        image_seed: p.imageSeed,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['brand_id', 'style_code']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        title_en: eb.ref('excluded.title_en'),
        description: eb.ref('excluded.description'),
        category: eb.ref('excluded.category'),
        tag_price_minor: eb.ref('excluded.tag_price_minor'),
        tag_cut: eb.ref('excluded.tag_cut'),
        updated_at: now,
      })),
    )
    .returning(['id', 'style_code', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute()
  const idByStyle = new Map(rows.map((r) => [r.style_code!, r.id]))
  await db
    .insertInto('skus')
    .values(
      skus.map((k) => ({
        product_id: idByStyle.get(k.styleCode)!,
        brand_id: brandId,
        size: k.size,
        colour: k.colour,
        size_en: k.sizeEn,
        colour_en: k.colourEn,
        barcode: k.barcode,
        stock_on_hand: k.stock,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['brand_id', 'barcode']).doUpdateSet((eb) => ({
        size: eb.ref('excluded.size'),
        colour: eb.ref('excluded.colour'),
        size_en: eb.ref('excluded.size_en'),
        colour_en: eb.ref('excluded.colour_en'),
        stock_on_hand: eb.ref('excluded.stock_on_hand'),
      })),
    )
    .execute()
  return { created: rows.filter((r) => r.inserted).length, updated: rows.filter((r) => !r.inserted).length }
}
