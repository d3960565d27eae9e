import { sql } from 'kysely'
import type { Conn } from './conn'

// ---------------------------------------------------------------- handles

export function findCurrentHandle(db: Conn, userId: string) {
  return db
    .selectFrom('shop_handles')
    .select(['handle', 'created_at'])
    .where('user_id', '=', userId)
    .where('is_current', '=', true)
    .executeTakeFirst()
}

/** A handle, current or former, with the owner's current handle (to redirect a former one). */
export function findHandleOwner(db: Conn, handle: string) {
  return db
    .selectFrom('shop_handles as h')
    .leftJoin('shop_handles as c', (j) => j.onRef('c.user_id', '=', 'h.user_id').on('c.is_current', '=', true))
    .select(['h.user_id', 'h.is_current', 'c.handle as current_handle'])
    .where('h.handle', '=', handle)
    .executeTakeFirst()
}

export function lockHandle(db: Conn, handle: string) {
  return db
    .selectFrom('shop_handles')
    .select(['handle', 'user_id', 'is_current'])
    .where('handle', '=', handle)
    .forUpdate()
    .executeTakeFirst()
}

export async function retireCurrentHandle(db: Conn, userId: string, now: Date) {
  await db
    .updateTable('shop_handles')
    .set({ is_current: false, retired_at: now })
    .where('user_id', '=', userId)
    .where('is_current', '=', true)
    .execute()
}

export async function reviveHandle(db: Conn, handle: string, userId: string) {
  await db
    .updateTable('shop_handles')
    .set({ is_current: true, retired_at: null })
    .where('handle', '=', handle)
    .where('user_id', '=', userId)
    .execute()
}

export async function insertHandle(db: Conn, handle: string, userId: string, now: Date) {
  await db.insertInto('shop_handles').values({ handle, user_id: userId, is_current: true, created_at: now }).execute()
}

export function listFormerHandles(db: Conn, userId: string) {
  return db
    .selectFrom('shop_handles')
    .select(['handle', 'retired_at'])
    .where('user_id', '=', userId)
    .where('is_current', '=', false)
    .orderBy('retired_at', 'desc')
    .execute()
}

// ---------------------------------------------------------------- shelves

/**
 * The items on a reseller's shelves whose session is still on sale or upcoming (a session that ended, was
 * cancelled, or whose brand is not live drops off by itself), with her retail price and the pricing inputs.
 * The pricing inputs never leave the server: callers turn them into offers.
 */
export function listShelfItems(db: Conn, userId: string, now: Date) {
  return db
    .selectFrom('shop_items as si')
    .innerJoin('session_items as i', 'i.id', 'si.session_item_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .leftJoin('reseller_prices as rp', (j) =>
      j.onRef('rp.session_item_id', '=', 'si.session_item_id').onRef('rp.user_id', '=', 'si.user_id'),
    )
    .select([
      'si.session_item_id as item_id',
      'si.position',
      'i.session_id',
      'i.base_price_minor',
      'i.min_retail_price_minor',
      'i.currency',
      'p.title',
      'p.title_en',
      'p.tag_cut',
      'p.image_seed',
      'p.image_path',
      'p.category',
      's.title as session_title',
      's.title_en as session_title_en',
      's.starts_at',
      's.ends_at',
      's.status as session_status',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'rp.retail_price_minor',
    ])
    .where('si.user_id', '=', userId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .where('b.status', '=', 'live')
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .orderBy('si.position')
    .execute()
}

/**
 * Session items with their pricing inputs: every item of one session in its order (for listing a whole session
 * at once), or the named items whatever their session.
 */
export function listPricingInputs(db: Conn, of: { sessionId: string } | { itemIds: string[] }) {
  if ('itemIds' in of && !of.itemIds.length) return Promise.resolve([])
  const q = db
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'i.id',
      'i.session_id',
      'i.base_price_minor',
      'i.min_retail_price_minor',
      'i.currency',
      'i.position',
      'p.title',
      'p.title_en',
      'p.tag_cut',
    ])
  if ('itemIds' in of) return q.where('i.id', 'in', of.itemIds).execute()
  return q.where('i.session_id', '=', of.sessionId).orderBy('i.position').orderBy('p.title').execute()
}

