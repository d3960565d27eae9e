import { createHash } from 'node:crypto'
import type { Db } from '#db/client'
import {
  findProduct,
  listProductSessionStock,
  listProductSkus,
  listVisibleSessions,
  sessionCardExtras,
} from '#db/queries/catalog'
import { afterDiscount, discountWords } from '#app/domain/discount-words'
import { sessionPhase, type SessionStatus } from '#app/domain/clearance-sessions'
import { memberUnitPrice, wholesalePriceFor, type Viewer, type VipTier } from '#app/domain/pricing'
import { stockFor } from '#app/domain/stock'
import { loadPriceBook } from '../membership/pricing.server'
import { followedBrandIds } from './follows.server'
import { listProductPhotos } from '#db/queries/product-photos'
import { sessionPageReads } from './session-page-data.server'

interface SessionHeadingRow {
  id: string
  title: string
  title_en: string
  banner_seed: string
  banner_path: string | null
  brand_name: string
  brand_name_en: string
  status: SessionStatus
  starts_at: Date
  ends_at: Date
}

/** What a session card and a session page both show of a session; the banner photo where one was uploaded. */
function sessionHeading(s: SessionHeadingRow, now: Date) {
  return {
    id: s.id,
    title: s.title,
    titleEn: s.title_en,
    bannerSeed: s.banner_seed,
    bannerPath: s.banner_path,
    brandName: s.brand_name,
    brandNameEn: s.brand_name_en,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    phase: sessionPhase({ status: s.status, startsAt: s.starts_at, endsAt: s.ends_at }, now),
  }
}

/** The home page: live sessions (ending soonest first) and upcoming ones (starting soonest first). */
/** `viewer.followed`: the brands she follows when the caller has them (her session's lookup), else they are read. */
export async function homeSessions(
  db: Db,
  now: Date,
  viewer?: { memberId: string; level: number; followed?: string[] },
) {
  const [rows, followed] = await Promise.all([
    listVisibleSessions(db, now),
    viewer ? (viewer.followed ?? followedBrandIds(db, viewer.memberId)) : Promise.resolve([]),
  ])
  const follows = new Set(followed)
  const extras = await sessionCardExtras(
    db,
    rows.map((s) => s.id),
  )
  // The deepest cut is the member's own (her level's discount on the base price): it tells a price, so people
  // who are not signed in as members get the pictures only.
  const book = viewer ? await loadPriceBook(db) : null
  const cards = rows.map((s) => {
    const ratio = extras.lowest.find((l) => l.session_id === s.id)?.ratio_bps
    const discountBps = book?.tiersFor(s.id).find((t) => t.level === viewer!.level)?.discountBps ?? 0
    return {
      ...sessionHeading(s, now),
      // followed brands' upcoming sessions come first
      followed: follows.has(s.brand_id),
      itemCount: Number(s.item_count ?? 0),
      previews: extras.previews
        .filter((p) => p.session_id === s.id)
        .map((p) => ({
          id: p.product_id,
          title: p.title,
          titleEn: p.title_en,
          imagePath: p.image_path,
          imageSeed: p.image_seed,
        })),
      lowest: book && ratio != null ? discountWords(afterDiscount(ratio, discountBps)) : null,
    }
  })
  return {
    live: cards.filter((c) => c.phase === 'live').sort((a, b) => a.endsAt.localeCompare(b.endsAt)),
    // A stable sort keeps starts-soonest order inside each group.
    upcoming: cards.filter((c) => c.phase === 'upcoming').sort((a, b) => Number(b.followed) - Number(a.followed)),
  }
}

/**
 * A session page, or null when it does not exist or is not public (drafts, suspended brands). Its reads may be a
 * moment old (session-page-data.server.ts); prices, stock states and the phase are made for this viewer and `now`.
 * `cardsKey` names the items' content (a hash of their JSON), for the page's kept card markup.
 */
export async function sessionPage(db: Db, sessionId: string, viewer: Viewer | null, now: Date) {
  const [{ session: s, items }, book] = await Promise.all([sessionPageReads(db, sessionId), loadPriceBook(db)])
  if (!s || s.status === 'draft' || s.brand_status !== 'live') return null
  const shown = shownItems(items, viewer, book.tiersFor(sessionId))
  return {
    session: { ...sessionHeading(s, now), brandId: s.brand_id },
    items: shown.items,
    cardsKey: shown.key,
  }
}

type SessionItemRow = Awaited<ReturnType<typeof sessionPageReads>>['items'][number]

