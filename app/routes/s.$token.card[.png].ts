import type { LoaderFunctionArgs } from '@remix-run/node'
import { isLocale } from '#app/i18n'
import { shareCard } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { PoolFullError } from '#app/utils/bounded-pool.server'
import { UUID } from '#app/utils/http.server'
import { publicOrigin } from '#app/utils/public-url.server'

// The card PNG of a share link: ?item=<session item id> for one item of a list, ?lang=en for English.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const item = url.searchParams.get('item') ?? undefined
  const lang = url.searchParams.get('lang') ?? 'zh-CN'
  if ((item && !UUID.test(item)) || !isLocale(lang)) return new Response('Bad request', { status: 400 })
  const card = await shareCard(getDb(), params.token ?? '', {
    itemId: item,
    locale: lang,
    origin: publicOrigin(),
    now: new Date(),
  }).catch((error: unknown) => {
    if (error instanceof PoolFullError)
      throw new Response('Busy rendering posters, try again shortly', { status: 503, headers: { 'Retry-After': '2' } })
    throw error
  })
  if (card.status === 'revoked') return new Response('Gone', { status: 410 })
  if (card.status !== 'ok') return new Response('Not found', { status: 404 })
  const etag = `"${card.hash}"`
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } })
  return new Response(new Uint8Array(card.png), {
    headers: {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=60, must-revalidate',
      ETag: etag,
      'Content-Length': String(card.png.length),
    },
  })
}
