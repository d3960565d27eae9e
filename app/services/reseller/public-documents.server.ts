// Whole pages of a reseller's share links and shop, kept for anonymous visitors. Her pages are the same for every
// visitor who is not signed in, and a forwarded card brings thousands of them in a minute: the page is rendered once
// per language, stylesheet variant and browser, then sent as it is (or compressed, once) until the data it was rendered
// from is no longer fresh (public-page-cache.server.ts) or any reseller changes something. The server answers
// such a view before Express and Remix (app/server/public-pages.ts); a miss goes to Remix as usual and its render
// is kept here (`keepRendered`, called by the server entry). So are her share page and shop as the answer to an order
// form the checkout refused on a phone without JavaScript: the page with the refusal is the same for every customer
// refused the same way at the same address (`findRefusalPage`, `keepRefusalRender`). A kept page is compressed once,
// when kept, in both encodings `compression` may choose (app/utils/content-encoding.ts picks one per client).
import { createHash } from 'node:crypto'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { getDb } from '#app/utils/db.server'
import { customerClientCookieFor } from '#app/utils/customer-client.server'
import { localeOfCookie } from '#app/utils/locale.server'
import { stylesVariant } from '#app/utils/styles.server'
import { isWechatBrowser } from '#app/services/wechat/js-sdk.server'
import {
  documentBehindData,
  documentDataDue,
  documentGeneration,
  keepDocument,
  keptDocument,
  PUBLIC_PAGE_TTL_MS,
  REFRESH_AHEAD_MS,
  type KeptDocument,
} from './public-page-cache.server'
import { keptPageData, refreshPageData } from './public-pages.server'
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
  userAgent: string | null
}

/** Where a render of a missed view is kept: passed through the request's load context to the server entry. */
export interface PublicPageMiss {
  key: string
  kind: 'share' | 'shop'
  slug: string
  url: string
  /** The cache's drop count before the page's data was read. */
  readAt: number
  /** The stamp of the page's kept data when the view came (null: not kept, the render reads it). */
  dataStamp: string | null
  /** When the view came (ms since the epoch). */
  at: number
}

const SIGNED_IN = /(?:^|;\s*)__session=/

/** Her pages carry WeChat's share card (a signed wx.config) only for WeChat's own browser: a page kept per kind. */
const browserOf = (userAgent: string | null) => (isWechatBrowser(userAgent) ? 'wechat' : 'web')

/** Renders under way per key: the visitors who miss meanwhile wait for that one render instead of each making one. */
const rendering = new Map<string, Promise<void>>()
const finishers = new Map<string, () => void>()
/** How long a visitor waits for another's render before rendering her own. */
const WAIT_MS = 2_000
/**
 * A render whose data was read during the view (not kept before it) is kept only when it took less than this: a
 * read ahead or a new read of that data could have replaced it meanwhile (neither comes sooner: the TTL less its
 * read ahead), and the page would be kept as if made from the newer data.
 */
const NEW_DATA_RENDER_MS = PUBLIC_PAGE_TTL_MS - REFRESH_AHEAD_MS

function finish(key: string) {
  finishers.get(key)?.()
  finishers.delete(key)
  rendering.delete(key)
}

/** A view answered from a kept page, or the view Remix renders (and where to keep its render). */
export type FoundPublicPage =
  | { document: KeptDocument; setCookies: string[] }
  | {
      document: null
      setCookies: string[]
      miss: PublicPageMiss
      /** Called when the missed view has been answered (kept or not): visitors waiting for it go on. */
      rendered: () => void
    }

/**
 * A view an anonymous visitor makes: the kept document (its view counted) with the cookies this visitor still
 * needs, or where to keep the page Remix will render. Null when the page is not the same for every visitor
 * (signed in: her own look, the site's header). A kept page is the answer to most views of a viral link: that path
 * allocates little (the garbage collector's pauses grow with what each view leaves behind).
 */
