import { IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import type { CheckoutApiHandler } from '#app/services/checkout/api.server'
import type { OrderFormAnswer, OrderFormReply, OrderFormRequest } from '#app/utils/customer-replies.server'
import { isCrossSiteMutation } from '#app/utils/http.server'
import { badInputFor, hasControlCharacters, paramsHaveControlCharacters } from './input-guard'

// The server's own request handling in front of Remix: the cross-site guard, POST /api/checkout answered on plain
// node:http, and customers' order forms answered there when they are orders. The transport only reads the socket and writes the reply; the checkout itself is the server
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
 * Reads a request's whole body, keeping at most `max` bytes: `done` gets it, or null when it was longer (the rest is
 * still read, so the keep-alive connection stays usable). A broken request is answered 400.
 */
function readBody(req: IncomingMessage, res: ServerResponse, max: number, done: (body: Buffer | null) => void) {
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= max) chunks.push(chunk)
  })
  req.on('error', () => {
    if (!res.headersSent) send(res, 400, 'text/plain; charset=utf-8', 'Bad request')
  })
  req.on('end', () => done(size > max ? null : Buffer.concat(chunks, size)))
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
    readBody(req, res, MAX_BODY_BYTES, (raw) => {
      let body: unknown
      if (raw) {
        try {
          body = JSON.parse(raw.toString('utf8'))
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

/** The server build's `handleOrderForm` (app/entry.server.tsx): the reply to an order form, or what Remix must answer. */
export type OrderFormHandler = (input: OrderFormRequest) => Promise<OrderFormAnswer>

const ORDER_FORM_BYTES = 64 * 1024

/**
 * Whether a request is a customer's order form: a url-encoded POST to a reseller's share page (`/s/<token>`) or
 * shop (`/shop/<handle>`), as the page's form sends it without JavaScript, or with it as a Remix data request for
 * that page's route. Where it was sent from and how; null for anything else.
 */
export function orderFormTarget(req: IncomingMessage): Pick<OrderFormRequest, 'source' | 'url' | 'dataRequest'> | null {
  if (req.method !== 'POST') return null
  const m = /^\/(s|shop)\/([^/?]+)(?:\?(.*))?$/.exec(req.url ?? '')
  if (!m) return null
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(single(req.headers['content-type']) ?? '')) return null
  let key: string
  try {
    key = decodeURIComponent(m[2]!)
  } catch {
    return null
  }
  const query = new URLSearchParams(m[3] ?? '')
  // A path or query with control characters is the input guard's to refuse.
  if (hasControlCharacters(key) || paramsHaveControlCharacters(query)) return null
  const data = query.get('_data')
  if (query.has('index') || (data !== null && data !== (m[1] === 's' ? 'routes/s.$token' : 'routes/shop.$handle')))
    return null
  return {
    source: m[1] === 's' ? { kind: 'share', token: key } : { kind: 'shop', handle: key },
    url: req.url!,
    dataRequest: data !== null,
  }
}

/** The request again, for Remix, with the body the transport already read. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const again = new IncomingMessage(req.socket)
  again.method = req.method
  again.url = req.url
  again.headers = req.headers
  again.rawHeaders = req.rawHeaders
  again.httpVersion = req.httpVersion
  again.httpVersionMajor = req.httpVersionMajor
  again.httpVersionMinor = req.httpVersionMinor
  again.push(body)
  again.push(null)
  // Complete: once read, it is not an aborted request (which would close the keep-alive socket under the reply).
  again.complete = true
  return again
}

/** A reply written as Remix would answer it (a data request's redirect is its 204 form). */
function writeReply(res: ServerResponse, reply: OrderFormReply, dataRequest: boolean) {
  const headers = { ...reply.headers }
  let status = reply.status
  const location = headers.location
  if (dataRequest && location && status >= 300 && status < 400) {
    delete headers.location
    headers['x-remix-redirect'] = location
    headers['x-remix-status'] = String(status)
    status = 204
  } else if (dataRequest) headers['x-remix-response'] = 'yes'
  const body = status === 204 ? '' : reply.body
  headers['content-length'] = String(Buffer.byteLength(body))
  res.writeHead(status, headers)
  res.end(body)
}

async function replyOf(response: Response): Promise<OrderFormReply> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
}

/**
 * Customers' order forms on plain node:http, before Express and Remix: an order is the hot path of a viral share
 * page, and Express's request set-up, Remix's route matching and its request objects cost more than the order's own
 * checkout. Refuses cross-site requests as refuseCrossSite does; reads the body (at most 64 KB, else 413) and gives
 * the form to `handle` (the build's `handleOrderForm`), which answers a valid order (the redirect to her pay step, or
 * for the page's script its refusal). An order waits for its answer in the checkout's own bounded queue (the
 * group-commit batch), never in admission control's: `remix` (behind admission control) gets what is not an
 * order — no order form, invalid input — with the body read; an order the checkout refused on a page without
 * JavaScript is re-rendered by `refused` (Remix started at once: the refusal is the order's answer, not a page
 * that may be turned away busy).
 */
export function orderFormTransport(
  handle: OrderFormHandler,
  clientAddress: (req: IncomingMessage) => string,
  remix: RequestListener,
  /** Marks an order in flight until the returned function is called (admission control's `hold`). */
  hold: () => () => void = () => () => {},
  refused: RequestListener = remix,
): RequestListener {
  return (req, res) => {
    const target = orderFormTarget(req)
    if (!target) return remix(req, res)
    if (crossSite(req)) {
      req.resume()
      return send(res, 403, 'text/plain; charset=utf-8', 'Cross-site request refused')
    }
    readBody(req, res, ORDER_FORM_BYTES, (body) => {
      if (!body) return send(res, 413, 'text/plain; charset=utf-8', 'Payload too large')
      const form = new URLSearchParams(body.toString('utf8'))
      // Input no handler could store is the input guard's to refuse, in Remix (app/server/input-guard.ts).
      if (paramsHaveControlCharacters(form)) return remix(replay(req, body), res)
      const release = hold()
      res.once('close', release)
      handle({
        ...target,
        form,
        cookie: single(req.headers.cookie) ?? null,
        acceptEncoding: single(req.headers['accept-encoding']) ?? null,
        userAgent: single(req.headers['user-agent']) ?? null,
        clientAddress: () => clientAddress(req),
      })
        .then(
          (answer) => {
            if (answer === 'refused') return refused(replay(req, body), res)
            if (answer !== 'invalid') return writeReply(res, answer, target.dataRequest)
            release()
            remix(replay(req, body), res)
          },
          async (error: unknown) => {
            const bad = badInputFor(error)
            if (bad) return writeReply(res, await replyOf(bad), target.dataRequest)
            throw error
          },
        )
        .catch((error: unknown) => {
          console.error(`POST ${req.url?.split('?')[0]} failed`, error)
          if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error')
        })
    })
  }
}
