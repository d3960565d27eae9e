// The CSV import format and its row rules (pure). One row = one SKU; rows sharing a style_code form one product.
import { CATALOG_RULES, CATEGORIES, type Category } from './platform-rules'
import { unreadableCell } from './csv-encoding'
import { optionNameEn } from './option-names'
import { yuanToFen } from './session-items'

export const CSV_COLUMNS = [
  'style_code',
  'title',
  'title_en',
  'category',
  'tag_price',
  'tag_cut',
  'description',
  'size',
  'colour',
  'barcode',
  'stock',
  'size_en',
  'colour_en',
] as const
export type CsvColumn = (typeof CSV_COLUMNS)[number]
export const REQUIRED_COLUMNS: CsvColumn[] = [
  'style_code',
  'title',
  'category',
  'tag_price',
  'size',
  'colour',
  'barcode',
  'stock',
]

export const CSV_TEMPLATE =
  [
    CSV_COLUMNS.join(','),
    'ML-2026-001,羊毛混纺大衣,Wool-blend coat,womens,1299,0,经典双排扣,M,黑色,6901234500011,40,M,Black',
    'ML-2026-001,羊毛混纺大衣,Wool-blend coat,womens,1299,0,经典双排扣,L,黑色,6901234500028,35,L,Black',
    'ML-2026-002,真丝衬衫,Silk blouse,womens,599.00,1,剪标处理,S,米白,6901234500035,20,,',
  ].join('\n') + '\n'

export type RowProblem =
  | 'required'
  | 'too_long'
  | 'invalid_category'
  | 'invalid_price'
  | 'invalid_flag'
  | 'invalid_stock'
  | 'duplicate_barcode_in_file'
  | 'duplicate_size_colour'
  | 'inconsistent_product'
  | 'barcode_other_product'
  | 'size_colour_taken'
  | 'stock_below_allocated'
  | 'product_has_errors'
  | 'too_many_skus'
  | 'missing_column'
  | 'write_failed'
  | 'unreadable_file'
  | 'too_many_rows'
  | 'nul_byte'
  | 'bad_character'

export interface RowError {
  row: number
  column: string
  reason: RowProblem
}

export interface CatalogRow {
  row: number
  styleCode: string
  title: string
  titleEn: string
  category: Category
  tagPriceMinor: number
  tagCut: boolean
  description: string
  size: string
  colour: string
  /** English names: the file's when given, else the dictionary's ('' when it does not know the value). */
  sizeEn: string
  colourEn: string
  barcode: string
  stock: number
}

const LIMITS: Partial<Record<CsvColumn, number>> = {
  style_code: 64,
  title: 200,
  title_en: 200,
  description: 2000,
  size: 32,
  colour: 32,
  size_en: 32,
  colour_en: 32,
  barcode: 64,
}
const TRUE = new Set(['1', 'y', 'yes', 'true', '是'])
const FALSE = new Set(['', '0', 'n', 'no', 'false', '否'])

/** Missing header columns (null when all required ones are there). */
export function missingColumns(header: string[]): CsvColumn[] {
  const have = new Set(header.map((h) => h.trim().toLowerCase()))
  return REQUIRED_COLUMNS.filter((c) => !have.has(c))
}

/** Checks one CSV record (header → value); `row` is the 1-based line number in the file (header = 1). */
export function parseCatalogRow(
  record: Record<string, string | undefined>,
  row: number,
): { ok: true; value: CatalogRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = []
  const get = (c: CsvColumn) => (record[c] ?? '').trim()
  for (const c of CSV_COLUMNS) {
    const v = get(c)
    const unreadable = unreadableCell(v)
    if (unreadable) errors.push({ row, column: c, reason: unreadable })
    else if (REQUIRED_COLUMNS.includes(c) && v === '') errors.push({ row, column: c, reason: 'required' })
    else if (LIMITS[c] && v.length > LIMITS[c]!) errors.push({ row, column: c, reason: 'too_long' })
  }
  const bad = (c: CsvColumn) => errors.some((e) => e.column === c)
  const category = get('category').toLowerCase()
  if (!bad('category') && !(CATEGORIES as readonly string[]).includes(category))
    errors.push({ row, column: 'category', reason: 'invalid_category' })
  const tagPriceMinor = yuanToFen(get('tag_price'))
  if (!bad('tag_price') && (tagPriceMinor === null || tagPriceMinor <= 0))
    errors.push({ row, column: 'tag_price', reason: 'invalid_price' })
  const flag = get('tag_cut').toLowerCase()
  if (!TRUE.has(flag) && !FALSE.has(flag)) errors.push({ row, column: 'tag_cut', reason: 'invalid_flag' })
  const stockText = get('stock')
  const stock = Number(stockText)
  if (!bad('stock') && (!/^\d{1,7}$/.test(stockText) || !Number.isSafeInteger(stock)))
    errors.push({ row, column: 'stock', reason: 'invalid_stock' })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: {
      row,
      styleCode: get('style_code'),
      title: get('title'),
      titleEn: get('title_en'),
      category: category as Category,
      tagPriceMinor: tagPriceMinor!,
      tagCut: TRUE.has(flag),
      description: get('description'),
      size: get('size'),
      colour: get('colour'),
      sizeEn: optionNameEn(get('size'), get('size_en')),
      colourEn: optionNameEn(get('colour'), get('colour_en')),
      barcode: get('barcode'),
      stock,
    },
  }
}

