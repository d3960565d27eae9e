// A share link's poster as visitors ask for it (/s/<token>/card.png, ?item=<session item id>, ?lang=en). The link is
// read through the public pages' short-lived cache (the share page's own reads: a revocation or any change of hers
// drops it at once in this process, within PUBLIC_PAGE_TTL_MS in others), the PNG from memory, the disk cache or a
// render. The server answers these before admission control and Remix (app/server/posters.ts): a drawn poster costs
// a lookup in memory and one write, and renders are bounded by their own pool (503 with Retry-After when full).
import type { Db } from '#db/client'
import { isLocale } from '#app/i18n'
import { PoolFullError } from '#app/utils/bounded-pool.server'
import { UUID } from '#app/utils/http.server'
import { cachedCardPng } from './cards.server'
import { posterContent } from './forwarding.server'
import { cachedShare } from './public-pages.server'

export interface PosterReply {
  status: 200 | 304 | 400 | 404 | 410 | 503
  headers: Record<string, string>
  body: Buffer | string | null
}

const TOKEN = /^[A-Za-z0-9_-]{22,64}$/
const text = (status: PosterReply['status'], body: string, headers: Record<string, string> = {}): PosterReply => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  body,
})

/** The answer to a poster ask: the PNG (or 304 for the client that has it), 400, 404, 410, or 503 while renders are full. */
export async function answerPoster(
  db: Db,
  ask: { token: string; query: URLSearchParams; ifNoneMatch: string | null; origin: string; now: Date },
): Promise<PosterReply> {
  const item = ask.query.get('item') ?? undefined
  const lang = ask.query.get('lang') ?? 'zh-CN'
  if ((item && !UUID.test(item)) || !isLocale(lang)) return text(400, 'Bad request')
  if (!TOKEN.test(ask.token)) return text(404, 'Not found')
  const { lookup } = await cachedShare(db, ask.token, ask.now)
  const poster = posterContent(lookup, ask.token, { itemId: item, locale: lang, origin: ask.origin })
  if (poster.status === 'revoked') return text(410, 'Gone')
  if (poster.status !== 'ok') return text(404, 'Not found')
  let drawn: { png: Buffer; hash: string }
  try {
    drawn = await cachedCardPng(poster.content)
  } catch (error) {
    if (error instanceof PoolFullError)
      return text(503, 'Busy rendering posters, try again shortly', { 'Retry-After': '2' })
    throw error
  }
  const etag = `"${drawn.hash}"`
  // Its content (price, stock state) may change, and the link may be revoked: caches keep it a minute at most.
  const headers = { 'Cache-Control': 'public, max-age=60, must-revalidate', ETag: etag }
  if (ask.ifNoneMatch === etag) return { status: 304, headers, body: null }
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': 'image/png', 'Content-Length': String(drawn.png.length) },
    body: drawn.png,
  }
}
