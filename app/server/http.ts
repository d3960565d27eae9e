import http from 'node:http'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { Env } from '#app/utils/env.server'
import { admissionControl } from './admission'
import {
  checkoutFirst,
  checkoutTransport,
  orderFormTransport,
  refuseCrossSite,
  type CheckoutApiHandler,
  type OrderFormHandler,
} from './checkout-transport'
import { errorPage, guardRequests, securityHeaders } from './guards'
import { giveWay } from './give-way'
import { guardBuild } from './input-guard'
import { postersFirst, type FindPoster } from './posters'
import { publicPageContext, publicPagesFirst, type FindPublicPage } from './public-pages'
import { renderThreads, rendersOnThread, startRenderPool, type RenderPool } from './render-pool'

/** TRUST_PROXY as Express reads it: a hop count, or "loopback" / addresses / CIDR ranges; unset: no proxy is trusted. */
export function trustProxy(value: string | undefined): number | string | false {
  if (!value?.trim()) return false
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value
}

/**
 * Connections the kernel completes for the server before it accepts them (capped by net.core.somaxconn). Node's
 * default, 511, drops the SYNs of a larger burst (a session opening's reloads, a forwarded link), and those clients
 * only retry after 1 s, 3 s, 7 s: a thousand people arriving at once waited seconds before being read at all.
 */