export interface ProductGroup {
  styleCode: string
  rows: CatalogRow[]
}

/**
 * Groups valid rows by style code and rejects, as a whole, any product whose rows disagree on product
 * fields, repeat a size × colour, or share a barcode with another row of the file. A product with any
 * bad row (including rows that failed parsing) is not written at all: no half-written products.
 */
export function groupRows(
  parsed: Array<{ ok: true; value: CatalogRow } | { ok: false; errors: RowError[]; styleCode?: string }>,
): { groups: ProductGroup[]; errors: RowError[] } {
  const errors: RowError[] = []
  const byStyle = new Map<string, CatalogRow[]>()
  const poisoned = new Set<string>()
  const barcodeRows = new Map<string, number[]>()
  for (const p of parsed) {
    if (!p.ok) {
      errors.push(...p.errors)
      if (p.styleCode) poisoned.add(p.styleCode)
      continue
    }
    const list = byStyle.get(p.value.styleCode) ?? []
    list.push(p.value)
    byStyle.set(p.value.styleCode, list)
    barcodeRows.set(p.value.barcode, [...(barcodeRows.get(p.value.barcode) ?? []), p.value.row])
  }
  const groups: ProductGroup[] = []
  for (const [styleCode, rows] of byStyle) {
    const rowErrors: RowError[] = []
    const first = rows[0]
    const seen = new Set<string>()
    for (const r of rows) {
      if ((barcodeRows.get(r.barcode)?.length ?? 0) > 1)
        rowErrors.push({ row: r.row, column: 'barcode', reason: 'duplicate_barcode_in_file' })
      const key = `${r.size}\u0000${r.colour}`
      if (seen.has(key)) rowErrors.push({ row: r.row, column: 'size', reason: 'duplicate_size_colour' })
      seen.add(key)
      for (const [field, column] of [
        ['title', 'title'],
        ['category', 'category'],
        ['tagPriceMinor', 'tag_price'],
        ['tagCut', 'tag_cut'],
      ] as const) {
        if (r[field] !== first[field]) rowErrors.push({ row: r.row, column, reason: 'inconsistent_product' })
      }
    }
    if (rows.length > CATALOG_RULES.maxSkusPerProduct)
      rowErrors.push({ row: first.row, column: 'style_code', reason: 'too_many_skus' })
    if (rowErrors.length || poisoned.has(styleCode)) {
      errors.push(...rowErrors)
      const flagged = new Set(rowErrors.map((e) => e.row))
      for (const r of rows)
        if (!flagged.has(r.row)) errors.push({ row: r.row, column: 'style_code', reason: 'product_has_errors' })
      continue
    }
    groups.push({ styleCode, rows })
  }
  errors.sort((a, b) => a.row - b.row)
  return { groups, errors }
}

export interface ExistingSku {
  skuId: string
  productId: string
  barcode: string
  size: string
  colour: string
  heldAllocation: number
}

/**
 * Checks a product group against what the brand already has: a barcode must stay with its product,
 * a size × colour can belong to only one barcode, and stock may not drop below what sessions hold.
 */
export function conflictsWithExisting(
  group: ProductGroup,
  productIdForStyle: string | undefined,
  skusByBarcode: Map<string, ExistingSku>,
  skusOfProduct: ExistingSku[],
): RowError[] {
  const errors: RowError[] = []
  for (const r of group.rows) {
    const existing = skusByBarcode.get(r.barcode)
    if (existing && existing.productId !== productIdForStyle) {
      errors.push({ row: r.row, column: 'barcode', reason: 'barcode_other_product' })
      continue
    }
    const clash = skusOfProduct.find((k) => k.size === r.size && k.colour === r.colour && k.barcode !== r.barcode)
    // The clash is real only if the other barcode is not itself being moved by this file.
    if (clash && !group.rows.some((o) => o.barcode === clash.barcode))
      errors.push({ row: r.row, column: 'size', reason: 'size_colour_taken' })
    if (existing && r.stock < existing.heldAllocation)
      errors.push({ row: r.row, column: 'stock', reason: 'stock_below_allocated' })
  }
  return errors
}
