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
    .select(
      sql<number>`(select coalesce(sum(k.allocated), 0)::int from session_item_skus k join session_items i on i.id = k.session_item_id where i.session_id = s.id)`.as(
        'allocated',
      ),
    )
    .select(
      sql<number>`(select coalesce(sum(k.available), 0)::int from session_item_skus k join session_items i on i.id = k.session_item_id where i.session_id = s.id)`.as(
        'available',
      ),
    )
    .select(
      sql<number>`(select coalesce(sum(k.released), 0)::int from session_item_skus k join session_items i on i.id = k.session_item_id where i.session_id = s.id)`.as(
        'released',
      ),
    )
    .where('s.brand_id', '=', brandId)
    .orderBy('s.starts_at', 'desc')
    .execute()
}

export function findBrandSession(db: Conn, brandId: string, sessionId: string) {
  return db
    .selectFrom('clearance_sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .where('brand_id', '=', brandId)
    .executeTakeFirst()
}

export function lockBrandSession(db: Conn, brandId: string, sessionId: string) {
  return db
    .selectFrom('clearance_sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .where('brand_id', '=', brandId)
    .forUpdate()
    .executeTakeFirst()
}

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
