import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { Env } from '#app/utils/env.server'
import { checkoutFirst, checkoutTransport, refuseCrossSite, type CheckoutApiHandler } from './checkout-transport'

/** Express + Remix (the production build) on PORT, with POST /api/checkout answered on plain node:http first. */
export async function startHttpServer(env: Env, note = ''): Promise<http.Server> {
  const buildPath = path.resolve('build/index.js')
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild

  const app = express()
  app.disable('x-powered-by')
  app.use(compression())
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  // Other public files (favicon) only for paths that name a file: a page request costs no file-system lookup.
  const publicFiles = express.static('public', { maxAge: '1h', index: false })
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()))
  app.use(refuseCrossSite)
  app.all('*', createRequestHandler({ build, mode: env.NODE_ENV }))

  // POST /api/checkout, the grab hot path, answered on plain node:http before Express by the server entry's
  // documented export (app/entry.server.tsx handleCheckout).
  const { handleCheckout } = build.entry.module as typeof build.entry.module & { handleCheckout: CheckoutApiHandler }
  const fast = checkoutTransport(handleCheckout)

  return new Promise((resolve) => {
    const server = http.createServer(checkoutFirst(fast, app)).listen(env.PORT, () => {
      console.log(`Clearance marketplace on http://localhost:${env.PORT}${note}`)
      if (process.env.REMIX_DEV_ORIGIN) {
        void import('@remix-run/node').then(({ broadcastDevReady }) => broadcastDevReady(build))
      }
      resolve(server)
    })
  })
}

/** Stops accepting, lets requests in flight finish (idle keep-alive sockets close at once), then cuts the rest. */
export function closeHttpServer(server: http.Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs)
    timer.unref()
    server.close(() => { clearTimeout(timer); resolve() })
  })
}
