import type { Db } from '#db/client'
import {
  countBrandProducts,
  findBrandProduct,
  listBrandProducts,
  listBrandSkusByBarcode,
  listSkusWithHeld,
  deleteSkus,
  insertProduct,
  insertSkus,
  lockBrandProduct,
  parkSkuOptions,
  styleCodeTaken,
  updateProduct,
  updateSku,
  type ProductFields,
  type SkuFields,
} from '#db/queries/brand-catalog'
import { FieldRuleError } from '#app/domain/errors'
import { optionNameEn } from '#app/domain/option-names'
import type { ProductFormInput } from '#app/schemas/catalog'

export const PAGE_SIZE = 30

export async function brandProductList(db: Db, brandId: string, opts: { q?: string; page: number }) {
  const [rows, total] = await Promise.all([
    listBrandProducts(db, brandId, { q: opts.q, limit: PAGE_SIZE, offset: (opts.page - 1) * PAGE_SIZE }),
    countBrandProducts(db, brandId, opts.q),
  ])
  return {
    total,
    products: rows.map((p) => ({
      id: p.id,
      styleCode: p.style_code,
      title: p.title,
      titleEn: p.title_en,
      category: p.category,
      tagPriceMinor: p.tag_price_minor,
      currency: p.currency,
      tagCut: p.tag_cut,
      imageSeed: p.image_seed,
      imagePath: p.image_path,
      skuCount: p.sku_count ?? 0,
      stock: p.stock ?? 0,
    })),
  }
}

/** One of the brand's products with its SKUs; null when missing or another brand's. */
export async function brandProduct(db: Db, brandId: string, productId: string, now: Date) {
  const p = await findBrandProduct(db, brandId, productId)
  if (!p) return null
  const skus = await listSkusWithHeld(db, [p.id], now)
  return {
    id: p.id,
    styleCode: p.style_code,
    title: p.title,
    titleEn: p.title_en,
    description: p.description,
    descriptionEn: p.description_en ?? '',
    category: p.category,
    tagPriceMinor: p.tag_price_minor,
    currency: p.currency,
    tagCut: p.tag_cut,
    imageSeed: p.image_seed,
    imagePath: p.image_path,
    skus: skus.map((k) => ({
      id: k.id,
      size: k.size,
      colour: k.colour,
      sizeEn: k.size_en,
      colourEn: k.colour_en,
      barcode: k.barcode,
      stock: k.stock_on_hand,
      held: k.held ?? 0,
      inSession: Boolean(k.in_session),
    })),
  }
}

export async function brandOwnsProduct(db: Db, brandId: string, productId: string): Promise<boolean> {
  return Boolean(await findBrandProduct(db, brandId, productId))
}

function seedFor(category: string, styleCode: string) {
  return `${category}::0:${styleCode}`.slice(0, 100)
}

/**
 * Creates (productId null) or updates one of the brand's products and its SKU matrix in one transaction.
 * Barcodes are unique per brand; a SKU that a session uses cannot be removed, and stock cannot drop below
 * what live or future sessions hold.
 */
export async function saveProduct(
  db: Db,
  brandId: string,
  productId: string | null,
  input: ProductFormInput & { imagePath?: string | null },
  now: Date,
): Promise<string> {
  const fields: Record<string, string> = {}
  const barcodes = new Map<string, number>()
  const combos = new Map<string, number>()
  input.skus.forEach((k, i) => {
    if (barcodes.has(k.barcode)) fields[`skus[${i}].barcode`] = 'duplicate_barcode'
    barcodes.set(k.barcode, i)
    const combo = `${k.size}\u0000${k.colour}`
    if (combos.has(combo)) fields[`skus[${i}].size`] = 'duplicate_size_colour'
    combos.set(combo, i)
  })
  if (Object.keys(fields).length) throw new FieldRuleError('invalid SKU matrix', fields)
  const given = new Map(input.optionNames.map((o) => [`${o.kind}\u0000${o.value}`, o.en]))
  const english = (k: { size: string; colour: string }) => ({
    size_en: optionNameEn(k.size, given.get(`size\u0000${k.size}`)),
    colour_en: optionNameEn(k.colour, given.get(`colour\u0000${k.colour}`)),
  })

  const skuFields = (k: { size: string; colour: string; barcode: string; stock: number }): SkuFields => ({
    size: k.size,
    colour: k.colour,
    ...english(k),
    barcode: k.barcode,
    stock_on_hand: k.stock,
  })

  return db.transaction().execute(async (trx) => {
    let id = productId
    if (id) {
      if (!(await lockBrandProduct(trx, brandId, id))) throw new Response('Not found', { status: 404 })
    }
    if (await styleCodeTaken(trx, brandId, input.styleCode, id ?? null))
      throw new FieldRuleError('style code taken', { styleCode: 'style_code_taken' })
    const taken = await listBrandSkusByBarcode(trx, brandId, [...barcodes.keys()])
    for (const t of taken) {
      if (t.product_id !== id) fields[`skus[${barcodes.get(t.barcode)}].barcode`] = 'barcode_taken'
    }
    const current = id ? await listSkusWithHeld(trx, [id], now) : []
    const byId = new Map(current.map((k) => [k.id, k]))
    input.skus.forEach((k, i) => {
      const old = k.id ? byId.get(k.id) : current.find((c) => c.barcode === k.barcode)
      if (k.id && !old) fields[`skus[${i}].barcode`] = 'unknown_sku'
      if (old && k.stock < (old.held ?? 0)) fields[`skus[${i}].stock`] = 'stock_below_allocated'
    })
    const keptIds = new Set(
      input.skus.map((k) => k.id ?? current.find((c) => c.barcode === k.barcode)?.id).filter(Boolean),
    )
    const removed = current.filter((c) => !keptIds.has(c.id))
    if (removed.some((r) => r.in_session)) fields.skus = 'sku_in_session'
    if (Object.keys(fields).length) throw new FieldRuleError('invalid product', fields)

    const values: ProductFields = {
      style_code: input.styleCode,
      title: input.title,
      title_en: input.titleEn,
      description: input.description,
      description_en: input.descriptionEn || null,
      category: input.category,
      tag_price_minor: input.tagPrice,
      tag_cut: input.tagCut,
    }
    if (id) {
      await updateProduct(trx, id, values, input.imagePath, now)
    } else {
      id = await insertProduct(trx, {
        brandId,
        fields: values,
        imageSeed: seedFor(input.category, input.styleCode),
        imagePath: input.imagePath ?? null,
      })
    }
    if (removed.length)
      await deleteSkus(
        trx,
        removed.map((r) => r.id),
      )
    // Two passes keep (product, size, colour) unique while SKUs swap sizes: park updated rows first.
    const updates = input.skus
      .map((k) => ({ k, old: k.id ? byId.get(k.id) : current.find((c) => c.barcode === k.barcode) }))
      .filter((u) => u.old)
    for (const { old } of updates) await parkSkuOptions(trx, old!.id)
    for (const { k, old } of updates) {
      await updateSku(trx, old!.id, skuFields(k))
    }
    const inserts = input.skus.filter((k) => !updates.some((u) => u.k === k))
    if (inserts.length) {
      await insertSkus(
        trx,
        id!,
        inserts.map((k) => skuFields(k)),
      )
    }
    return id!
  })
}