function shownItem(i: SessionItemRow, viewer: Viewer | null, tiers: readonly VipTier[]) {
  return Object.freeze({
    id: i.id,
    productId: i.product_id,
    title: i.title,
    titleEn: i.title_en,
    category: i.category,
    imageSeed: i.image_seed,
    imagePath: i.image_path,
    tagCut: i.tag_cut,
    // A tag-cut item never shows its tag price.
    tagPriceMinor: i.tag_cut ? null : i.tag_price_minor,
    priceMinor: wholesalePriceFor(i.base_price_minor, viewer, tiers),
    currency: i.currency,
    stock: Object.freeze(stockFor(i.available, viewer ? 'member' : 'public')),
  })
}

type ShownItems = { tiers: readonly VipTier[]; items: readonly ReturnType<typeof shownItem>[]; key: string }
// A session's items as viewers of one kind see them (her level's prices, her audience's stock states), made once per
// kept read and price table: the hundred members reloading a session's page while it is kept share them. Keyed by the
// kept read's rows (a new read is a new entry) and checked against the price table (an edited table is one).
const shownByRead = new WeakMap<readonly SessionItemRow[], Map<string, ShownItems>>()

function shownItems(rows: readonly SessionItemRow[], viewer: Viewer | null, tiers: readonly VipTier[]): ShownItems {
  const kind = viewer ? `${viewer.role}:${viewer.vipLevel}` : 'public'
  let byKind = shownByRead.get(rows)
  if (!byKind) shownByRead.set(rows, (byKind = new Map()))
  const hit = byKind.get(kind)
  if (hit && hit.tiers === tiers) return hit
  const items = Object.freeze(rows.map((row) => shownItem(row, viewer, tiers)))
  const made = { tiers, items, key: createHash('sha1').update(JSON.stringify(items)).digest('base64url') }
  byKind.set(kind, made)
  return made
}

export async function productPage(db: Db, productId: string, viewer: Viewer | null, now: Date) {
  const p = await findProduct(db, productId)
  if (!p || p.brand_status !== 'live') return null
  const [skus, stock, photos] = await Promise.all([
    listProductSkus(db, productId),
    listProductSessionStock(db, productId, now),
    listProductPhotos(db, productId),
  ])
  const book = await loadPriceBook(db)
  const sessions = new Map<
    string,
    {
      id: string
      title: string
      titleEn: string
      startsAt: string
      endsAt: string
      phase: string
      priceMinor: number | null
      currency: string
      ladder: { level: number; priceMinor: number }[] | null
    }
  >()
  for (const row of stock) {
    if (!sessions.has(row.session_id)) {
      const tiers = book.tiersFor(row.session_id)
      sessions.set(row.session_id, {
        id: row.session_id,
        title: row.title,
        titleEn: row.title_en,
        startsAt: row.starts_at.toISOString(),
        endsAt: row.ends_at.toISOString(),
        phase: sessionPhase({ status: row.status, startsAt: row.starts_at, endsAt: row.ends_at }, now),
        priceMinor: wholesalePriceFor(row.base_price_minor, viewer, tiers),
        currency: row.currency,
        // The price ladder ("at VIP3 you would pay ¥X"): signed-in viewers only, never a public wholesale price.
        ladder: viewer
          ? tiers.map((t) => ({ level: t.level, priceMinor: memberUnitPrice(row.base_price_minor, t.level, tiers) }))
          : null,
      })
    }
  }
  // Stock shown is the first (live, else soonest) session's.
  const current = stock[0]?.session_id
  const availableBySku = new Map(stock.filter((r) => r.session_id === current).map((r) => [r.sku_id, r.available]))
  return {
    product: {
      id: p.id,
      title: p.title,
      titleEn: p.title_en,
      description: p.description,
      descriptionEn: p.description_en,
      category: p.category,
      imageSeed: p.image_seed,
      tagCut: p.tag_cut,
      tagPriceMinor: p.tag_cut ? null : p.tag_price_minor,
      currency: p.currency,
      brandName: p.brand_name,
      brandNameEn: p.brand_name_en,
      brandId: p.brand_id,
      imagePath: p.image_path,
    },
    photos,
    sessions: [...sessions.values()],
    skus: skus.map((k) => ({
      id: k.id,
      size: k.size,
      colour: k.colour,
      sizeEn: k.size_en,
      colourEn: k.colour_en,
      barcode: viewer && viewer.role !== 'member' ? k.barcode : null,
      stock: availableBySku.has(k.id) ? stockFor(availableBySku.get(k.id)!, viewer ? 'member' : 'public') : null,
    })),
  }
}
