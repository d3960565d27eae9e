import cluster, { type Worker } from 'node:cluster'
import { createDb } from '#db/client'
import type { Env } from '#app/utils/env.server'
import { startBackground, stopOnSignals } from './background'
import { closeHttpServer, startHttpServer } from './http'
import { startSearch } from './search'

// WEB_CONCURRENCY > 1: one primary (database, migrations, seed, job worker, no HTTP) and N HTTP worker
// processes sharing PORT through node:cluster, so every core renders pages.

const CRASH_WINDOW_MS = 60_000
const STOP_GRACE_MS = 15_000

export async function runPrimary(env: Env): Promise<void> {
  // Orama: each HTTP worker holds and follows its own index, the primary none. Meilisearch: fed from here.
  const { url, embedded, runner, stop } = await startBackground(env, { serveSearch: false })

  let stopping = false
  const crashes: number[] = []
  const pendingForks = new Set<NodeJS.Timeout>()
  // The workers reach the prepared database by URL; they never migrate, seed or start PostgreSQL.
  const fork = () => cluster.fork({ DATABASE_URL: url })

  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    if (stopping) return
    const now = Date.now()
    crashes.push(now)
    while (crashes.length && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift()
    // 0.5 s, 1 s, 2 s … up to 30 s while it keeps crashing: a broken deploy must not spin the CPU.
    const delay = Math.min(30_000, 500 * 2 ** (crashes.length - 1))
    console.error(
      `HTTP worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${delay} ms`,
    )
    const timer = setTimeout(() => {
      pendingForks.delete(timer)
      if (!stopping) fork()
    }, delay)
    pendingForks.add(timer)
  })
  for (let i = 0; i < env.WEB_CONCURRENCY; i++) fork()
  console.log(
    `Primary ${process.pid}: ${env.WEB_CONCURRENCY} HTTP processes on port ${env.PORT}${runner ? ', job worker here' : ''}${embedded ? ' (embedded PostgreSQL)' : ''}`,
  )

  stopOnSignals(async (signal) => {
    stopping = true
    console.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} HTTP processes…`)
    for (const timer of pendingForks) clearTimeout(timer)
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && stopWorker(w)))
    await stop()
  })
}

/** SIGTERM (the worker closes its server gracefully), SIGKILL if it has not exited after the grace period. */
function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS)
    worker.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    worker.process.kill('SIGTERM')
  })
}

/** One HTTP process of the cluster: its own search index and database pools, the Remix app on the shared PORT. */
export async function runHttpWorker(env: Env): Promise<void> {
  if (!env.DATABASE_URL) throw new Error('cluster worker started without DATABASE_URL')
  const searchDb = createDb(env.DATABASE_URL, { max: 2 })
  const search = await startSearch(searchDb, { serve: true, drain: false })
  const server = await startHttpServer(env, ` (HTTP process ${process.pid})`)
  stopOnSignals(async () => {
    await closeHttpServer(server)
    await search.stop().catch(() => {})
    await searchDb.destroy().catch(() => {})
  })
}
