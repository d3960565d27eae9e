import { sql } from 'kysely'
import type { Conn } from './conn'

const sessionColumns = [
  's.id',
  's.title',
  's.title_en',
  's.banner_seed',
  's.status',
  's.starts_at',
  's.ends_at',
  's.brand_id',
  'b.name as brand_name',
  'b.name_en as brand_name_en',
  'b.slug as brand_slug',
  's.banner_path',
] as const

/** Scheduled sessions that are live at `now` or start after it, soonest first. */
export function listVisibleSessions(db: Conn, now: Date, limit = 50) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select(sessionColumns)
    .select((eb) =>
      eb
        .selectFrom('session_items as i')
        .whereRef('i.session_id', '=', 's.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('item_count'),
    )
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .where('b.status', '=', 'live')
    .orderBy('s.starts_at')
    .limit(limit)
    .execute()
}

/**
 * For session cards: each session's first three items (their pictures preview the session) and its deepest cut,
 * the lowest base price as a share of the tag price (basis points, rounded up) over items that are not tag-cut.
 */
export async function sessionCardExtras(db: Conn, sessionIds: string[]) {
  if (!sessionIds.length) return { previews: [], lowest: [] }
  const [previews, lowest] = await Promise.all([
    db
      .selectFrom((eb) =>
        eb
          .selectFrom('session_items as i')
          .innerJoin('products as p', 'p.id', 'i.product_id')
          .select([
            'i.session_id',
            'p.id as product_id',
            'p.title',
            'p.title_en',
            'p.image_path',
            'p.image_seed',
            sql<number>`row_number() over (partition by i.session_id order by i.position, p.title)`.as('n'),
          ])
          .where('i.session_id', 'in', sessionIds)
          .as('x'),
      )
      .selectAll()
      .where('n', '<=', 3)
      .orderBy('session_id')
      .orderBy('n')
      .execute(),
    db
      .selectFrom('session_items as i')
      .innerJoin('products as p', 'p.id', 'i.product_id')
      .select([
        'i.session_id',
        sql<number>`min(ceil(i.base_price_minor * 10000.0 / p.tag_price_minor))::int`.as('ratio_bps'),
      ])
      .where('i.session_id', 'in', sessionIds)
      .where('p.tag_cut', '=', false)
      .where('p.tag_price_minor', '>', 0)
      .groupBy('i.session_id')
      .execute(),
  ])
  return { previews, lowest }
}

export function findSession(db: Conn, sessionId: string) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select(sessionColumns)
    .select(['b.status as brand_status'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
}

/** A session's items with their product and the stock summed over SKUs. */
export function listSessionItems(db: Conn, sessionId: string) {
  return db
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'i.id',
      'i.base_price_minor',
      'i.currency',
      'i.position',
      'p.id as product_id',
      'p.title',
      'p.title_en',
      'p.category',
      'p.tag_price_minor',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
    ])
    .select((eb) =>
      eb
        .selectFrom('session_item_skus as k')
        .whereRef('k.session_item_id', '=', 'i.id')
        .select(sql<number>`coalesce(sum(k.available), 0)::int`.as('n'))
        .$asScalar()
        .as('available'),
    )
    .where('i.session_id', '=', sessionId)
    .orderBy('i.position')
    .orderBy('p.title')
    .execute()
}

export function findProduct(db: Conn, productId: string) {
  return db
    .selectFrom('products as p')
    .innerJoin('brands as b', 'b.id', 'p.brand_id')
    .select([
      'p.id',
      'p.title',
      'p.title_en',
      'p.description',
      'p.description_en',
      'p.category',
      'p.tag_price_minor',
      'p.currency',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
      'p.brand_id',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'b.status as brand_status',
    ])
    .where('p.id', '=', productId)
    .executeTakeFirst()
}

export function listProductSkus(db: Conn, productId: string) {
  return db
    .selectFrom('skus')
    .select(['id', 'size', 'colour', 'size_en', 'colour_en', 'barcode'])
    .where('product_id', '=', productId)
    .orderBy('colour')
    .orderBy('size')
    .execute()
}

/** The product's appearances in scheduled sessions that have not ended, with per-SKU availability. */
export function listProductSessionStock(db: Conn, productId: string, now: Date) {
  return db
    .selectFrom('session_items as i')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('session_item_skus as k', 'k.session_item_id', 'i.id')
    .select([
      'i.id as item_id',
      'i.base_price_minor',
      'i.currency',
      's.id as session_id',
      's.title',
      's.title_en',
      's.status',
      's.starts_at',
      's.ends_at',
      'k.sku_id',
      'k.available',
    ])
    .where('i.product_id', '=', productId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .orderBy('s.starts_at')
    .execute()
}
