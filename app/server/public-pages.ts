import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { KeptDocument, PublicPageMiss, PublicPageView } from '#app/services/reseller/public-documents.server'
import { encodedBody } from '#app/utils/content-encoding'
import type { GiveWay } from './give-way'
import { hasControlCharacters } from './input-guard'

// A reseller's share page (/s/<token>) and shop (/shop/<handle>) for visitors who are not signed in, answered on
// plain node:http before admission control, Express and Remix when the server build keeps the page
// (app/services/reseller/public-documents.server.ts): a kept page costs a header write and one buffer (brotli or
// gzip, made when it was kept, as `compression` would choose), or a 304 for a client that has it. A miss goes on to Remix, carrying where to keep the
// render (the request's load context: `publicPageContext`).

/** The server build's `findPublicPage` (app/entry.server.tsx). */
export type FindPublicPage = (view: PublicPageView) => Promise<{
  document: KeptDocument | null
  setCookies: string[]
  miss: PublicPageMiss
  rendered: () => void
} | null>

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

function sendKept(req: IncomingMessage, res: ServerResponse, document: KeptDocument, setCookies: string[]) {
  for (const [name, value] of document.headers) res.setHeader(name, value)
  // Every visitor revalidates (the page changes within seconds); one that has this very page gets a 304.
  res.setHeader('Cache-Control', 'private, no-cache')
  res.setHeader('ETag', document.etag)
  res.setHeader('Vary', 'Cookie, Accept-Encoding')
  if (setCookies.length) res.setHeader('Set-Cookie', setCookies)
  if (single(req.headers['if-none-match']) === document.etag) {
    res.removeHeader('Content-Type')
    res.writeHead(304)
    return res.end()
  }
  const { body, encoding } = encodedBody(document, single(req.headers['accept-encoding']))
  if (encoding) res.setHeader('Content-Encoding', encoding)
  res.setHeader('Content-Length', body.length)
  res.writeHead(200)
  res.end(body)
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
): RequestListener {
  const other: RequestListener = (req, res) => {
    pace.other()
    rest(req, res)
  }
  return (req, res) => {
    const view = publicPageView(req)
    if (!view) return other(req, res)
    find(view).then(
      (found) => {
        const document = found?.document
        if (document) return pace.send(res, () => sendKept(req, res, document, found.setCookies))
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
