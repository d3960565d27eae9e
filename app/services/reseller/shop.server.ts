// The reseller's shop (小店): a lasting public page at /shop/<handle> with everything she currently sells,
// grouped by session. She picks the handle (former handles stay hers and redirect), lists a whole live or upcoming
// session in one step with a markup rule, removes and reorders items. Prices are her retail prices
// (reseller_prices), judged against the floors in force at every view (offers.server.ts).
import type { Db } from '#db/client'
import {
  addShelfItems,
  findCurrentHandle,
  findResellerMember,
  findHandleOwner,
  findShelfItem,
  insertHandle,
  listFormerHandles,
  listPricingInputs,
  listShelfItems,
  lockHandle,
  lockSessionShelf,
  removeShelfItems,
  removeShelfSession,
  retireCurrentHandle,
  reviveHandle,
  setShelfPositions,
} from '#db/queries/reseller-shop'
import {
  findOwnerName,
  findResellerProfile,
  findResellerSession,
  listItemSizes,
  upsertResellerPrices,
} from '#db/queries/reseller'
import { sessionPhase } from '#app/domain/clearance-sessions'
import {
  compareSizes,
  judgeOffer,
  sizesLeft,
  suggestRetailPrice,
  validateMarkup,
  type MarkupRule,
} from '#app/domain/retail-pricing'
import { englishNames } from '#app/domain/option-names'
import {
  HandleTakenError,
  NoShopError,
  ShopFullError,
  ShopSessionError,
  suggestHandle,
  validateHandle,
} from '#app/domain/shop-handles'
import { i18nFor } from '#app/i18n'
import type { ShopActionInput } from '#app/schemas/shop'
import { forwardableSessions } from './forwarding.server'
import { changing } from './public-page-cache.server'
import { priceIssues, pricedItem, repriceIssues, resellerPricer } from './offers.server'

/** Most items one shop shows (a shop is a phone page; a whole session is at most a few hundred items). */
export const MAX_SHOP_ITEMS = 600

const isUniqueViolation = (e: unknown) =>
  typeof e === 'object' && e != null && (e as { code?: string }).code === '23505'

// ---------------------------------------------------------------- handle

/**
 * Sets or changes her handle. A handle anyone has ever used (current or former) belongs to that reseller for good,
 * so links and QR codes printed with an old handle keep reaching her shop; she may go back to one of her own.
 */
export async function setShopHandle(db: Db, userId: string, input: string, now: Date): Promise<string> {
  const handle = validateHandle(input)
  try {
    await db.transaction().execute(async (trx) => {
      const existing = await lockHandle(trx, handle)
      if (existing && existing.user_id !== userId) throw new HandleTakenError('handle is taken', { handle })
      if (existing?.is_current) return
      await retireCurrentHandle(trx, userId, now)
      if (existing) await reviveHandle(trx, handle, userId)
      else await insertHandle(trx, handle, userId, now)
    })
  } catch (e) {
    // Two resellers claiming the same new handle at once: the primary key decides, the loser is told it is taken.
    if (isUniqueViolation(e)) throw new HandleTakenError('handle is taken', { handle })
    throw e
  }
  return handle
}

export type ShopLookup =
  { status: 'missing' } | { status: 'moved'; handle: string } | { status: 'ok'; userId: string; handle: string }

/** Resolves /shop/<handle>: her current handle, a former one (→ moved to the current), or nothing. */
export async function resolveShop(db: Db, raw: string): Promise<ShopLookup> {
  const handle = raw.toLowerCase()
  if (!/^[a-z0-9-]{3,30}$/.test(handle)) return { status: 'missing' }
  const row = await findHandleOwner(db, handle)
  if (!row) return { status: 'missing' }
  if (row.is_current) return { status: 'ok', userId: row.user_id, handle }
  return row.current_handle ? { status: 'moved', handle: row.current_handle } : { status: 'missing' }
}

// ---------------------------------------------------------------- shelves

async function listableSession(db: Db, sessionId: string, now: Date) {
  const s = await findResellerSession(db, sessionId)
  if (!s || s.status !== 'scheduled' || s.brand_status !== 'live') return null
  const phase = sessionPhase({ status: s.status, startsAt: s.starts_at, endsAt: s.ends_at }, now)
  return phase === 'live' || phase === 'upcoming' ? s : null
}

