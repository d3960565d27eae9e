import { parse } from 'csv-parse/sync'
import type { Db } from '#db/client'
import {
  addImportProgress,
  existingSkusForImport,
  findBrandImport,
  findCatalogImport,
  insertCatalogImport,
  listBrandImports,
  productsByStyle,
  updateImport,
  upsertImportBatch,
  type ImportProduct,
  type ImportSku,
} from '#db/queries/catalog-imports'
import { enqueue } from '#jobs/enqueue'
import {
  conflictsWithExisting,
  groupRows,
  missingColumns,
  parseCatalogRow,
  type CatalogRow,
  type ExistingSku,
  type ProductGroup,
  type RowError,
} from '#app/domain/catalog-csv'
import { CATALOG_RULES } from '#app/domain/platform-rules'
import { toCsv } from '#app/utils/csv.server'

/** Stores the uploaded file and enqueues the import job in the same transaction. */
export async function startCatalogImport(
  db: Db,
  input: { brandId: string; userId: string; fileName: string; csvText: string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await insertCatalogImport(trx, input)
    // A first estimate of the rows (lines after the header) so the progress bar has a denominator at once;
    // the job replaces it with the parsed count.
    const estimate = Math.max(0, input.csvText.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1)
    await updateImport(trx, row.id, { total_rows: estimate })
    await enqueue(
      trx,
      'import_catalog_csv',
      { importId: row.id },
      { jobKey: `import_catalog_csv:${row.id}`, maxAttempts: 3 },
    )
    return row.id
  })
}

export async function brandImportStatus(db: Db, brandId: string, importId: string) {
  const r = await findBrandImport(db, brandId, importId)
  if (!r) return null
  return {
    id: r.id,
    fileName: r.file_name,
    status: r.status,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    okRows: r.ok_rows,
    productsCreated: r.products_created,
    productsUpdated: r.products_updated,
    errorCount: r.errors.length,
    errors: r.errors.slice(0, 200),
    failure: r.failure,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  }
}

export async function brandImportErrors(db: Db, brandId: string, importId: string) {
  const r = await findBrandImport(db, brandId, importId)
  return r ? r.errors : null
}

export async function brandImports(db: Db, brandId: string) {
  const rows = await listBrandImports(db, brandId)
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    status: r.status,
    totalRows: r.total_rows,
    okRows: r.ok_rows,
    errorCount: r.error_count,
    createdAt: r.created_at.toISOString(),
  }))
}

function toProduct(brandId: string, g: ProductGroup): ImportProduct {
  const f: CatalogRow = g.rows[0]
  return {
    brandId,
    styleCode: g.styleCode,
    title: f.title,
    titleEn: f.titleEn,
    description: f.description,
    category: f.category,
    tagPriceMinor: f.tagPriceMinor,
    tagCut: f.tagCut,
    imageSeed: `${f.category}::0:${g.styleCode}`.slice(0, 100),
  }
}
const toSkus = (g: ProductGroup): ImportSku[] =>
  g.rows.map((r) => ({ styleCode: g.styleCode, size: r.size, colour: r.colour, barcode: r.barcode, stock: r.stock }))

/**
 * The job: validates every row, rejects whole products with any bad row, then writes the good products
 * in batches (one statement per table per batch, in a transaction). A batch that the database refuses
 * is retried product by product, so one bad product never takes good ones down with it.
 */
