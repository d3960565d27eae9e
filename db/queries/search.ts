import { sql } from 'kysely'
import type { SearchDocumentRow } from '#search/documents'
import type { Conn } from './conn'

/**
 * Rows for the search documents of indexable session items: scheduled sessions that have not
 * ended at `now`, of live brands. With `ids`, only those items (missing ones are not indexable).
 */
export async function listSearchDocumentRows(db: Conn, now: Date, ids?: string[]): Promise<SearchDocumentRow[]> {
  if (ids && ids.length === 0) return []
  const idFilter = ids ? sql`and i.id = any(${ids}::uuid[])` : sql``
  const { rows } = await sql<SearchDocumentRow>`
    select i.id, p.id as product_id, p.title, p.title_en, p.image_seed, b.id as brand_id, b.name as brand_name,
           b.name_en as brand_name_en, p.category, p.tag_cut, i.base_price_minor, i.currency, p.tag_price_minor,
           s.id as session_id, s.title as session_title, s.title_en as session_title_en, s.starts_at, s.ends_at,
           array_remove(array_agg(distinct k.size), null) as sizes,
           array_remove(array_agg(distinct k.colour), null) as colours,
           coalesce(bool_or(sk.available > 0), false) as in_stock
    from session_items i
    join products p on p.id = i.product_id
    join clearance_sessions s on s.id = i.session_id
    join brands b on b.id = s.brand_id
    left join session_item_skus sk on sk.session_item_id = i.id
    left join skus k on k.id = sk.sku_id
    where s.status = 'scheduled' and s.ends_at > ${now} and b.status = 'live' ${idFilter}
    group by i.id, p.id, b.id, s.id
    order by i.id`.execute(db)
  return rows
}

/** Takes up to `limit` outbox rows, skipping rows another drain holds (call inside a transaction). */
export function claimSearchOutbox(db: Conn, limit: number) {
  return db
    .selectFrom('search_outbox')
    .select(['id', 'session_item_id'])
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export async function deleteSearchOutbox(db: Conn, ids: number[]) {
  if (ids.length) await db.deleteFrom('search_outbox').where('id', 'in', ids).execute()
}

/** The newest outbox id (0 when empty): a follower's starting cursor, read before it builds its index. */
export async function maxSearchOutboxId(db: Conn): Promise<number> {
  const row = await db
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst()
  return Number(row?.max ?? 0)
}

/**
 * Outbox rows a follower has to look at: newer than its cursor, or written in the last `windowMs` (a
 * transaction that took its id early may commit after later ids were read). `floor` only bounds the
 * scan to the primary key: every id at or below it was taken before the window began.
 */
export function listFollowableSearchOutbox(db: Conn, cursor: number, windowMs: number, floor: number) {
  return db
    .selectFrom('search_outbox')
    .select(['id', 'session_item_id'])
    .where('id', '>', floor)
    .where((eb) =>
      eb.or([
        eb('id', '>', cursor),
        eb('created_at', '>', sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`),
      ]),
    )
    .orderBy('id')
    .execute()
}

/** Deletes outbox rows older than `olderThanMs` (followers have long read them); returns how many. */
export async function deleteSearchOutboxOlderThan(db: Conn, olderThanMs: number): Promise<number> {
  const result = await db
    .deleteFrom('search_outbox')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function countSearchOutbox(db: Conn): Promise<number> {
  const row = await db
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Display names for facet values that are ids. */
export async function facetLabels(db: Conn, brandIds: string[], sessionIds: string[]) {
  const [brands, sessions] = await Promise.all([
    brandIds.length
      ? db.selectFrom('brands').select(['id', 'name', 'name_en']).where('id', 'in', brandIds).execute()
      : [],
    sessionIds.length
      ? db.selectFrom('clearance_sessions').select(['id', 'title', 'title_en']).where('id', 'in', sessionIds).execute()
      : [],
  ])
  return { brands, sessions }
}

/**
 * The cover photo (first uploaded photo) of each product that has one: search hits show it, the index does not
 * hold it.
 */
export async function productCoverPaths(db: Conn, productIds: string[]): Promise<Map<string, string>> {
  if (!productIds.length) return new Map()
  const rows = await db
    .selectFrom('products')
    .select(['id', 'image_path'])
    .where('id', 'in', productIds)
    .where('image_path', 'is not', null)
    .execute()
  return new Map(rows.map((r) => [r.id, r.image_path!]))
}
