import { sql, type RawBuilder } from 'kysely'
import type { Conn } from './conn'

/**
 * Deletes bought SKUs from the buyers' carts, when `when` holds (a statement fragment for the checkout's write).
 * Rows another transaction holds are skipped: only a checkout of the same member deletes them, and waiting for
 * it under the SKU locks could deadlock with it.
 */
export function removeFromCarts(
  rows: readonly { memberId: string; sessionItemSkuId: string }[],
  when: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`delete from cart_lines where ctid in (
    select c.ctid from cart_lines c
      join unnest(${rows.map((r) => r.memberId)}::uuid[], ${rows.map((r) => r.sessionItemSkuId)}::uuid[]) as b(member_id, session_item_sku_id)
        on c.member_id = b.member_id and c.session_item_sku_id = b.session_item_sku_id
    where ${when}
    for update of c skip locked)
  returning 1`
}

/** A session SKU with what a buyer needs: the session window, price, product and stock. */
export function sessionSkuForCart(db: Conn, sessionItemSkuId: string) {
  return db
    .selectFrom('session_item_skus as k')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select([
      'k.id',
      'k.available',
      'i.per_member_cap',
      's.status',
      's.starts_at',
      's.ends_at',
      'b.status as brand_status',
      'p.title',
    ])
    .where('k.id', '=', sessionItemSkuId)
    .executeTakeFirst()
}

/** What counts against a member's cap on one session SKU: units already taken by orders and units in the cart. */
export async function capUsage(db: Conn, memberId: string, sessionItemSkuId: string) {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('member_sku_takes')
        .select('taken')
        .where('member_id', '=', memberId)
        .where('session_item_sku_id', '=', sessionItemSkuId)
        .$asScalar()
        .as('taken'),
      eb
        .selectFrom('cart_lines')
        .select('quantity')
        .where('member_id', '=', memberId)
        .where('session_item_sku_id', '=', sessionItemSkuId)
        .$asScalar()
        .as('in_cart'),
    ])
    .executeTakeFirstOrThrow()
  return { taken: r.taken ?? 0, inCart: r.in_cart ?? 0 }
}

/** Serialises one member's cart changes on one SKU (cap checks read, then write). */
export async function lockMemberSku(db: Conn, memberId: string, sessionItemSkuId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`cart:${memberId}:${sessionItemSkuId}`}, 0))`.execute(db)
}

export async function addCartLine(db: Conn, memberId: string, sessionItemSkuId: string, quantity: number, now: Date) {
  await sql`insert into cart_lines as c (member_id, session_item_sku_id, quantity, created_at, updated_at)
    values (${memberId}, ${sessionItemSkuId}, ${quantity}, ${now}, ${now})
    on conflict (member_id, session_item_sku_id) do update set quantity = least(c.quantity + excluded.quantity, 999), updated_at = excluded.updated_at`.execute(
    db,
  )
}

export function setCartLineQuantity(db: Conn, memberId: string, sessionItemSkuId: string, quantity: number, now: Date) {
  return db
    .updateTable('cart_lines')
    .set({ quantity, updated_at: now })
    .where('member_id', '=', memberId)
    .where('session_item_sku_id', '=', sessionItemSkuId)
    .executeTakeFirst()
}

export function deleteCartLine(db: Conn, memberId: string, sessionItemSkuId: string) {
  return db
    .deleteFrom('cart_lines')
    .where('member_id', '=', memberId)
    .where('session_item_sku_id', '=', sessionItemSkuId)
    .executeTakeFirst()
}

export function listCartLines(db: Conn, memberId: string) {
  return db
    .selectFrom('cart_lines as c')
    .innerJoin('session_item_skus as k', 'k.id', 'c.session_item_sku_id')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .innerJoin('skus as sk', 'sk.id', 'k.sku_id')
    .select([
      'c.session_item_sku_id',
      'c.quantity',
      'k.available',
      'i.base_price_minor',
      'i.currency',
      'i.per_member_cap',
      's.id as session_id',
      's.title as session_title',
      's.status',
      's.starts_at',
      's.ends_at',
      'b.id as brand_id',
      'b.name as brand_name',
      'b.name_en as brand_name_en',
      'b.status as brand_status',
      'p.id as product_id',
      'p.title',
      'p.title_en',
      'p.image_seed',
      'p.image_path',
      'sk.size',
      'sk.colour',
      'sk.size_en',
      'sk.colour_en',
    ])
    .where('c.member_id', '=', memberId)
    .orderBy('b.name')
    .orderBy('c.created_at')
    .execute()
}

/** The session SKUs of a product in its live (else next) session, for the buy box. */
export function productBuyOptions(db: Conn, productId: string, now: Date) {
  return db
    .selectFrom('session_items as i')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('session_item_skus as k', 'k.session_item_id', 'i.id')
    .innerJoin('skus as sk', 'sk.id', 'k.sku_id')
    .select([
      'k.id',
      'k.available',
      'sk.size',
      'sk.colour',
      'sk.size_en',
      'sk.colour_en',
      'i.base_price_minor',
      'i.currency',
      'i.per_member_cap',
      's.id as session_id',
      's.status',
      's.starts_at',
      's.ends_at',
    ])
    .where('i.product_id', '=', productId)
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '>', now)
    .orderBy('s.starts_at')
    .orderBy('sk.colour')
    .orderBy('sk.size')
    .execute()
}

/** Stock of every SKU in a session (the small polled endpoint). */
/** A session's status and its brand's, to tell whether its stock may be shown at all. */
export function publicSession(db: Conn, sessionId: string) {
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select(['s.status', 'b.status as brand_status'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
}

export function sessionStock(db: Conn, sessionId: string) {
  return db
    .selectFrom('session_item_skus as k')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .select(['k.id', 'k.session_item_id', 'k.available'])
    .where('i.session_id', '=', sessionId)
    .execute()
}