export async function maxShelfPosition(db: Conn, userId: string): Promise<number> {
  const row = await db
    .selectFrom('shop_items')
    .select(sql<number>`coalesce(max(position), -1)::int`.as('max'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return row.max
}

/** Puts items on her shelves after what is there; items already on them keep their place. */
export async function addShelfItems(db: Conn, userId: string, itemIds: string[], now: Date) {
  if (!itemIds.length) return 0
  const start = (await maxShelfPosition(db, userId)) + 1
  const rows = await db
    .insertInto('shop_items')
    .values(itemIds.map((id, i) => ({ user_id: userId, session_item_id: id, position: start + i, added_at: now })))
    .onConflict((oc) => oc.columns(['user_id', 'session_item_id']).doNothing())
    .returning('session_item_id')
    .execute()
  return rows.length
}

export async function removeShelfItems(db: Conn, userId: string, itemIds: string[]) {
  if (!itemIds.length) return 0
  const r = await db
    .deleteFrom('shop_items')
    .where('user_id', '=', userId)
    .where('session_item_id', 'in', itemIds)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function removeShelfSession(db: Conn, userId: string, sessionId: string) {
  const r = await db
    .deleteFrom('shop_items')
    .where('user_id', '=', userId)
    .where('session_item_id', 'in', (eb) =>
      eb.selectFrom('session_items').select('id').where('session_id', '=', sessionId),
    )
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** The shelf items of one session in their order, locked, for reordering. */
export function lockSessionShelf(db: Conn, userId: string, sessionId: string) {
  return db
    .selectFrom('shop_items as si')
    .innerJoin('session_items as i', 'i.id', 'si.session_item_id')
    .select(['si.session_item_id', 'si.position'])
    .where('si.user_id', '=', userId)
    .where('i.session_id', '=', sessionId)
    .orderBy('si.position')
    .forUpdate('si')
    .execute()
}

export function findShelfItem(db: Conn, userId: string, itemId: string) {
  return db
    .selectFrom('shop_items as si')
    .innerJoin('session_items as i', 'i.id', 'si.session_item_id')
    .select(['si.session_item_id', 'si.position', 'i.session_id'])
    .where('si.user_id', '=', userId)
    .where('si.session_item_id', '=', itemId)
    .executeTakeFirst()
}

export async function setShelfPositions(db: Conn, userId: string, positions: { itemId: string; position: number }[]) {
  for (const p of positions) {
    await db
      .updateTable('shop_items')
      .set({ position: p.position })
      .where('user_id', '=', userId)
      .where('session_item_id', '=', p.itemId)
      .execute()
  }
}

// ---------------------------------------------------------------- prices customers see

/** Prices on her share links that are still in front of customers (link not revoked, session not over). */
export function listLiveSharePrices(db: Conn, userId: string, now: Date) {
  return db
    .selectFrom('share_link_items as li')
    .innerJoin('share_links as l', 'l.id', 'li.share_link_id')
    .innerJoin('clearance_sessions as s', 's.id', 'l.session_id')
    .select(['li.share_link_id', 'li.session_item_id', 'li.retail_price_minor', 'l.token', 'l.kind'])
    .where('l.user_id', '=', userId)
    .where('l.revoked_at', 'is', null)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .execute()
}

export async function setSharePrice(db: Conn, userId: string, itemId: string, priceMinor: number, linkIds: string[]) {
  if (!linkIds.length) return
  await db
    .updateTable('share_link_items')
    .set({ retail_price_minor: priceMinor })
    .where('session_item_id', '=', itemId)
    .where('share_link_id', 'in', linkIds)
    .where('share_link_id', 'in', (eb) => eb.selectFrom('share_links').select('id').where('user_id', '=', userId))
    .execute()
}

/** The reseller a shop or link belongs to, as pricing needs her (role and level, never shown). */
export function findResellerMember(db: Conn, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'vip_level', 'display_name', 'email'])
    .where('id', '=', userId)
    .executeTakeFirst()
}
