import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import type { CheckoutApiHandler } from '#app/services/checkout/api.server'
import { isCrossSiteMutation } from '#app/utils/http.server'

// The server's own request handling in front of Remix: the cross-site guard, and POST /api/checkout answered on
// plain node:http. The transport only reads the socket and writes the reply; the checkout itself is the server
// build's `handleCheckout` export (app/entry.server.tsx), so it runs in the build's one module graph (one pool,
// one group-commit queue, one cookie authentication).

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
const crossSite = (req: IncomingMessage) =>
  isCrossSiteMutation(req.method ?? 'GET', {
    origin: single(req.headers.origin),
    host: single(req.headers.host),
    forwardedHost: single(req.headers['x-forwarded-host']),
  })

/** Cross-site mutations are refused before anything else (403 text/plain); the client address is passed on as a header. */
export const refuseCrossSite: RequestHandler = (req, res, next) => {
  if (crossSite(req)) {
    res.status(403).type('text/plain').send('Cross-site request refused')
    return
  }
  // Throttles key on the client address; the app sees it through this header only (whatever the client sent is replaced).
  req.headers['x-client-address'] = req.ip ?? req.socket.remoteAddress ?? 'unknown'
  next()
}

export type { CheckoutApiHandler }

const MAX_BODY_BYTES = 1 << 20

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(body)
}

/**
 * POST /api/checkout on plain node:http, before Express and Remix: the grab hot path (Express's request set-up,
 * compression and static lookups cost more than the checkout's own work here). Refuses cross-site requests as
 * refuseCrossSite does; reads the body as JSON whatever its content type (not JSON, or over 1 MB, → undefined →
 * 400); passes the Cookie and Idempotency-Key headers and the body to `handle` and writes its status and JSON body.
 */
export function checkoutTransport(handle: CheckoutApiHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (crossSite(req)) return send(res, 403, 'text/plain; charset=utf-8', 'Cross-site request refused')
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooBig = true
      else chunks.push(chunk)
    })
    req.on('error', () => {
      if (!res.headersSent) send(res, 400, 'text/plain; charset=utf-8', 'Bad request')
    })
    req.on('end', () => {
      let body: unknown
      if (!tooBig) {
        try {
          body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'))
        } catch {
          body = undefined
        }
      }
      handle({
        cookie: single(req.headers.cookie) ?? null,
        idempotencyKey: single(req.headers['idempotency-key']) ?? null,
        body,
      }).then(
        (reply) => send(res, reply.status, 'application/json; charset=utf-8', JSON.stringify(reply.body)),
        (error: unknown) => {
          console.error('POST /api/checkout failed', error)
          if (!res.headersSent) send(res, 500, 'application/json; charset=utf-8', '{"error":"internal_error"}')
        },
      )
    })
  }
}

/** The server's request listener: POST /api/checkout to the checkout transport, everything else to `rest` (Express). */
export function checkoutFirst(fast: ReturnType<typeof checkoutTransport>, rest: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? ''
    if (req.method === 'POST' && (url === '/api/checkout' || url.startsWith('/api/checkout?'))) fast(req, res)
    else rest(req, res)
  }
}

/**
 * A customer's order form: a POST to a reseller's share page (`/s/<token>`) or shop (`/shop/<handle>`), with or
 * without JavaScript. Such a POST is an order, like POST /api/checkout, not a page: it is never queued behind page
 * renders by admission control. It is bounded by the group-commit queue instead (`maxWaiting` per SKU, then a fast
 * refusal, `busy`). Everything else about it (the action, the no-JS redirect to the payment) is Remix's.
 */
export function isCustomerOrderPost(req: IncomingMessage): boolean {
  return req.method === 'POST' && /^\/(?:s|shop)\/[^/?]+(?:\?|$)/.test(req.url ?? '')
}

/** Customer order forms straight to `app`, everything else through `admitted` (admission control). */
export function customerOrdersUnqueued(app: RequestListener, admitted: RequestListener): RequestListener {
  return (req, res) => (isCustomerOrderPost(req) ? app(req, res) : admitted(req, res))
}
