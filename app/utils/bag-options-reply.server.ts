import { createHash } from 'node:crypto'
import type { BagOption } from '#app/services/customer-orders/bag.server'

/**
 * The colours and sizes of one item of a reseller's page, for the picker sheet, which asks for them when it opens
 * (they are most of a shop's data and only the picker reads them, so the page does not carry them). Public and the
 * same for every visitor: it is read through the page's own kept data, dropped with it on any change, and may be
 * kept by browsers and proxies for one second (the kept data is at most 2 s old anyway); an ETag makes a repeat a 304.
 */
export function bagOptionsReply(request: Request, entry: { options: BagOption[] } | undefined): Response {
  if (!entry) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'public, max-age=1' } })
  const body = JSON.stringify({ options: entry.options })
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`
  const headers = { 'Cache-Control': 'public, max-age=1', ETag: etag }
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })
  return new Response(body, { headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } })
}
