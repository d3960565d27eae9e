// Reseller demo data: vip3@demo.cm (杭州Lily) has a forwarding profile, a default markup (+30%, ending in 9),
// one share list of three items of the live MULAN session at a fixed token, so /s/<token> works after seeding,
// and a shop at /shop/lily-hz with that whole live session listed by her markup (raised to floors where needed).
import type { Transaction } from 'kysely'
import type { Database } from '../schema'
import { memberUnitPrice } from '#app/domain/pricing'
import { applyMarkup, retailFloor, roundUp, suggestRetailPrice, type MarkupRule } from '#app/domain/retail-pricing'
import { loadVipTiers } from '#app/services/membership/pricing.server'

export const DEMO_SHARE_TOKEN = 'demo-lily-mulan-winter-2026'
export const DEMO_SHOP_HANDLE = 'lily-hz'

export async function seedReseller(trx: Transaction<Database>, now: Date) {
  const member = await trx
    .selectFrom('users')
    .select(['id', 'vip_level'])
    .where('email', '=', 'vip3@demo.cm')
    .executeTakeFirst()
  const session = await trx
    .selectFrom('clearance_sessions')
    .select(['id'])
    .where('title', '=', '沐岚 冬季女装清仓')
    .executeTakeFirst()
  if (!member || !session) return
  const markup: MarkupRule = { kind: 'percent', value: 3000, rounding: 'nine' }
  await trx
    .insertInto('reseller_profiles')
    .values({
      user_id: member.id,
      display_name: '杭州Lily',
      wechat_id: 'lily_hz_daigou',
      phone: '13800000003',
      markup_kind: markup.kind,
      markup_value: markup.value,
      markup_rounding: markup.rounding,
      updated_at: now,
    })
    .execute()
  const items = await trx
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select(['i.id', 'i.base_price_minor', 'i.min_retail_price_minor', 'p.title', 'p.tag_cut'])
    .where('i.session_id', '=', session.id)
    .orderBy('i.position')
    .limit(3)
    .execute()
  const tiers = await loadVipTiers(trx)
  const priced = items.map((i) => {
    const own = memberUnitPrice(i.base_price_minor, member.vip_level, tiers)
    const floor = retailFloor({
      itemId: i.id,
      title: i.title,
      ownPriceMinor: own,
      minRetailPriceMinor: i.min_retail_price_minor,
      tagCut: i.tag_cut,
    }).floorMinor
    return { itemId: i.id, priceMinor: Math.max(applyMarkup(own, markup), roundUp(floor, 'nine')) }
  })
  if (!priced.length) return
  await trx
    .insertInto('reseller_prices')
    .values(
      priced.map((p) => ({
        user_id: member.id,
        session_item_id: p.itemId,
        retail_price_minor: p.priceMinor,
        updated_at: now,
      })),
    )
    .execute()
  const link = await trx
    .insertInto('share_links')
    .values({ token: DEMO_SHARE_TOKEN, user_id: member.id, session_id: session.id, kind: 'list', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('share_link_items')
    .values(
      priced.map((p, position) => ({
        share_link_id: link.id,
        session_item_id: p.itemId,
        position,
        retail_price_minor: p.priceMinor,
      })),
    )
    .execute()
  await seedShop(trx, member, session.id, markup, now)
}

/** Her shop: a handle and every item of the session, priced as "list a whole session" would (same domain rule). */
async function seedShop(
  trx: Transaction<Database>,
  member: { id: string; vip_level: number },
  sessionId: string,
  markup: MarkupRule,
  now: Date,
) {
  await trx
    .insertInto('shop_handles')
    .values({ handle: DEMO_SHOP_HANDLE, user_id: member.id, is_current: true, created_at: now })
    .execute()
  const items = await trx
    .selectFrom('session_items as i')
    .innerJoin('products as p', 'p.id', 'i.product_id')
    .select(['i.id', 'i.base_price_minor', 'i.min_retail_price_minor', 'p.title', 'p.tag_cut'])
    .where('i.session_id', '=', sessionId)
    .orderBy('i.position')
    .orderBy('p.title')
    .execute()
  const tiers = await loadVipTiers(trx)
  const prices = items.map((i) => ({
    itemId: i.id,
    priceMinor: suggestRetailPrice(
      {
        itemId: i.id,
        title: i.title,
        tagCut: i.tag_cut,
        minRetailPriceMinor: i.min_retail_price_minor,
        ownPriceMinor: memberUnitPrice(i.base_price_minor, member.vip_level, tiers),
      },
      markup,
    ).priceMinor,
  }))
  if (!prices.length) return
  await trx
    .insertInto('reseller_prices')
    .values(
      prices.map((p) => ({
        user_id: member.id,
        session_item_id: p.itemId,
        retail_price_minor: p.priceMinor,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'session_item_id'])
        .doUpdateSet((eb) => ({ retail_price_minor: eb.ref('excluded.retail_price_minor') })),
    )
    .execute()
  await trx
    .insertInto('shop_items')
    .values(prices.map((p, position) => ({ user_id: member.id, session_item_id: p.itemId, position, added_at: now })))
    .execute()
}
