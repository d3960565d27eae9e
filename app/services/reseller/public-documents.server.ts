// Whole pages of a reseller's share links and shop, kept for anonymous visitors. Her pages are the same for every
// visitor who is not signed in, and a forwarded card brings thousands of them in a minute: the page is rendered once
// per language and stylesheet variant, then sent as it is (and its gzip, made once) until the data it was rendered
// from is no longer fresh (public-page-cache.server.ts) or any reseller changes something. The server answers
// such a view before Express and Remix (app/server/public-pages.ts); a miss goes to Remix as usual and its render
// is kept here (`keepRendered`, called by the server entry).
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { getDb } from '#app/utils/db.server'
import { customerClientCookieFor } from '#app/utils/customer-replies.server'
import { localeOfCookie } from '#app/utils/locale.server'
import { stylesVariant } from '#app/utils/styles.server'
import { documentGeneration, keepDocument, keptDocument, type KeptDocument } from './public-page-cache.server'
import { keptPageFreshness } from './public-pages.server'
import { countShareViewSoon } from './share-views.server'

export type { KeptDocument }

/** A view of her share page (`/s/<token>`) or shop (`/shop/<handle>`), as the server read its request line. */
export interface PublicPageView {
  kind: 'share' | 'shop'
  /** The token or handle, decoded. */
  slug: string
  /** Path and query as requested: the document's address. */
  url: string
  cookie: string | null
}

/** Where a render of a missed view is kept: passed through the request's load context to the server entry. */
export interface PublicPageMiss {
  key: string
  kind: 'share' | 'shop'
  slug: string
  url: string
  /** The cache's drop count before the page's data was read. */
  readAt: number
}

const SIGNED_IN = /(?:^|;\s*)__session=/

/** Renders under way per key: the visitors who miss meanwhile wait for that one render instead of each making one. */
const rendering = new Map<string, Promise<void>>()
const finishers = new Map<string, () => void>()
/** How long a visitor waits for another's render before rendering her own. */
const WAIT_MS = 2_000

function finish(key: string) {
  finishers.get(key)?.()
  finishers.delete(key)
  rendering.delete(key)
}

/**
 * A view an anonymous visitor makes: the kept document (its view counted) with the cookies this visitor still
 * needs, or where to keep the page Remix will render. Null when the page is not the same for every visitor
 * (signed in: her own look, the site's header).
 */
export async function findPublicPage(view: PublicPageView): Promise<{
  document: KeptDocument | null
  setCookies: string[]
  miss: PublicPageMiss
  /** Called when the missed view has been answered (kept or not): visitors waiting for it go on. */
  rendered: () => void
} | null> {
  if (SIGNED_IN.test(view.cookie ?? '')) return null
  const readAt = documentGeneration()
  const styles = stylesVariant(view.cookie)
  const key = `${view.url}|${await localeOfCookie(view.cookie)}|${styles.inline ? 'inline' : 'linked'}`
  const setCookies = [styles.setCookie, customerClientCookieFor(view.cookie)].filter((c): c is string => c !== null)
  let document = keptDocument(key) ?? null
  const under = document ? undefined : rendering.get(key)
  if (under) {
    await Promise.race([under, new Promise((r) => setTimeout(r, WAIT_MS).unref())])
    document = keptDocument(key) ?? null
  }
  if (document?.linkId) countShareViewSoon(getDb(), document.linkId)
  const miss = { key, kind: view.kind, slug: view.slug, url: view.url, readAt }
  if (document || under) return { document, setCookies, miss, rendered: () => {} }
  rendering.set(key, new Promise<void>((resolve) => finishers.set(key, resolve)))
  return { document, setCookies, miss, rendered: () => finish(key) }
}

/**
 * Keeps the page Remix rendered for a missed view (`miss`, from the load context): only a 200, only for the address
 * it was asked for, for as long as the data it was rendered from stays fresh. Per-visitor cookies are not kept.
 */
export function keepRendered(miss: PublicPageMiss, request: Request, status: number, headers: Headers, html: Buffer) {
  const url = new URL(request.url)
  if (status !== 200 || request.method !== 'GET' || url.pathname + url.search !== miss.url) return
  if (SIGNED_IN.test(request.headers.get('Cookie') ?? '')) return
  const kept: [string, string][] = []
  headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') kept.push([name, value])
  })
  const fresh = keptPageFreshness(miss.kind, miss.slug)
  if (!fresh) return
  keepDocument(
    miss.key,
    {
      headers: kept,
      body: html,
      gzip: gzipSync(html),
      etag: `"${createHash('sha1').update(html).digest('base64url')}"`,
      linkId: fresh.linkId,
    },
    fresh.ttl,
    miss.readAt,
  )
  finish(miss.key)
}
