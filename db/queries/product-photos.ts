import type { Conn } from './conn'

/** Locks a product's row: its photos change one request at a time. */
export async function lockProductPhotos(db: Conn, productId: string) {
  await db.selectFrom('products').select('id').where('id', '=', productId).forUpdate().execute()
}

/** A product's photo ids in display order (the first is the cover). */
export async function listProductPhotos(db: Conn, productId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('product_photos')
    .select('path')
    .where('product_id', '=', productId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.path)
}

/** Photo ids of several products, in order, keyed by product. */
export async function listPhotosOfProducts(db: Conn, productIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (!productIds.length) return out
  const rows = await db
    .selectFrom('product_photos')
    .select(['product_id', 'path'])
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('position')
    .execute()
  for (const r of rows) out.set(r.product_id, [...(out.get(r.product_id) ?? []), r.path])
  return out
}

/** Replaces a product's photos with `paths` in that order and mirrors the cover into products.image_path. */
export async function replaceProductPhotos(
  trx: Conn,
  productId: string,
  paths: readonly string[],
  now: Date,
): Promise<void> {
  await trx.deleteFrom('product_photos').where('product_id', '=', productId).execute()
  if (paths.length)
    await trx
      .insertInto('product_photos')
      .values(paths.map((path, position) => ({ product_id: productId, position, path, created_at: now })))
      .execute()
  await trx
    .updateTable('products')
    .set({ image_path: paths[0] ?? null, updated_at: now })
    .where('id', '=', productId)
    .execute()
}
