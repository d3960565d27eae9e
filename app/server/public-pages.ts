import { ServerResponse, type IncomingMessage, type RequestListener } from 'node:http'
import type {
  FoundPublicPage,
  KeptDocument,
  PublicPageMiss,
  PublicPageView,
} from '#app/services/reseller/public-documents.server'
import { bodyIn, encodedBody, type ContentEncoding } from '#app/utils/content-encoding'
import type { GiveWay } from './give-way'
import { hasControlCharacters } from './input-guard'

// A reseller's share page (/s/<token>) and shop (/shop/<handle>) for visitors who are not signed in, answered on
// plain node:http before admission control, Express and Remix when the server build keeps the page
// (app/services/reseller/public-documents.server.ts): a kept page costs a header write and one buffer (brotli or
// gzip, made when it was kept, as `compression` would choose), or a 304 for a client that has it. A miss goes on to Remix, carrying where to keep the
// render (the request's load context: `publicPageContext`).

/** The server build's `findPublicPage` (app/entry.server.tsx). */
export type FindPublicPage = (view: PublicPageView) => Promise<FoundPublicPage | null>

const MISS = Symbol('public page miss')
type WithMiss = IncomingMessage & { [MISS]?: PublicPageMiss }

/** The load context of a request Remix renders: where to keep it, when it is a missed public page. */
export function publicPageContext(req: IncomingMessage): { publicPage: PublicPageMiss | null } {
  return { publicPage: (req as WithMiss)[MISS] ?? null }
}

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

/** A GET of her share page or shop (no Remix data request), as the build reads it; null for anything else. */
export function publicPageView(req: IncomingMessage): PublicPageView | null {
  if (req.method !== 'GET') return null
  const url = req.url ?? ''
  const m = /^\/(s|shop)\/([^/?]+)(?:\?(.*))?$/.exec(url)
  if (!m) return null
  let slug: string
  let query: URLSearchParams
  try {
    slug = decodeURIComponent(m[2]!)
    query = new URLSearchParams(m[3] ?? '')
    // Control characters anywhere are the input guard's to refuse, in Remix.
    if (hasControlCharacters(decodeURIComponent(url))) return null
  } catch {
    return null
  }
  if (query.has('_data') || query.has('index')) return null
  return {
    kind: m[1] === 's' ? 'share' : 'shop',
    slug,
    url,
    cookie: single(req.headers.cookie) ?? null,
    userAgent: single(req.headers['user-agent']) ?? null,
  }
}

type HeaderPairs = readonly [string, string][]

/**
 * A kept page's response headers, one flat list per document and encoding (and one for its 304), made once: sent
 * through writeHead's list, a view of a viral page costs no header map and no per-header call (measured: setHeader
 * and the security headers set one at a time were a fifth of what each view allocated, and the garbage collector's
 * pauses grow with it). `guardHeaders` are the security headers every response carries (./guards.ts), unless the
 * page has its own.
 */
function headerList(document: KeptDocument, encoding: ContentEncoding | null | 304, guardHeaders: HeaderPairs) {
  const headers = new Map<string, [string, string]>()
  const set = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value])
  for (const [name, value] of guardHeaders) set(name, value)
  for (const [name, value] of document.headers) set(name, value)
  // Every visitor revalidates (the page changes within seconds); one that has this very page gets a 304.
  set('Cache-Control', 'private, no-cache')
  set('ETag', document.etag)
  set('Vary', 'Cookie, Accept-Encoding')
  if (encoding === 304) headers.delete('content-type')
  else {
    if (encoding) set('Content-Encoding', encoding)
    set('Content-Length', String(bodyIn(document, encoding).length))
  }
  return [...headers.values()].flat()
}

/** Each kept document's header lists, per encoding, made when first sent. */
function keptHeaderLists(guardHeaders: HeaderPairs) {
  const lists = new WeakMap<KeptDocument, Map<ContentEncoding | null | 304, string[]>>()
  return (document: KeptDocument, encoding: ContentEncoding | null | 304) => {
    let byEncoding = lists.get(document)
    if (!byEncoding) lists.set(document, (byEncoding = new Map()))
    let list = byEncoding.get(encoding)
    if (!list) byEncoding.set(encoding, (list = headerList(document, encoding, guardHeaders)))
    return list
  }
}

function sendKept(
  req: IncomingMessage,
  res: ServerResponse,
  document: KeptDocument,
  setCookies: string[],
  headersOf: ReturnType<typeof keptHeaderLists>,
) {
  const notModified = single(req.headers['if-none-match']) === document.etag
  const chosen = notModified ? null : encodedBody(document, single(req.headers['accept-encoding']))
  let headers = headersOf(document, chosen ? chosen.encoding : 304)
  if (setCookies.length) headers = [...headers, ...setCookies.flatMap((c) => ['Set-Cookie', c])]
  // ServerResponse's own writeHead, not the guard's wrapper around it (on-headers, ./guards.ts), which would add
  // the security headers the list already has, one setHeader at a time.
  ServerResponse.prototype.writeHead.call(res, notModified ? 304 : 200, headers)
  res.end(chosen?.body)
}

/** Sends every kept page at once (a transport without other work to give way to). */
const atOnce: Pick<GiveWay, 'send' | 'other'> = { send: (_res, send) => send(), other: () => {} }

/**
 * Her public pages first: a kept page is sent at once, or after the other work's turn (`pace`, ./give-way.ts); a
 * page not kept (or a signed-in visitor's) goes to `rest` (admission control, Express, Remix), a miss marked so
 * that its render is kept.
 */
export function publicPagesFirst(
  find: FindPublicPage,
  rest: RequestListener,
  pace: Pick<GiveWay, 'send' | 'other'> = atOnce,
  guardHeaders: HeaderPairs = [],
): RequestListener {
  const headersOf = keptHeaderLists(guardHeaders)
  const other: RequestListener = (req, res) => {
    pace.other()
    rest(req, res)
  }
  return (req, res) => {
    const view = publicPageView(req)
    if (!view) return other(req, res)
    find(view).then(
      (found) => {
        if (found?.document) {
          const { document, setCookies } = found
          return pace.send(res, () => sendKept(req, res, document, setCookies, headersOf))
        }
        if (found) {
          ;(req as WithMiss)[MISS] = found.miss
          // However the miss ends (kept, refused, an error page), visitors waiting for its render go on.
          res.once('close', found.rendered)
        }
        other(req, res)
      },
      (error: unknown) => {
        console.error(`GET ${req.url?.split('?')[0]} failed`, error)
        other(req, res)
      },
    )
  }
}
