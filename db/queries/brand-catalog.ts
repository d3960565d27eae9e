import { sql } from 'kysely'
import type { Conn } from './conn'
import type { CategoryCode } from '../schema'

function brandProductsMatching(db: Conn, brandId: string, q?: string) {
  let query = db.selectFrom('products as p').where('p.brand_id', '=', brandId)
  if (q) {
    const like = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) =>
      eb.or([
        eb('p.title', 'ilike', like),
        eb('p.title_en', 'ilike', like),
        eb('p.style_code', 'ilike', like),
        eb.exists(
          eb.selectFrom('skus as k').whereRef('k.product_id', '=', 'p.id').where('k.barcode', '=', q).select('k.id'),
        ),
      ]),
    )
  }
  return query
}

export function listBrandProducts(db: Conn, brandId: string, opts: { q?: string; limit: number; offset: number }) {
  return brandProductsMatching(db, brandId, opts.q)
    .select([
      'p.id',
      'p.style_code',
      'p.title',
      'p.title_en',
      'p.category',
      'p.tag_price_minor',
      'p.currency',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
    ])
    .select((eb) =>
      eb
        .selectFrom('skus as k')
        .whereRef('k.product_id', '=', 'p.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .$asScalar()
        .as('sku_count'),
    )
    .select((eb) =>
      eb
        .selectFrom('skus as k')
        .whereRef('k.product_id', '=', 'p.id')
        .select(sql<number>`coalesce(sum(k.stock_on_hand), 0)::int`.as('n'))
        .$asScalar()
        .as('stock'),
    )
    .orderBy('p.created_at', 'desc')
    .orderBy('p.style_code')
    .orderBy('p.title')
    .orderBy('p.id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute()
}

/** How many products the same search finds (the list's total and its pages). */
export async function countBrandProducts(db: Conn, brandId: string, q?: string) {
  const r = await brandProductsMatching(db, brandId, q)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return r.n
}

export function findBrandProduct(db: Conn, brandId: string, productId: string) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('id', '=', productId)
    .where('brand_id', '=', brandId)
    .executeTakeFirst()
}

/** A product's SKUs with the units that live-or-future sessions hold of each. */
export function listSkusWithHeld(db: Conn, productIds: string[], now: Date) {
  if (!productIds.length) return Promise.resolve([])
  return db
    .selectFrom('skus as k')
    .select(['k.id', 'k.product_id', 'k.size', 'k.colour', 'k.size_en', 'k.colour_en', 'k.barcode', 'k.stock_on_hand'])
    .select(heldSql(now).as('held'))
    .select((eb) =>
      eb
        .exists(eb.selectFrom('session_item_skus as x').whereRef('x.sku_id', '=', 'k.id').select('x.id'))
        .as('in_session'),
    )
    .where('k.product_id', 'in', productIds)
    .orderBy('k.colour')
    .orderBy('k.size')
    .execute()
}

/**
 * Units of SKU `k` held by sessions that are not cancelled and have not ended at `now` (the ring-fence): what
 * they still have to sell. Sold units (paid or awaiting payment) have already left the SKU's stock on hand.
 */
export function heldSql(now: Date, skuRef = 'k.id') {
  return sql<number>`(select coalesce(sum(hs.available), 0)::int from session_item_skus hs
    join session_items hi on hi.id = hs.session_item_id join clearance_sessions hc on hc.id = hi.session_id
    where hs.sku_id = ${sql.ref(skuRef)} and hc.status <> 'cancelled' and hc.ends_at > ${now})`
}

export function listBrandSkusByBarcode(db: Conn, brandId: string, barcodes: string[]) {
  if (!barcodes.length) return Promise.resolve([])
  return db
    .selectFrom('skus')
    .select(['id', 'product_id', 'barcode'])
    .where('brand_id', '=', brandId)
    .where('barcode', 'in', barcodes)
    .execute()
}

/** Whether the brand has this product, locking it until the transaction ends. */
export async function lockBrandProduct(db: Conn, brandId: string, productId: string): Promise<boolean> {
  const r = await db
    .selectFrom('products')
    .select('id')
    .where('id', '=', productId)
    .where('brand_id', '=', brandId)
    .forUpdate()
    .executeTakeFirst()
  return r !== undefined
}

/** Whether another of the brand's products (not `exceptId`) uses this style code. */
export async function styleCodeTaken(db: Conn, brandId: string, styleCode: string, exceptId: string | null) {
  const r = await db
    .selectFrom('products')
    .select('id')
    .where('brand_id', '=', brandId)
    .where('style_code', '=', styleCode)
    .$if(Boolean(exceptId), (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst()
  return r !== undefined
}

/** What a brand's product form sets on the product. */
export interface ProductFields {
  style_code: string
  title: string
  title_en: string
  description: string
  description_en: string | null
  category: CategoryCode
  tag_price_minor: number
  tag_cut: boolean
}

/** A product's fields (and its photo, when a new one was uploaded). */
export async function updateProduct(
  db: Conn,
  productId: string,
  fields: ProductFields,
  imagePath: string | null | undefined,
  now: Date,
) {
  await db
    .updateTable('products')
    .set({ ...fields, updated_at: now, ...(imagePath ? { image_path: imagePath } : {}) })
    .where('id', '=', productId)
    .execute()
}

/** A new product of the brand; returns its id. */
export async function insertProduct(
  db: Conn,
  v: { brandId: string; fields: ProductFields; imageSeed: string; imagePath: string | null },
) {
  const row = await db
    .insertInto('products')
    .values({ ...v.fields, brand_id: v.brandId, image_seed: v.imageSeed, image_path: v.imagePath })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Removes SKUs. */
export async function deleteSkus(db: Conn, skuIds: string[]) {
  await db.deleteFrom('skus').where('id', 'in', skuIds).execute()
}

/** Moves a SKU's size and colour out of the way, so another SKU of the product can take them. */
export async function parkSkuOptions(db: Conn, skuId: string) {
  await db
    .updateTable('skus')
    .set({ size: `~${skuId}`, colour: '~' })
    .where('id', '=', skuId)
    .execute()
}

/** What a product form sets on a SKU. */
export interface SkuFields {
  size: string
  colour: string
  size_en: string
  colour_en: string
  barcode: string
  stock_on_hand: number
}

/** A SKU's options, barcode and stock on hand. */
export async function updateSku(db: Conn, skuId: string, fields: SkuFields) {
  await db.updateTable('skus').set(fields).where('id', '=', skuId).execute()
}

/** New SKUs of a product. */
export async function insertSkus(db: Conn, productId: string, skus: SkuFields[]) {
  await db
    .insertInto('skus')
    .values(skus.map((k) => ({ product_id: productId, ...k })))
    .execute()
}
