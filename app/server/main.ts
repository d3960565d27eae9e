import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { createDb } from '#db/client'
import { startWorker } from '#jobs/worker'
import { initEnv } from '#app/utils/env.server'
import { prepareDatabase } from './database'
import { checkoutFastPath, checkoutFirst, refuseCrossSite, type CheckoutApiHandler } from './checkout-fast-path'
import { setSearchEngine } from '#search/client'
import { createSearchEngine } from '#search/factory'
import { drainSearchOutbox, rebuildIndex, startOutboxPoller } from '#search/sync'

// The one process `npm start` runs: database (embedded unless DATABASE_URL), migrations, seed,
// the job worker in-process (unless RUN_WORKER=0) and the Remix app on PORT.
const env = initEnv()
const { url, embedded } = await prepareDatabase()

const workerDb = createDb(url, { max: 4 })
const runWorker = process.env.RUN_WORKER ? process.env.RUN_WORKER === '1' : embedded !== null || env.NODE_ENV !== 'production'

// Search: Meilisearch when MEILISEARCH_URL is set (settings applied, then the outbox drained),
// else the in-process Orama index, built from Postgres now. Routes reach it through search/client.
const search = createSearchEngine()
const searchStarted = Date.now()
await search.ensureSettings()
if (search.name === 'orama') {
  const n = await rebuildIndex(workerDb, search, new Date())
  console.log(`Search: embedded Orama index built with ${n} documents in ${Date.now() - searchStarted} ms`)
} else {
  const drained = await drainSearchOutbox(workerDb, search)
  console.log(`Search: Meilisearch settings applied, ${drained.rows} outbox rows drained`)
}
setSearchEngine(search)
// The in-process index must be fed by this process; Meilisearch is fed wherever the worker runs.
const searchPoller = search.name === 'orama' || runWorker ? startOutboxPoller(workerDb, search, { intervalMs: 2000 }) : null

const runner = runWorker ? await startWorker({ connectionString: url, db: workerDb, noHandleSignals: true, search }) : null

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

// The grab hot path, answered on plain node:http before Express by the route module's own handler (same code).
const checkoutApiRoute = build.routes['routes/api.checkout']?.module as { handleCheckoutApi?: CheckoutApiHandler } | undefined
const fast = checkoutApiRoute?.handleCheckoutApi && process.env.CHECKOUT_FAST_PATH !== '0' ? checkoutFastPath(checkoutApiRoute.handleCheckoutApi) : null

const server = http.createServer(checkoutFirst(fast, app)).listen(env.PORT, () => {
  console.log(`Clearance marketplace on http://localhost:${env.PORT}${embedded ? ' (embedded PostgreSQL)' : ''}`)
  if (process.env.REMIX_DEV_ORIGIN) {
    void import('@remix-run/node').then(({ broadcastDevReady }) => broadcastDevReady(build))
  }
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`${signal}: shutting down…`)
  server.close()
  await searchPoller?.stop().catch(() => {})
  await runner?.stop().catch(() => {})
  await workerDb.destroy().catch(() => {})
  await embedded?.stop().catch(() => {})
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