/**
 * 一键上架整个档期: every item of a live or upcoming session goes on her shelves at the price the markup rule
 * gives over her own price, raised to the floor (rounded up by the rule) where the markup falls short, so no
 * listed price breaks a floor. Items already listed are re-priced by the rule and keep their place.
 */
export async function listWholeSession(
  db: Db,
  userId: string,
  input: { sessionId: string; rule: MarkupRule },
  now: Date,
) {
  if (!(await findCurrentHandle(db, userId))) throw new NoShopError('choose a shop handle first')
  const rule = validateMarkup(input.rule)
  const session = await listableSession(db, input.sessionId, now)
  if (!session) throw new ShopSessionError('session is not live or upcoming')
  const pricer = await resellerPricer(db, userId)
  if (!pricer) throw new ShopSessionError('only members sell')
  const rows = await listPricingInputs(db, { sessionId: input.sessionId })
  const shelf = await listShelfItems(db, userId, now)
  const onShelf = new Set(shelf.map((s) => s.item_id))
  if (shelf.length + rows.filter((r) => !onShelf.has(r.id)).length > MAX_SHOP_ITEMS)
    throw new ShopFullError('too many items in the shop', { max: MAX_SHOP_ITEMS })
  const prices = rows.map((r) => {
    const { priceMinor, raised } = suggestRetailPrice(pricedItem(pricer, r), rule)
    return { itemId: r.id, priceMinor, currency: r.currency, raised }
  })
  await db.transaction().execute(async (trx) => {
    await upsertResellerPrices(trx, userId, prices, now)
    await addShelfItems(
      trx,
      userId,
      rows.map((r) => r.id),
      now,
    )
  })
  return { listed: prices.length, raised: prices.filter((p) => p.raised).length }
}

export async function removeFromShop(db: Db, userId: string, itemIds: string[]) {
  return removeShelfItems(db, userId, itemIds)
}

export async function removeSessionFromShop(db: Db, userId: string, sessionId: string) {
  return removeShelfSession(db, userId, sessionId)
}

/** Moves an item one place up or down among the items of its session on her shelves. False when not hers. */
export async function moveInShop(db: Db, userId: string, itemId: string, direction: 'up' | 'down'): Promise<boolean> {
  const item = await findShelfItem(db, userId, itemId)
  if (!item) return false
  await db.transaction().execute(async (trx) => {
    const rows = await lockSessionShelf(trx, userId, item.session_id)
    const i = rows.findIndex((r) => r.session_item_id === itemId)
    const j = direction === 'up' ? i - 1 : i + 1
    if (i < 0 || j < 0 || j >= rows.length) return
    await setShelfPositions(trx, userId, [
      { itemId: rows[i].session_item_id, position: rows[j].position },
      { itemId: rows[j].session_item_id, position: rows[i].position },
    ])
  })
  return true
}

// ---------------------------------------------------------------- what customers see

export interface ShopFilters {
  q: string
  category: string
  size: string
}

export interface ShopItem {
  id: string
  title: string
  titleEn: string
  imageSeed: string
  imagePath: string | null
  tagCut: boolean
  category: string
  priceMinor: number
  currency: string
  availability: 'in_stock' | 'sold_out'
  sizesLeft: string[]
  sizesLeftEn: string[]
  /** False when her price breaks a floor now: shown as unavailable (without the price) and cannot be ordered. */
  buyable: boolean
}

export interface ShopSession {
  id: string
  title: string
  titleEn: string
  brandName: string
  brandNameEn: string
  startsAt: string
  endsAt: string
  phase: 'live' | 'upcoming'
  items: ShopItem[]
}

const norm = (s: string) => s.toLowerCase().normalize('NFKC')

