// A loopback stand-in for the Stripe API: answers the calls the payment layer makes with realistic
// JSON and records every request. The real `stripe` client reaches it via STRIPE_API_HOST/PORT/PROTOCOL.
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  idempotencyKey: string | null
  authorization: string | null
  /** Form body as Stripe encodes it, e.g. `line_items[0][price_data][unit_amount]`. */
  body: Record<string, string>
}

export interface StripeStandIn {
  host: string
  port: number
  requests: RecordedRequest[]
  /** Status the next refunds get ('succeeded' unless changed). */
  refundStatus: 'succeeded' | 'pending' | 'failed'
  /** Sets STRIPE_* env vars so the app's client talks to this server. */
  env(): Record<string, string>
  close(): Promise<void>
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = []
  const sessions = new Map<string, Record<string, unknown>>()
  // Stripe replays the first answer for a repeated idempotency key.
  const replies = new Map<string, unknown>()
  const state: { refundStatus: StripeStandIn['refundStatus'] } = { refundStatus: 'succeeded' }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => { raw += c.toString('utf8') })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const body = Object.fromEntries(new URLSearchParams(raw))
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null
      requests.push({ method: req.method ?? 'GET', path: url.pathname, idempotencyKey: key, authorization: (req.headers.authorization as string | undefined) ?? null, body })
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': id('req') })
        res.end(JSON.stringify(payload))
      }
      if (key && replies.has(`${req.method} ${url.pathname} ${key}`)) return send(200, replies.get(`${req.method} ${url.pathname} ${key}`))
      const remember = (payload: unknown) => { if (key) replies.set(`${req.method} ${url.pathname} ${key}`, payload); send(200, payload) }

      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        const sessionId = id('cs')
        const metadata = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v]))
        const session = {
          id: sessionId, object: 'checkout.session', mode: body.mode, status: 'open', payment_status: 'unpaid',
          amount_total: Number(body['line_items[0][price_data][unit_amount]']), currency: body['line_items[0][price_data][currency]'],
          client_reference_id: body.client_reference_id ?? null, metadata, payment_intent: null,
          success_url: body.success_url, cancel_url: body.cancel_url, expires_at: Number(body.expires_at),
          created: Math.floor(Date.now() / 1000), livemode: false,
          url: `https://checkout.stripe.com/c/pay/${sessionId}#stand-in`,
        }
        sessions.set(sessionId, session)
        return remember(session)
      }
      const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname)
      if (req.method === 'GET' && sessionMatch) {
        const session = sessions.get(sessionMatch[1])
        if (!session) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${sessionMatch[1]}'` } })
        return send(200, { ...session, payment_intent: session.payment_intent ?? `pi_for_${sessionMatch[1]}` })
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        if (!body.payment_intent) return send(400, { error: { type: 'invalid_request_error', message: 'Missing payment_intent' } })
        return remember({
          id: id('re'), object: 'refund', amount: Number(body.amount), currency: 'cny', payment_intent: body.payment_intent,
          status: state.refundStatus, reason: null, created: Math.floor(Date.now() / 1000),
          metadata: Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
        })
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` } })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    host: '127.0.0.1',
    port,
    requests,
    get refundStatus() { return state.refundStatus },
    set refundStatus(v) { state.refundStatus = v },
    env: () => ({ STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_WEBHOOK_SECRET: 'whsec_stand_in_secret', STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: 'http' }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