export async function runCatalogImport(db: Db, importId: string, now: Date): Promise<'done' | 'failed' | 'skipped'> {
  const job = await findCatalogImport(db, importId)
  if (!job || job.status === 'done' || job.status === 'failed') return 'skipped'
  await updateImport(db, importId, {
    status: 'running',
    processed_rows: 0,
    ok_rows: 0,
    products_created: 0,
    products_updated: 0,
  })

  let records: Record<string, string>[]
  try {
    records = parse(job.csv_text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
    })
  } catch (e) {
    const errors: RowError[] = [{ row: 1, column: '', reason: 'unreadable_file' }]
    await updateImport(db, importId, {
      status: 'failed',
      errors,
      failure: e instanceof Error ? e.message.slice(0, 300) : 'unreadable',
      finished_at: new Date(),
    })
    return 'failed'
  }
  const header = records.length ? Object.keys(records[0]) : (job.csv_text.split(/\r?\n/)[0] ?? '').split(',')
  const missing = missingColumns(header)
  if (missing.length || records.length > CATALOG_RULES.importMaxRows) {
    const errors: RowError[] = missing.length
      ? missing.map((column) => ({ row: 1, column, reason: 'missing_column' }))
      : [{ row: 1, column: '', reason: 'too_many_rows' }]
    await updateImport(db, importId, { status: 'failed', total_rows: records.length, errors, finished_at: new Date() })
    return 'failed'
  }

  const parsed = records.map((rec, i) => {
    const result = parseCatalogRow(rec, i + 2)
    return result.ok ? result : { ...result, styleCode: (rec.style_code ?? '').trim() || undefined }
  })
  const { groups, errors } = groupRows(parsed)
  const barcodes = groups.flatMap((g) => g.rows.map((r) => r.barcode))
  const styles = groups.map((g) => g.styleCode)
  const [existing, products] = await Promise.all([
    existingSkusForImport(db, job.brand_id, barcodes, styles, now),
    productsByStyle(db, job.brand_id, styles),
  ])
  const byBarcode = new Map<string, ExistingSku>(
    existing.map((k) => [
      k.barcode,
      {
        skuId: k.id,
        productId: k.product_id,
        barcode: k.barcode,
        size: k.size,
        colour: k.colour,
        heldAllocation: k.held,
      },
    ]),
  )
  const productIdByStyle = new Map(products.map((p) => [p.style_code!, p.id]))
  const accepted: ProductGroup[] = []
  for (const g of groups) {
    const productId = productIdByStyle.get(g.styleCode)
    const own = productId ? [...byBarcode.values()].filter((k) => k.productId === productId) : []
    const conflicts = conflictsWithExisting(g, productId, byBarcode, own)
    if (conflicts.length) {
      errors.push(...conflicts)
      const flagged = new Set(conflicts.map((c) => c.row))
      for (const r of g.rows)
        if (!flagged.has(r.row)) errors.push({ row: r.row, column: 'style_code', reason: 'product_has_errors' })
    } else accepted.push(g)
  }
  await updateImport(db, importId, {
    total_rows: records.length,
    processed_rows: records.length - accepted.reduce((s, g) => s + g.rows.length, 0),
  })

  // Batches of whole products, about importChunkRows rows each.
  let batch: ProductGroup[] = []
  let batchRows = 0
  const flush = async () => {
    if (!batch.length) return
    const groupsNow = batch
    batch = []
    batchRows = 0
    const rows = groupsNow.reduce((s, g) => s + g.rows.length, 0)
    try {
      await db.transaction().execute(async (trx) => {
        const r = await upsertImportBatch(
          trx,
          job.brand_id,
          groupsNow.map((g) => toProduct(job.brand_id, g)),
          groupsNow.flatMap(toSkus),
          now,
        )
        await addImportProgress(trx, importId, { processed: rows, ok: rows, ...r })
      })
    } catch {
      for (const g of groupsNow) {
        try {
          await db.transaction().execute(async (trx) => {
            const r = await upsertImportBatch(trx, job.brand_id, [toProduct(job.brand_id, g)], toSkus(g), now)
            await addImportProgress(trx, importId, { processed: g.rows.length, ok: g.rows.length, ...r })
          })
        } catch {
          errors.push(...g.rows.map((r) => ({ row: r.row, column: 'barcode', reason: 'write_failed' as const })))
          await addImportProgress(db, importId, { processed: g.rows.length, ok: 0, created: 0, updated: 0 })
        }
      }
    }
  }
  for (const g of accepted) {
    batch.push(g)
    batchRows += g.rows.length
    if (batchRows >= CATALOG_RULES.importChunkRows) await flush()
  }
  await flush()
  errors.sort((a, b) => a.row - b.row)
  await updateImport(db, importId, { status: 'done', processed_rows: records.length, errors, finished_at: new Date() })
  return 'done'
}

/** The error report as CSV (row, column, reason code, message). */
export function errorReportCsv(
  errors: RowError[] | { row: number; column: string; reason: string }[],
  message: (reason: string) => string,
): string {
  return toCsv(
    [['row', 'column', 'reason', 'message'], ...errors.map((e) => [e.row, e.column, e.reason, message(e.reason)])],
    { bom: false },
  )
}