export const LISTEN_BACKLOG = 4096

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than the time clients and
 * balancers keep theirs (nginx's upstream `keepalive_timeout` is 60 s, browsers keep minutes): one that reuses a
 * connection the server is closing at that instant gets a reset (an nginx 502, a failed fetch, within milliseconds).
 * Past 60 s, the client is the one that closes first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000

/** The HTTP server of the app: idle connections kept past the clients' own idle timeouts. */
export function createAppServer(listener: http.RequestListener): http.Server {
  const server = http.createServer(listener)
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  // Node asks that the headers' timeout be longer than the idle one.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000
  return server
}

/** Express + Remix (the production build) on PORT, with POST /api/checkout answered on plain node:http first. */
export async function startHttpServer(env: Env, note = ''): Promise<http.Server> {
  const buildPath = path.resolve('build/index.js')
  // Every loader and action behind the input guard (control characters, the database's data exceptions → 400).
  const build = guardBuild((await import(pathToFileURL(buildPath).href)) as ServerBuild)

  const mode = env.NODE_ENV === 'development' ? 'development' : 'production'
  const app = express()
  app.disable('x-powered-by')
  // req.ip: the socket's peer, or the forwarded address when that peer is a proxy TRUST_PROXY names.
  app.set('trust proxy', trustProxy(env.TRUST_PROXY))
  app.use(compression())
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  // Other public files (favicon) only for paths that name a file: a page request costs no file-system lookup.
  const publicFiles = express.static('public', { maxAge: '1h', index: false })
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()))
  app.use(refuseCrossSite)
  // Remix shows error details only when NODE_ENV=development is set explicitly (`npm run dev`), never by default.
  // The load context says where to keep a reseller's public page that the server did not have (./public-pages.ts).
  app.all(
    '*',
    createRequestHandler({
      build,
      mode,
      getLoadContext: (req) => publicPageContext(req),
    }),
  )
  app.use(errorPage)

  // POST /api/checkout, the grab hot path, answered on plain node:http before Express by the server entry's
  // documented export (app/entry.server.tsx handleCheckout).
  const { handleCheckout, handleOrderForm, findPublicPage, findPoster } = build.entry
    .module as typeof build.entry.module & {
    handleCheckout: CheckoutApiHandler
    handleOrderForm: OrderFormHandler
    findPublicPage: FindPublicPage
    findPoster: FindPoster
  }
  const fast = checkoutTransport(handleCheckout)
  // The client address as Express reads it (req.ip, TRUST_PROXY applies), for requests answered before Express.
  const clientAddress = (req: http.IncomingMessage) =>
    (Object.create(app.request, { headers: { value: req.headers }, socket: { value: req.socket } }) as express.Request)
      .ip ??
    req.socket.remoteAddress ??
    'unknown'

  // Pages rendered on threads of their own, so that orders are not answered between renders (./render-pool.ts).
  const threads = renderThreads({
    asked: env.RENDER_THREADS,
    dev: Boolean(env.REMIX_DEV_ORIGIN),
    processes: env.WEB_CONCURRENCY,
    cores: availableParallelism(),
  })
  const pool =
    threads > 0
      ? startRenderPool({
          threads,
          mode,
          // Half of DB_POOL_MAX between them, however many there are: the process's bound on connections stays put.
          dbPoolMax: Math.max(2, Math.ceil(env.DB_POOL_MAX / 2 / threads)),
          nice: env.RENDER_THREAD_NICE,
        })
      : null
  const appUrl = (req: http.IncomingMessage) => {
    const expressReq = Object.create(app.request, {
      headers: { value: req.headers },
      socket: { value: req.socket },
    }) as express.Request
    return `${expressReq.protocol}://${req.headers.host}${req.url}`
  }
  // What Express did for a page before Remix (refuseCrossSite: a GET is never a cross-site mutation): the client address.
  // /healthz says how many render threads are live (X-Render-Threads), next to the process answering.
  const rendered: http.RequestListener = pool
    ? (req, res) => {
        if (req.url === '/healthz') res.setHeader('X-Render-Threads', String(pool.live))
        if (!rendersOnThread(req)) return app(req, res)
        req.headers['x-client-address'] = clientAddress(req)
        if (!pool.handle(req, res, appUrl(req))) app(req, res)
      }
    : app

  return new Promise((resolve) => {
    const admitted = admissionControl(
      {
        maxConcurrent: env.MAX_CONCURRENT_REQUESTS,
        maxQueued: env.MAX_QUEUED_REQUESTS,
        queueTimeoutMs: env.QUEUE_TIMEOUT_MS,
        targetMs: env.ADMISSION_TARGET_MS,
      },
      rendered,
    )
    // Orders are not pages: the checkout fast path and customers' orders have their own bounded queue (the
    // group-commit batch); pages and the rest, including an order form Remix must answer, go through admission
    // control, which starts no new page beyond one at a time while an order is in flight.
    const checkout: typeof fast = (req, res) => {
      res.once('close', admitted.hold())
      fast(req, res)
    }
    // A reseller's public pages, kept whole for anonymous visitors, are sent before admission control: a kept
    // page costs less than deciding whether to admit it. They give way to orders and any other request (./give-way.ts).
    // Share posters too: bytes, not pages; their renders have a bounded pool of their own (./posters.ts).
    const pace = giveWay({ perTick: env.KEPT_PAGES_PER_TICK, held: admitted.held })
    const guardHeaders = securityHeaders(env.NODE_ENV === 'production')
    const pages = publicPagesFirst(findPublicPage, postersFirst(findPoster, admitted), pace, guardHeaders)
    const orders = orderFormTransport(handleOrderForm, clientAddress, pages, admitted.hold, admitted.now)
    const handler = checkoutFirst(checkout, orders)
    const server = createAppServer(guardRequests(env, handler)).listen(
      { port: env.PORT, backlog: LISTEN_BACKLOG },
      () => {
        console.log(`Clearance marketplace on http://localhost:${env.PORT}${note}`)
        if (env.NODE_ENV === 'production' && !env.PUBLIC_URL)
          console.warn(`PUBLIC_URL is not set: share links and payment return URLs say http://localhost:${env.PORT}`)
        if (env.REMIX_DEV_ORIGIN) {
          void import('@remix-run/node').then(({ broadcastDevReady }) => broadcastDevReady(build))
        }
        if (pool) pools.set(server, pool)
        resolve(server)
      },
    )
  })
}

const pools = new WeakMap<http.Server, RenderPool>()

/**
 * Stops accepting, lets requests in flight finish (idle keep-alive sockets close at once), then cuts the rest; then
 * the render threads, which have nothing left to render, close their pools and end.
 */
export async function closeHttpServer(server: http.Server, graceMs = 10_000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs)
    timer.unref()
    server.close(() => {
      clearTimeout(timer)
      resolve()
    })
  })
  await pools.get(server)?.stop()
}
