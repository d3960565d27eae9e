// What the public share and shop pages read, through the short-lived cache of public-page-cache.server.ts.
import type { Db } from '#db/client'
import { bagOptions, type BagOption } from '#app/services/customer-orders/bag.server'
import { sharePageContent, type ShareLookup } from './forwarding.server'
import { entryTtl, freshForMs, keptValue, PUBLIC_PAGE_TTL_MS, remember } from './public-page-cache.server'
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

/**
 * How long a page rendered now from the kept data of this share link or shop stays as fresh as that data (ms),
 * and the link whose views it counts; null when the data is not kept.
 */
export function keptPageFreshness(kind: 'share' | 'shop', slug: string): { ttl: number; linkId: string | null } | null {
  if (kind === 'share') {
    const share = keptValue<CachedShare>(`share:${slug}`)
    const ttl = freshForMs(`share:${slug}`)
    return share && ttl > 0 ? { ttl, linkId: share.linkId } : null
  }
  const handleKey = `handle:${slug.toLowerCase()}`
  const shop = keptValue<ShopLookup>(handleKey)
  if (shop?.status !== 'ok') return null
  const ttl = Math.min(freshForMs(handleKey), freshForMs(`shop:${shop.userId}`))
  return ttl > 0 ? { ttl, linkId: null } : null
}
