import { sql } from 'kysely'
import type { Conn } from './conn'
import { heldSql } from './brand-catalog'

export function listBrandSessions(db: Conn, brandId: string) {
  return db
    .selectFrom('clearance_sessions as s')
    .select([
      's.id',
      's.title',
      's.title_en',
      's.status',
      's.starts_at',
      's.ends_at',
      's.after_sale_deadline_at',
      's.banner_seed',
      's.banner_path',
      's.released_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('session_items as i')
        .whereRef('i.session_id', '=', 's.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .$asScalar()
        .as('item_count'),
    )
    .select([
      sessionUnits('allocated').as('allocated'),
      sessionUnits('available').as('available'),
      sessionUnits('released').as('released'),
    ])
    .where('s.brand_id', '=', brandId)
    .orderBy('s.starts_at', 'desc')
    .execute()
}

/** The units of every SKU of session `s`: allocated to it, still for sale, or given back to the brand. */
function sessionUnits(column: 'allocated' | 'available' | 'released') {
  return sql<number>`(select coalesce(sum(${sql.ref(`k.${column}`)}), 0)::int
    from session_item_skus k join session_items i on i.id = k.session_item_id where i.session_id = s.id)`
}

export function findBrandSession(db: Conn, brandId: string, sessionId: string, opts: { lock?: boolean } = {}) {
  const q = db.selectFrom('clearance_sessions').selectAll().where('id', '=', sessionId).where('brand_id', '=', brandId)
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst()
}

/** The brand's session, locked until the transaction ends. */
export const lockBrandSession = (db: Conn, brandId: string, sessionId: string) =>
  findBrandSession(db, brandId, sessionId, { lock: true })

export function listSessionItemsWithSkus(db: Conn, sessionId: string) {
  return db
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .innerJoin('session_item_skus as x', 'x.session_item_id', 'i.id')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select([
      'i.id as item_id',
      'i.base_price_minor',
      'i.min_retail_price_minor',
      'i.per_member_cap',
      'i.currency',
      'i.position',
      'p.id as product_id',
      'p.title',
      'p.title_en',
      'p.style_code',
      'p.tag_price_minor',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
      'x.id as item_sku_id',
      'x.allocated',
      'x.available',
      'x.released',
      'k.id as sku_id',
      'k.size',
      'k.colour',
      'k.size_en',
      'k.colour_en',
      'k.barcode',
      'k.stock_on_hand',
    ])
    .where('i.session_id', '=', sessionId)
    .orderBy('i.position')
    .orderBy('p.title')
    .orderBy('k.colour')
    .orderBy('k.size')
    .execute()
}

/** The product's SKUs locked for allocation, with what other live-or-future sessions hold. */
export async function lockSkusForAllocation(db: Conn, productId: string, skuIds: string[], now: Date) {
  // Lock first, then read what is held in a second statement: under READ COMMITTED that statement takes a
  // fresh snapshot, so it sees allocations committed by whoever held the lock before us.
  await db
    .selectFrom('skus')
    .select('id')
    .where('product_id', '=', productId)
    .where('id', 'in', skuIds)
    .orderBy('id')
    .forUpdate()
    .execute()
  return db
    .selectFrom('skus as k')
    .select(['k.id', 'k.product_id', 'k.stock_on_hand'])
    .select(heldSql(now).as('held'))
    .where('k.product_id', '=', productId)
    .where('k.id', 'in', skuIds)
    .orderBy('k.id')
    .execute()
}

export function brandProductOptions(db: Conn, brandId: string) {
  return db
    .selectFrom('products')
    .select(['id', 'title', 'title_en', 'style_code', 'tag_price_minor', 'tag_cut'])
    .where('brand_id', '=', brandId)
    .orderBy('created_at', 'desc')
    .orderBy('title')
    .limit(500)
    .execute()
}

export function listSkusWithFree(db: Conn, productId: string, now: Date) {
  return db
    .selectFrom('skus as k')
    .select(['k.id', 'k.size', 'k.colour', 'k.size_en', 'k.colour_en', 'k.barcode', 'k.stock_on_hand'])
    .select(heldSql(now).as('held'))
    .where('k.product_id', '=', productId)
    .orderBy('k.colour')
    .orderBy('k.size')
    .execute()
}

/** The brand's status, read with a share lock so it cannot change while a session of it is being scheduled. */
export function brandStatusForUpdate(db: Conn, brandId: string) {
  return db.selectFrom('brands').select(['id', 'status']).where('id', '=', brandId).forShare().executeTakeFirst()
}

/** A new draft session of the brand; returns its id. */
export async function insertDraftSession(
  db: Conn,
  v: {
    brandId: string
    title: string
    titleEn: string
    bannerSeed: string
    bannerPath: string | null
    startsAt: Date
    endsAt: Date
    afterSaleDeadlineAt: Date
  },
) {
  const row = await db
    .insertInto('clearance_sessions')
    .values({
      brand_id: v.brandId,
      title: v.title,
      title_en: v.titleEn,
      status: 'draft',
      banner_seed: v.bannerSeed,
      banner_path: v.bannerPath,
      starts_at: v.startsAt,
      ends_at: v.endsAt,
      after_sale_deadline_at: v.afterSaleDeadlineAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A session's titles and window. */
export async function setSessionDetails(
  db: Conn,
  sessionId: string,
  v: { title: string; titleEn: string; startsAt: Date; endsAt: Date; afterSaleDeadlineAt: Date },
) {
  await db
    .updateTable('clearance_sessions')
    .set({
      title: v.title,
      title_en: v.titleEn,
      starts_at: v.startsAt,
      ends_at: v.endsAt,
      after_sale_deadline_at: v.afterSaleDeadlineAt,
    })
    .where('id', '=', sessionId)
    .execute()
}

/** A draft becomes scheduled. */
export async function markSessionScheduled(db: Conn, sessionId: string) {
  await db.updateTable('clearance_sessions').set({ status: 'scheduled' }).where('id', '=', sessionId).execute()
}

/** A session is cancelled; its unsold units count as released from now. */
export async function markSessionCancelled(db: Conn, sessionId: string, now: Date) {
  await db
    .updateTable('clearance_sessions')
    .set({ status: 'cancelled', released_at: now })
    .where('id', '=', sessionId)
    .execute()
}

/** One of the brand's products, with the prices an item's prices are checked against. */
export function findBrandProductPrices(db: Conn, brandId: string, productId: string) {
  return db
    .selectFrom('products')
    .select(['id', 'tag_price_minor', 'tag_cut'])
    .where('id', '=', productId)
    .where('brand_id', '=', brandId)
    .executeTakeFirst()
}

/** Whether the product is already an item of the session. */
export async function sessionHasProduct(db: Conn, sessionId: string, productId: string) {
  const r = await db
    .selectFrom('session_items')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('product_id', '=', productId)
    .executeTakeFirst()
  return r !== undefined
}

/** The position after the session's last item (0 for the first). */
export async function nextItemPosition(db: Conn, sessionId: string) {
  const r = await db
    .selectFrom('session_items')
    .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(-1)).as('p'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(r.p) + 1
}

/** A new item of a session with its SKUs' allocations; returns the item's id and its SKU rows. */
export async function insertSessionItem(
  db: Conn,
  v: {
    sessionId: string
    productId: string
    basePriceMinor: number
    minRetailPriceMinor: number | null
    perMemberCap: number | null
    position: number
    skus: { skuId: string; quantity: number }[]
  },
) {
  const item = await db
    .insertInto('session_items')
    .values({
      session_id: v.sessionId,
      product_id: v.productId,
      base_price_minor: v.basePriceMinor,
      min_retail_price_minor: v.minRetailPriceMinor,
      per_member_cap: v.perMemberCap,
      position: v.position,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const skus = await db
    .insertInto('session_item_skus')
    .values(
      v.skus.map((k) => ({ session_item_id: item.id, sku_id: k.skuId, allocated: k.quantity, available: k.quantity })),
    )
    .returning(['id', 'allocated'])
    .execute()
  return { id: item.id, skus }
}

/** One item of the session, locked, with its product's prices. */
export function lockSessionItem(db: Conn, sessionId: string, itemId: string) {
  return db
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select(['i.id', 'p.tag_price_minor', 'p.tag_cut'])
    .where('i.id', '=', itemId)
    .where('i.session_id', '=', sessionId)
    .forUpdate()
    .executeTakeFirst()
}

/** An item's prices and per-member cap. */
export async function setItemPrices(
  db: Conn,
  itemId: string,
  v: { basePriceMinor: number; minRetailPriceMinor: number | null; perMemberCap: number | null },
) {
  await db
    .updateTable('session_items')
    .set({
      base_price_minor: v.basePriceMinor,
      min_retail_price_minor: v.minRetailPriceMinor,
      per_member_cap: v.perMemberCap,
    })
    .where('id', '=', itemId)
    .execute()
}

/** Removes an item (its SKU rows go with it). */
export async function deleteSessionItem(db: Conn, itemId: string) {
  await db.deleteFrom('session_items').where('id', '=', itemId).execute()
}

/** One SKU row of the session, locked, with its catalog SKU and product. */
export function lockSessionItemSku(db: Conn, sessionId: string, sessionItemSkuId: string) {
  return db
    .selectFrom('session_item_skus as x')
    .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select(['x.id', 'k.id as sku_id', 'k.product_id'])
    .where('x.id', '=', sessionItemSkuId)
    .where('i.session_id', '=', sessionId)
    .forUpdate('x')
    .executeTakeFirst()
}

/** More units allocated to a session SKU, all of them available. */
export async function addToAllocation(db: Conn, sessionItemSkuId: string, quantity: number) {
  await db
    .updateTable('session_item_skus')
    .set((eb) => ({ allocated: eb('allocated', '+', quantity), available: eb('available', '+', quantity) }))
    .where('id', '=', sessionItemSkuId)
    .execute()
}
