import { sql } from 'kysely'
import type { Conn } from './conn'
import type { NewResellerProfile } from '../schema/reseller'

export function findResellerProfile(db: Conn, userId: string) {
  return db.selectFrom('reseller_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

export function upsertResellerProfile(db: Conn, values: NewResellerProfile & { updated_at: Date }) {
  const { user_id: _id, ...rest } = values
  return db
    .insertInto('reseller_profiles')
    .values(values)
    .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A session with its brand, for the reseller's picker and the share page. */
export function findResellerSession(db: Conn, sessionId: string) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select([
      's.id',
      's.title',
      's.title_en',
      's.status',
      's.starts_at',
      's.ends_at',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'b.status as brand_status',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
}

/** Items of a session (optionally only some), with the pricing inputs and the member's saved retail price. */
export function listPricingItems(db: Conn, sessionId: string, userId: string, itemIds?: string[]) {
  let q = db
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .leftJoin('reseller_prices as rp', (j) => j.onRef('rp.session_item_id', '=', 'i.id').on('rp.user_id', '=', userId))
    .select([
      'i.id',
      'i.base_price_minor',
      'i.currency',
      'i.min_retail_price_minor',
      'i.position',
      'p.title',
      'p.title_en',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
      'p.category',
      'rp.retail_price_minor as saved_retail_minor',
    ])
    .where('i.session_id', '=', sessionId)
  if (itemIds) q = q.where('i.id', 'in', itemIds.length ? itemIds : ['00000000-0000-0000-0000-000000000000'])
  return q.orderBy('i.position').orderBy('p.title').execute()
}

/** Per-SKU availability of some session items, in size order (for "sizes left"). */
export function listItemSizes(db: Conn, itemIds: string[]) {
  if (!itemIds.length) return Promise.resolve([])
  return db
    .selectFrom('session_item_skus as k')
    .innerJoin('skus as s', 's.id', 'k.sku_id')
    .select(['k.session_item_id', 's.size', 'k.available'])
    .where('k.session_item_id', 'in', itemIds)
    .orderBy('k.session_item_id')
    .orderBy('s.size')
    .execute()
}

export async function upsertResellerPrices(
  db: Conn,
  userId: string,
  prices: { itemId: string; priceMinor: number; currency: string }[],
  now: Date,
) {
  if (!prices.length) return
  await db
    .insertInto('reseller_prices')
    .values(
      prices.map((p) => ({
        user_id: userId,
        session_item_id: p.itemId,
        retail_price_minor: p.priceMinor,
        currency: p.currency,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['user_id', 'session_item_id']).doUpdateSet((eb) => ({
        retail_price_minor: eb.ref('excluded.retail_price_minor'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}

export async function insertShareLink(
  db: Conn,
  link: {
    token: string
    userId: string
    sessionId: string
    kind: 'item' | 'list'
    now: Date
    items: { itemId: string; priceMinor: number; currency: string }[]
  },
) {
  const row = await db
    .insertInto('share_links')
    .values({
      token: link.token,
      user_id: link.userId,
      session_id: link.sessionId,
      kind: link.kind,
      created_at: link.now,
    })
    .returning(['id', 'token'])
    .executeTakeFirstOrThrow()
  await db
    .insertInto('share_link_items')
    .values(
      link.items.map((it, position) => ({
        share_link_id: row.id,
        session_item_id: it.itemId,
        position,
        retail_price_minor: it.priceMinor,
        currency: it.currency,
      })),
    )
    .execute()
  return row
}

const linkColumns = [
  'l.id',
  'l.token',
  'l.user_id',
  'l.session_id',
  'l.kind',
  'l.views',
  'l.revoked_at',
  'l.created_at',
] as const

export function findShareLinkByToken(db: Conn, token: string) {
  return db.selectFrom('share_links as l').select(linkColumns).where('l.token', '=', token).executeTakeFirst()
}

export function findOwnShareLink(db: Conn, linkId: string, userId: string) {
  return db
    .selectFrom('share_links as l')
    .select(linkColumns)
    .where('l.id', '=', linkId)
    .where('l.user_id', '=', userId)
    .executeTakeFirst()
}

/** The items of some share links, with what a card needs (never a wholesale price). */
export function listShareLinkItems(db: Conn, linkIds: string[]) {
  if (!linkIds.length) return Promise.resolve([])
  return db
    .selectFrom('share_link_items as li')
    .innerJoin('session_items as i', 'i.id', 'li.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'li.share_link_id',
      'li.session_item_id',
      'li.position',
      'li.retail_price_minor',
      'li.currency',
      'li.views',
      'p.title',
      'p.title_en',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
    ])
    .where('li.share_link_id', 'in', linkIds)
    .orderBy('li.share_link_id')
    .orderBy('li.position')
    .execute()
}

export function listOwnShareLinks(db: Conn, userId: string, limit = 100) {
  return db
    .selectFrom('share_links as l')
    .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
    .select([...linkColumns, 's.title as session_title', 's.title_en as session_title_en', 's.ends_at'])
    .where('l.user_id', '=', userId)
    .orderBy('l.created_at', 'desc')
    .limit(limit)
    .execute()
}

/** Revokes a link of this member; false when it is not theirs or unknown. Idempotent. */
export async function revokeShareLink(db: Conn, linkId: string, userId: string, now: Date) {
  const r = await db
    .updateTable('share_links')
    .set({ revoked_at: sql`coalesce(revoked_at, ${now})` as unknown as Date })
    .where('id', '=', linkId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** One view of a share page: the page counter and each item shown on it. */
/** `views` more views of a link (and of each of its items). */
export async function addShareViews(db: Conn, linkId: string, views: number) {
  await db
    .updateTable('share_links')
    .set((eb) => ({ views: eb('views', '+', views) }))
    .where('id', '=', linkId)
    .execute()
  await db
    .updateTable('share_link_items')
    .set((eb) => ({ views: eb('views', '+', views) }))
    .where('share_link_id', '=', linkId)
    .execute()
}

/** Sessions a reseller can forward from: scheduled and not yet ended. */
export function listForwardableSessions(db: Conn, now: Date) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select([
      's.id',
      's.title',
      's.title_en',
      's.starts_at',
      's.ends_at',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
    ])
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .where('b.status', '=', 'live')
    .orderBy('s.starts_at')
    .execute()
}

/** The public name of a link's owner (never the level). */
export function findOwnerName(db: Conn, userId: string) {
  return db.selectFrom('users').select(['id', 'display_name']).where('id', '=', userId).executeTakeFirst()
}
