import type { RequestHandler } from 'express'
import type { CheckoutApiReply } from '#app/services/checkout-api.server'
import { isCrossSiteMutation } from '#app/utils/http.server'

// The Express server's own middleware, shared with the tests of the fast path.

/** Cross-site mutations are refused before anything else (403 text/plain); the client address is passed on as a header. */
export const refuseCrossSite: RequestHandler = (req, res, next) => {
  if (isCrossSiteMutation(req.method, { origin: req.get('origin'), host: req.get('host'), forwardedHost: req.get('x-forwarded-host') })) {
    res.status(403).type('text/plain').send('Cross-site request refused')
    return
  }
  // Sign-in throttling keys on the client address; the app sees it through this header only.
  req.headers['x-client-address'] = req.socket.remoteAddress ?? 'unknown'
  next()
}

export type CheckoutApiHandler = (input: { cookie: string | null; body: unknown }) => Promise<CheckoutApiReply>

const MAX_BODY_BYTES = 1 << 20

/**
 * POST /api/checkout without Remix: the grab hot path. Reads the body as JSON whatever its content type (as the
 * Remix route's request.json() does; not JSON, or over 1 MB, → undefined → 400), calls the same checkoutApi the
 * Remix route calls, and writes its status and JSON body. Mount after refuseCrossSite and before Remix.
 */
export function checkoutFastPath(handle: CheckoutApiHandler): RequestHandler {
  return (req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooBig = true
      else chunks.push(chunk)
    })
    req.on('error', () => { if (!res.headersSent) res.status(400).end() })
    req.on('end', () => {
      let body: unknown
      if (!tooBig) {
        try { body = JSON.parse(Buffer.concat(chunks, size).toString('utf8')) } catch { body = undefined }
      }
      handle({ cookie: req.get('cookie') ?? null, body }).then(
        (reply) => { res.status(reply.status).json(reply.body) },
        (error: unknown) => {
          console.error('POST /api/checkout failed', error)
          if (!res.headersSent) res.status(500).json({ error: 'internal_error' })
        },
      )
    })
  }
}