export async function findPublicPage(view: PublicPageView): Promise<FoundPublicPage | null> {
  if (SIGNED_IN.test(view.cookie ?? '')) return null
  const readAt = documentGeneration()
  const styles = stylesVariant(view.cookie)
  const key = `${view.url}|${await localeOfCookie(view.cookie)}|${styles.inline ? 'inline' : 'linked'}|${browserOf(view.userAgent)}`
  const setCookies = [styles.setCookie, customerClientCookieFor(view.cookie)].filter((c): c is string => c !== null)
  let document = keptDocument(key) ?? null
  const under = document ? undefined : rendering.get(key)
  if (under) {
    await Promise.race([under, new Promise((r) => setTimeout(r, WAIT_MS).unref())])
    document = keptDocument(key) ?? null
  }
  if (document) {
    if (document.linkId) countShareViewSoon(getDb(), document.linkId)
    if (documentDataDue(key)) refreshPageData(getDb(), view.kind, view.slug)
    // Its data was read again and changed, or it is as old as a page may be: this view renders it anew while the
    // others have the kept page until it expires.
    if (rendering.has(key) || !documentBehindData(key)) return { document, setCookies }
  }
  const miss: PublicPageMiss = {
    key,
    kind: view.kind,
    slug: view.slug,
    url: view.url,
    readAt,
    dataStamp: keptPageData(view.kind, view.slug)?.stamp ?? null,
    at: Date.now(),
  }
  if (!document && under) return { document: null, setCookies, miss, rendered: () => {} }
  rendering.set(key, new Promise<void>((resolve) => finishers.set(key, resolve)))
  return { document: null, setCookies, miss, rendered: () => finish(key) }
}

/**
 * Keeps the page Remix rendered for a missed view (`miss`, from the load context): only a 200, only for the address
 * it was asked for, for as long as the data it was rendered from stays fresh. Per-visitor cookies are not kept.
 */
export function keepRendered(miss: PublicPageMiss, request: Request, status: number, headers: Headers, html: Buffer) {
  const url = new URL(request.url)
  if (status !== 200 || request.method !== 'GET' || url.pathname + url.search !== miss.url) return
  if (SIGNED_IN.test(request.headers.get('Cookie') ?? '')) return
  const data = keptPageData(miss.kind, miss.slug)
  if (!data) return
  // Kept with the data it was made from: the data kept when the view came, unchanged since, or read during it.
  if (miss.dataStamp ? data.stamp !== miss.dataStamp : Date.now() - miss.at >= NEW_DATA_RENDER_MS) return
  keepDocument(miss.key, keptDocumentOf(headers, html, data.linkId), data.ttl, miss.readAt, data.keys)
  finish(miss.key)
}

/** A rendered page as it is kept: its headers but per-visitor cookies, its bytes, compressed once, and its ETag. */
function keptDocumentOf(headers: Headers, html: Buffer, linkId: string | null): KeptDocument {
  const kept: [string, string][] = []
  headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') kept.push([name, value])
  })
  return {
    headers: kept,
    body: html,
    gzip: gzipSync(html),
    // Made once, so a notch above `compression`'s quality 4, whose brotli of her ~72 KB page (17.3 KB) is larger than
    // its gzip (16.5 KB): quality 5 makes 15.7 KB for ~1.3 ms of CPU (4: 0.8 ms); 9 and up cost 20–180 ms of the loop.
    br: brotliCompressSync(html, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
    etag: `"${createHash('sha1').update(html).digest('base64url')}"`,
    linkId,
  }
}

/** A refusal as a customer reads it on the page (customer-replies.server.ts): its code and the details she may see. */
export interface PageRefusal {
  code: string
  item?: unknown
  cap?: unknown
}

interface RefusalRender {
  /** Settles when the render was kept, or was not going to be. */
  done: Promise<void>
  finish: () => void
  /** The cache's drop count when the refused order was handed to Remix, before the page's data was read. */
  readAt: number
}

/** How long customers refused the same way wait for the one render of their page before Remix renders their own. */
const REFUSAL_WAIT_MS = 1_000

/** Refusal pages Remix is rendering, by key: the customers refused meanwhile wait for that one render. */
const refusalRenders = new Map<string, RefusalRender>()