/** Everything on her shelves, as a customer may see it: her price, in stock / sold out, sizes in stock. */
async function shelfContent(db: Db, userId: string, now: Date) {
  const [rows, pricer] = await Promise.all([listShelfItems(db, userId, now), resellerPricer(db, userId)])
  if (!pricer) return []
  const sizes = await listItemSizes(
    db,
    rows.map((r) => r.item_id),
  )
  const sessions = new Map<string, ShopSession>()
  for (const r of rows) {
    if (r.retail_price_minor == null) continue
    const phase = sessionPhase({ status: r.session_status, startsAt: r.starts_at, endsAt: r.ends_at }, now)
    if (phase !== 'live' && phase !== 'upcoming') continue
    let s = sessions.get(r.session_id)
    if (!s) {
      s = {
        id: r.session_id,
        title: r.session_title,
        titleEn: r.session_title_en,
        brandName: r.brand_name,
        brandNameEn: r.brand_name_en,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        phase,
        items: [],
      }
      sessions.set(r.session_id, s)
    }
    const own = sizes.filter((k) => k.session_item_id === r.item_id)
    const left = sizesLeft(own)
    const buyable =
      judgeOffer(pricedItem(pricer, { ...r, id: r.item_id }), r.retail_price_minor, null).violation == null
    s.items.push({
      id: r.item_id,
      title: r.title,
      titleEn: r.title_en,
      imageSeed: r.image_seed,
      imagePath: r.image_path,
      tagCut: r.tag_cut,
      category: r.category,
      priceMinor: r.retail_price_minor,
      currency: r.currency,
      availability: left.length ? 'in_stock' : 'sold_out',
      sizesLeft: left,
      sizesLeftEn: englishNames(
        left,
        own.map((k) => ({ value: k.size, en: k.size_en })),
      ),
      buyable,
    })
  }
  // Live sessions first, the one ending soonest on top; then upcoming ones by start.
  return [...sessions.values()].sort((a, b) =>
    a.phase !== b.phase
      ? a.phase === 'live'
        ? -1
        : 1
      : a.phase === 'live'
        ? a.endsAt.localeCompare(b.endsAt)
        : a.startsAt.localeCompare(b.startsAt),
  )
}

function matches(item: ShopItem, session: ShopSession, f: ShopFilters) {
  if (f.category && item.category !== f.category) return false
  if (f.size && !item.sizesLeft.includes(f.size)) return false
  if (!f.q) return true
  const zh = i18nFor('zh-CN').t
  const en = i18nFor('en').t
  const hay = norm(
    [
      item.title,
      item.titleEn,
      session.brandName,
      session.brandNameEn,
      session.title,
      session.titleEn,
      zh(`categories.${item.category}` as 'categories.womens'),
      en(`categories.${item.category}` as 'categories.womens'),
      item.tagCut ? `${zh('reseller.card.tagCut')} ${en('reseller.card.tagCut')}` : '',
    ].join(' '),
  )
  return norm(f.q)
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w))
}

/** Her shelves as every visitor sees them, before a visitor's filters: her name and contact, her sessions. */
export async function shopShelves(db: Db, userId: string, now: Date) {
  const [profile, member] = await Promise.all([findResellerProfile(db, userId), resellerPricer(db, userId)])
  if (!member) return null
  const sessions = await shelfContent(db, userId, now)
  const name = profile?.display_name ?? (await findResellerMemberName(db, userId))
  return { reseller: { name, wechatId: profile?.wechat_id ?? null, phone: profile?.phone ?? null }, sessions }
}
export type ShopShelves = NonNullable<Awaited<ReturnType<typeof shopShelves>>>

/**
 * The public shop page: the reseller (name, contact), her sessions with their items after the filters, and the
 * facets (categories and sizes present on her shelves). Never her level, her own price, a floor or a count.
 */
export function shopPageOf(shelves: ShopShelves, handle: string, filters: ShopFilters) {
  const all = shelves.sessions
  const items = all.flatMap((s) => s.items)
  const categories = [...new Set(items.map((i) => i.category))].sort()
  const values = [...new Set(items.flatMap((i) => i.sizesLeft))].sort(compareSizes)
  const named = items.flatMap((i) => i.sizesLeft.map((value, k) => ({ value, en: i.sizesLeftEn[k] ?? '' })))
  const english = englishNames(values, named)
  const sizes = values.map((value, k) => ({ value, en: english[k]! }))
  const sessions = all
    .map((s) => ({ ...s, items: s.items.filter((i) => matches(i, s, filters)) }))
    .filter((s) => s.items.length)
  return {
    handle,
    reseller: shelves.reseller,
    facets: { categories, sizes },
    filters,
    total: items.length,
    shown: sessions.reduce((n, s) => n + s.items.length, 0),
    sessions,
  }
}

export async function shopPage(db: Db, userId: string, handle: string, filters: ShopFilters, now: Date) {
  const shelves = await shopShelves(db, userId, now)
  return shelves ? shopPageOf(shelves, handle, filters) : null
}
export type ShopPage = NonNullable<Awaited<ReturnType<typeof shopPage>>>

async function findResellerMemberName(db: Db, userId: string) {
  return (await findOwnerName(db, userId))?.display_name ?? ''
}

