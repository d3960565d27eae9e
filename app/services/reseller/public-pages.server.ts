// What the public share and shop pages read, through the short-lived cache of public-page-cache.server.ts.
import type { Db } from '#db/client'
import { bagOptions, type BagOption } from '#app/services/customer-orders/bag.server'
import { sharePageContent, type ShareLookup } from './forwarding.server'
import { dataState, entryTtl, keptValue, PUBLIC_PAGE_TTL_MS, refreshDue, remember } from './public-page-cache.server'
import { resolveShop, shopShelves, type ShopLookup, type ShopShelves } from './shop.server'

type Bag = Record<string, { cap: number | null; options: BagOption[] }>
export interface CachedShare {
  /** Whose link it is: her own looks are not views. */
  ownerId: string | null
  linkId: string | null
  lookup: ShareLookup
  bag: Bag
}

/** A share link's page data (content and bag options), as every visitor sees it. */
export function cachedShare(db: Db, token: string, now: Date): Promise<CachedShare> {
  return remember(`share:${token}`, async () => {
    const found = await sharePageContent(db, token, now)
    const lookup = found.lookup
    const bag =
      lookup.status === 'ok'
        ? await bagOptions(
            db,
            lookup.content.items.map((i) => i.id),
          )
        : {}
    return {
      value: { ownerId: found.ownerId, linkId: found.linkId, lookup, bag },
      ownerId: found.ownerId,
      ttl:
        lookup.status === 'ok'
          ? entryTtl(now, [lookup.content.session.startsAt, lookup.content.session.endsAt])
          : PUBLIC_PAGE_TTL_MS,
    }
  })
}

/** Where /shop/<handle> leads (her current handle, a former one, or nowhere). */
export function cachedShopHandle(db: Db, handle: string): Promise<ShopLookup> {
  return remember(`handle:${handle.toLowerCase()}`, async () => {
    const value = await resolveShop(db, handle)
    return { value, ownerId: value.status === 'ok' ? value.userId : null, ttl: PUBLIC_PAGE_TTL_MS }
  })
}

/** Her shelves as every visitor sees them (before a visitor's filters), with the bag options of what is live. */
export function cachedShop(db: Db, userId: string, now: Date): Promise<{ shelves: ShopShelves | null; bag: Bag }> {
  return remember(`shop:${userId}`, async () => {
    const shelves = await shopShelves(db, userId, now)
    const live = (shelves?.sessions ?? [])
      .filter((s) => s.phase === 'live')
      .flatMap((s) => s.items)
      .filter((i) => i.buyable)
    const bag = await bagOptions(
      db,
      live.map((i) => i.id),
    )
    return {
      value: { shelves, bag },
      ownerId: userId,
      ttl: entryTtl(
        now,
        (shelves?.sessions ?? []).flatMap((s) => [s.startsAt, s.endsAt]),
      ),
    }
  })
}

/** The data a share link's or shop's page is rendered from, as kept (public-page-cache.server.ts). */
export interface KeptPageData {
  /** How long a page rendered from it now stays as fresh as the data (ms). */
  ttl: number
  /** Changes when any of the data is read anew with a change (or dropped, or expires). */
  stamp: string
  /** Where the data is kept. */
  keys: string[]
  /** The link whose views the page counts (null for the shop). */
  linkId: string | null
}

/** Where the data of this share link's or shop's page is kept; null when her shop's handle is not kept or leads nowhere. */
function pageDataKeys(kind: 'share' | 'shop', slug: string): string[] | null {
  if (kind === 'share') return [`share:${slug}`]
  const handleKey = `handle:${slug.toLowerCase()}`
  const shop = keptValue<ShopLookup>(handleKey)
  return shop?.status === 'ok' ? [handleKey, `shop:${shop.userId}`] : null
}

/** The kept data of this share link or shop; null when it is not all kept. */
export function keptPageData(kind: 'share' | 'shop', slug: string): KeptPageData | null {
  const keys = pageDataKeys(kind, slug)
  const state = keys && dataState(keys)
  if (!state) return null
  return { ...state, keys, linkId: kind === 'share' ? (keptValue<CachedShare>(keys[0]!)?.linkId ?? null) : null }
}

/**
 * Reads this share link's or shop's kept data again in the background when it is due (visitors of a kept page ask
 * no loader, so the page's views ask for it here); visitors go on with the kept data meanwhile.
 */
export function refreshPageData(db: Db, kind: 'share' | 'shop', slug: string) {
  const ignore = () => {}
  if (kind === 'share') {
    if (refreshDue(`share:${slug}`)) cachedShare(db, slug, new Date()).catch(ignore)
    return
  }
  const handleKey = `handle:${slug.toLowerCase()}`
  if (refreshDue(handleKey)) cachedShopHandle(db, slug).catch(ignore)
  const shop = keptValue<ShopLookup>(handleKey)
  if (shop?.status === 'ok' && refreshDue(`shop:${shop.userId}`)) cachedShop(db, shop.userId, new Date()).catch(ignore)
}
