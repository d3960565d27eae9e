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
  /** Connect: Express accounts by id (tests change their state, then send account.updated events). */
  accounts: Map<string, StandInAccount>
  /** Every transfer made, in order. */
  transfers: Array<Record<string, unknown>>
  /** The next N transfer requests are declined with a 400 (stored, so replayed for the same key). */
  declineTransfers: number
  /** The next N answers to transfer requests are lost (the connection drops); the transfer itself is made once. */
  dropTransferAnswers: number
  /** Marks an account's onboarding finished (payouts enabled, nothing due) and returns it. */
  completeOnboarding(accountId: string): StandInAccount
  /** Sets STRIPE_* env vars so the app's client talks to this server. */
  env(): Record<string, string>
  close(): Promise<void>
}

export interface StandInAccount {
  id: string
  object: 'account'
  type: 'express'
  email: string | null
  charges_enabled: boolean
  payouts_enabled: boolean
  details_submitted: boolean
  requirements: {
    currently_due: string[]
    past_due: string[]
    eventually_due: string[]
    disabled_reason: string | null
  }
  metadata: Record<string, string>
  created: number
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: RecordedRequest[] = []
  const sessions = new Map<string, Record<string, unknown>>()
  // Stripe replays the first answer for a repeated idempotency key.
  const replies = new Map<string, unknown>()
  const state: { refundStatus: StripeStandIn['refundStatus']; declineTransfers: number; dropTransferAnswers: number } =
    { refundStatus: 'succeeded', declineTransfers: 0, dropTransferAnswers: 0 }
  const accounts = new Map<string, StandInAccount>()
  const transfers: Array<Record<string, unknown>> = []
  const metadataOf = (body: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k.startsWith('metadata['))
        .map(([k, v]) => [k.slice(9, -1), v]),
    )

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8')
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const body = Object.fromEntries(new URLSearchParams(raw))
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        idempotencyKey: key,
        authorization: (req.headers.authorization as string | undefined) ?? null,
        body,
      })
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': id('req') })
        res.end(JSON.stringify(payload))
      }
      if (key && replies.has(`${req.method} ${url.pathname} ${key}`)) {
        const replay = replies.get(`${req.method} ${url.pathname} ${key}`) as { error?: unknown }
        if (req.method === 'POST' && url.pathname === '/v1/transfers' && state.dropTransferAnswers > 0) {
          state.dropTransferAnswers -= 1
          return req.socket.destroy()
        }
        return send(replay && typeof replay === 'object' && 'error' in replay ? 400 : 200, replay)
      }
      const remember = (payload: unknown) => {
        if (key) replies.set(`${req.method} ${url.pathname} ${key}`, payload)
        send(200, payload)
      }

      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        const sessionId = id('cs')
        const metadata = Object.fromEntries(
          Object.entries(body)
            .filter(([k]) => k.startsWith('metadata['))
            .map(([k, v]) => [k.slice(9, -1), v]),
        )
        const session = {
          id: sessionId,
          object: 'checkout.session',
          mode: body.mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total: Number(body['line_items[0][price_data][unit_amount]']),
          currency: body['line_items[0][price_data][currency]'],
          client_reference_id: body.client_reference_id ?? null,
          metadata,
          payment_intent: null,
          success_url: body.success_url,
          cancel_url: body.cancel_url,
          expires_at: Number(body.expires_at),
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          url: `https://checkout.stripe.com/c/pay/${sessionId}#stand-in`,
        }
        sessions.set(sessionId, session)
        return remember(session)
      }
      const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname)
      if (req.method === 'GET' && sessionMatch) {
        const session = sessions.get(sessionMatch[1])
        if (!session)
          return send(404, {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              message: `No such checkout.session: '${sessionMatch[1]}'`,
            },
          })
        return send(200, { ...session, payment_intent: session.payment_intent ?? `pi_for_${sessionMatch[1]}` })
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        if (!body.payment_intent)
          return send(400, { error: { type: 'invalid_request_error', message: 'Missing payment_intent' } })
        return remember({
          id: id('re'),
          object: 'refund',
          amount: Number(body.amount),
          currency: 'cny',
          payment_intent: body.payment_intent,
          status: state.refundStatus,
          reason: null,
          created: Math.floor(Date.now() / 1000),
          metadata: Object.fromEntries(
            Object.entries(body)
              .filter(([k]) => k.startsWith('metadata['))
              .map(([k, v]) => [k.slice(9, -1), v]),
          ),
        })
      }
      // Connect: Express accounts, onboarding links, transfers from the platform balance.
      if (req.method === 'POST' && url.pathname === '/v1/accounts') {
        const account: StandInAccount = {
          id: id('acct'),
          object: 'account',
          type: 'express',
          email: body.email ?? null,
          charges_enabled: false,
          payouts_enabled: false,
          details_submitted: false,
          requirements: {
            currently_due: ['external_account', 'tos_acceptance.date'],
            past_due: [],
            eventually_due: ['external_account', 'tos_acceptance.date'],
            disabled_reason: 'requirements.past_due',
          },
          metadata: metadataOf(body),
          created: Math.floor(Date.now() / 1000),
        }
        accounts.set(account.id, account)
        return remember(account)
      }
      const accountMatch = /^\/v1\/accounts\/([^/]+)$/.exec(url.pathname)
      if (req.method === 'GET' && accountMatch) {
        const account = accounts.get(accountMatch[1])
        if (!account)
          return send(404, {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              message: `No such account: '${accountMatch[1]}'`,
            },
          })
        return send(200, account)
      }
      if (req.method === 'POST' && url.pathname === '/v1/account_links') {
        if (!accounts.has(body.account))
          return send(400, { error: { type: 'invalid_request_error', message: `No such account: '${body.account}'` } })
        return send(200, {
          object: 'account_link',
          url: `https://connect.stripe.com/setup/e/${body.account}/${randomBytes(6).toString('hex')}`,
          created: Math.floor(Date.now() / 1000),
          expires_at: Math.floor(Date.now() / 1000) + 300,
          refresh_url: body.refresh_url,
          return_url: body.return_url,
        })
      }
      if (req.method === 'POST' && url.pathname === '/v1/transfers') {
        const stored = (status: number, payload: unknown) => {
          if (key) replies.set(`${req.method} ${url.pathname} ${key}`, payload)
          send(status, payload)
        }
        if (state.declineTransfers > 0) {
          state.declineTransfers -= 1
          const error = {
            error: {
              type: 'invalid_request_error',
              code: 'balance_insufficient',
              message: 'You have insufficient available funds in your Stripe account.',
            },
          }
          if (key) replies.set(`${req.method} ${url.pathname} ${key}`, error)
          return send(400, error)
        }
        const account = accounts.get(body.destination)
        if (!account)
          return stored(400, {
            error: { type: 'invalid_request_error', message: `No such destination: '${body.destination}'` },
          })
        const transfer = {
          id: id('tr'),
          object: 'transfer',
          amount: Number(body.amount),
          currency: body.currency,
          destination: body.destination,
          transfer_group: body.transfer_group ?? null,
          metadata: metadataOf(body),
          reversed: false,
          amount_reversed: 0,
          created: Math.floor(Date.now() / 1000),
          livemode: false,
        }
        transfers.push(transfer)
        if (key) replies.set(`${req.method} ${url.pathname} ${key}`, transfer)
        if (state.dropTransferAnswers > 0) {
          state.dropTransferAnswers -= 1
          return req.socket.destroy()
        }
        return send(200, transfer)
      }
      if (req.method === 'GET' && url.pathname === '/v1/transfers') {
        const group = url.searchParams.get('transfer_group')
        return send(200, {
          object: 'list',
          url: '/v1/transfers',
          has_more: false,
          data: transfers.filter((t) => !group || t.transfer_group === group).reverse(),
        })
      }
      send(404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname})` },
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    host: '127.0.0.1',
    port,
    requests,
    get refundStatus() {
      return state.refundStatus
    },
    set refundStatus(v) {
      state.refundStatus = v
    },
    accounts,
    transfers,
    get declineTransfers() {
      return state.declineTransfers
    },
    set declineTransfers(v) {
      state.declineTransfers = v
    },
    get dropTransferAnswers() {
      return state.dropTransferAnswers
    },
    set dropTransferAnswers(v) {
      state.dropTransferAnswers = v
    },
    completeOnboarding(accountId) {
      const a = accounts.get(accountId)
      if (!a) throw new Error(`no stand-in account ${accountId}`)
      Object.assign(a, {
        charges_enabled: true,
        payouts_enabled: true,
        details_submitted: true,
        requirements: { currently_due: [], past_due: [], eventually_due: [], disabled_reason: null },
      })
      return a
    },
    env: () => ({
      STRIPE_SECRET_KEY: 'sk_test_stand_in',
      STRIPE_WEBHOOK_SECRET: 'whsec_stand_in_secret',
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