/**
 * A refusal page's key: the address it was posted to (path and query, as the URL parser spells them: the order
 * transport reads the request line, Remix its URL), for the page is rendered at it (her shop's filters, the form's
 * own action), the customer's language, stylesheet variant and browser, and the refusal.
 */
const refusalKey = (
  page: Pick<PublicPageView, 'url' | 'cookie' | 'userAgent'>,
  locale: string,
  refusal: PageRefusal,
) => {
  const at = new URL(page.url, 'http://page')
  const styles = stylesVariant(page.cookie).inline ? 'inline' : 'linked'
  return (
    `refused|${at.pathname}${at.search}|${locale}|${styles}|${browserOf(page.userAgent)}|` +
    JSON.stringify([refusal.code, refusal.item ?? null, refusal.cap ?? null])
  )
}

function refusalRender(key: string): RefusalRender {
  let resolve = () => {}
  const done = new Promise<void>((r) => (resolve = r))
  const render: RefusalRender = {
    done,
    readAt: documentGeneration(),
    finish: () => {
      if (refusalRenders.get(key) === render) refusalRenders.delete(key)
      resolve()
    },
  }
  refusalRenders.set(key, render)
  // A render that does not come back as this refusal (the order went through on its second try) frees the waiters.
  setTimeout(render.finish, REFUSAL_WAIT_MS).unref()
  return render
}

/**
 * Her share page or shop answering an order form the checkout refused (no JavaScript: the page re-rendered with
 * the refusal), kept, with the cookies this customer still needs. Her typed details are not on it (a refusal does
 * not echo them), so it is the same for everyone refused the same way at the same address while the page's data is
 * fresh: a storm's sold-out tail of hundreds of refusals costs one render. Null: Remix renders it (signed in, or not
 * kept yet; then that render is kept by `keepRefusalRender` and the customers refused meanwhile wait for it).
 */
export async function findRefusalPage(
  page: Pick<PublicPageView, 'url' | 'cookie' | 'userAgent'>,
  refusal: PageRefusal,
): Promise<{ document: KeptDocument; setCookies: string[] } | null> {
  const { cookie } = page
  if (SIGNED_IN.test(cookie ?? '')) return null
  const key = refusalKey(page, await localeOfCookie(cookie), refusal)
  let document = keptDocument(key)
  const under = document ? undefined : refusalRenders.get(key)
  if (under) {
    await under.done
    document = keptDocument(key)
  }
  if (document) {
    const setCookies = [stylesVariant(cookie).setCookie, customerClientCookieFor(cookie)]
    return { document, setCookies: setCookies.filter((c): c is string => c !== null) }
  }
  if (!under) refusalRender(key)
  return null
}

/**
 * Keeps the page Remix rendered as the answer to a refused order form on her share page or shop, when the order
 * transport is waiting for it (`findRefusalPage`): only a refusal (409, 422 or 429) of an anonymous customer, for as
 * long as the data it was rendered from stays fresh. Per-visitor cookies are not kept.
 */
export function keepRefusalRender(
  request: Request,
  locale: string,
  status: number,
  headers: Headers,
  html: Buffer,
  refusal: PageRefusal | undefined,
) {
  if (request.method !== 'POST' || !refusal || ![409, 422, 429].includes(status)) return
  const url = new URL(request.url)
  const m = /^\/(s|shop)\/([^/]+)$/.exec(url.pathname)
  const cookie = request.headers.get('Cookie')
  if (!m || SIGNED_IN.test(cookie ?? '')) return
  let slug: string
  try {
    slug = decodeURIComponent(m[2]!)
  } catch {
    return
  }
  const key = refusalKey(
    { url: url.pathname + url.search, cookie, userAgent: request.headers.get('User-Agent') },
    locale,
    refusal,
  )
  const render = refusalRenders.get(key)
  if (!render) return
  const data = keptPageData(m[1] === 's' ? 'share' : 'shop', slug)
  // A refusal is not a view of her page.
  if (data) keepDocument(key, keptDocumentOf(headers, html, null), data.ttl, render.readAt, data.keys)
  render.finish()
}