// ---------------------------------------------------------------- her side

/** The page where she manages her shop: handle (and a suggestion), sessions she can list, her shelves with prices. */
export async function shopManagePage(db: Db, user: { id: string; display_name: string }, now: Date) {
  const [current, former, profile, member] = await Promise.all([
    findCurrentHandle(db, user.id),
    listFormerHandles(db, user.id),
    findResellerProfile(db, user.id),
    findResellerMember(db, user.id),
  ])
  const pricer = await resellerPricer(db, user.id)
  const rows = await listShelfItems(db, user.id, now)
  const sessions = new Map<
    string,
    { id: string; title: string; titleEn: string; endsAt: string; startsAt: string; phase: string; items: typeof shelf }
  >()
  const shelf: {
    id: string
    sessionId: string
    title: string
    titleEn: string
    imageSeed: string
    imagePath: string | null
    currency: string
    priceMinor: number | null
    broken: boolean
  }[] = []
  for (const r of rows) {
    const phase = sessionPhase({ status: r.session_status, startsAt: r.starts_at, endsAt: r.ends_at }, now)
    if (!sessions.has(r.session_id))
      sessions.set(r.session_id, {
        id: r.session_id,
        title: r.session_title,
        titleEn: r.session_title_en,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        phase,
        items: [],
      })
    const judged =
      pricer && r.retail_price_minor != null
        ? judgeOffer(pricedItem(pricer, { ...r, id: r.item_id }), r.retail_price_minor, pricer.rule)
        : null
    shelf.push({
      id: r.item_id,
      sessionId: r.session_id,
      title: r.title,
      titleEn: r.title_en,
      imageSeed: r.image_seed,
      imagePath: r.image_path,
      currency: r.currency,
      priceMinor: r.retail_price_minor,
      broken: judged?.violation != null,
    })
  }
  return {
    handle: current?.handle ?? null,
    formerHandles: former.map((f) => f.handle),
    suggestedHandle: current ? null : (suggestHandle(member?.email ?? '') ?? suggestHandle(user.display_name)),
    defaultMarkup: pricer?.rule ?? null,
    hasProfile: profile != null,
    sessions: [...sessions.values()].map((s) => ({ ...s, items: shelf.filter((i) => i.sessionId === s.id) })),
  }
}

/** Her shop page: the shop itself, the sessions she can list, and the prices she must fix. */
export async function resellerShopPage(db: Db, user: { id: string; display_name: string }, origin: string, now: Date) {
  const [shop, sessions, issues] = await Promise.all([
    shopManagePage(db, user, now),
    forwardableSessions(db, now),
    priceIssues(db, user.id, now),
  ])
  return {
    handle: shop.handle,
    formerHandles: shop.formerHandles,
    suggestedHandle: shop.suggestedHandle,
    defaultMarkup: shop.defaultMarkup,
    url: shop.handle ? `${origin}/shop/${shop.handle}` : null,
    sessions: sessions.filter((s) => s.phase === 'live' || s.phase === 'upcoming'),
    shelves: shop.sessions,
    issues,
  }
}

/**
 * One action of her shop page: what it did (the handle saved, how many items were listed or repriced), or null
 * when the item is not hers. Business refusals (a bad or taken handle, no shop yet, a full shop, a session that
 * cannot be listed) are thrown DomainErrors.
 */
export async function shopAction(
  db: Db,
  userId: string,
  input: ShopActionInput,
  rule: MarkupRule | null,
  now: Date,
): Promise<Record<string, unknown> | null> {
  return changing(userId, () => shopActionOf(db, userId, input, rule, now))
}

async function shopActionOf(
  db: Db,
  userId: string,
  input: ShopActionInput,
  rule: MarkupRule | null,
  now: Date,
): Promise<Record<string, unknown> | null> {
  switch (input.intent) {
    case 'handle':
      return { handle: await setShopHandle(db, userId, input.handle, now) }
    case 'addSession':
      return listWholeSession(db, userId, { sessionId: input.sessionId, rule: rule! }, now)
    case 'remove':
      return (await removeFromShop(db, userId, [input.itemId])) ? {} : null
    case 'removeSession':
      return { removed: await removeSessionFromShop(db, userId, input.sessionId) }
    case 'move':
      return (await moveInShop(db, userId, input.itemId, input.direction)) ? {} : null
    case 'reprice':
      return { count: await repriceIssues(db, userId, now) }
  }
}
