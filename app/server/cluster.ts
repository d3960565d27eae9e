import cluster, { type Worker } from 'node:cluster'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Runner } from 'graphile-worker'
import { createDb } from '#db/client'
import { startWorker } from '#jobs/worker'
import type { Env } from '#app/utils/env.server'
import { prepareDatabase } from './database'
import { closeHttpServer, startHttpServer } from './http'
import { startSearch } from './search'

// WEB_CONCURRENCY > 1: one primary (database, migrations, seed, job worker, no HTTP) and N HTTP worker
// processes sharing PORT through node:cluster, so every core renders pages.

/** The job runner runs where the database is prepared, unless RUN_WORKER says otherwise (as in single-process mode). */
export function wantJobWorker(env: Env, embedded: boolean): boolean {
  return process.env.RUN_WORKER ? process.env.RUN_WORKER === '1' : embedded || env.NODE_ENV !== 'production'
}

/**
 * graphile-worker 0.16 ends its own pg pool without awaiting it, after dropping the pool's error listener:
 * stopping PostgreSQL at once would hit the closing connections with an unhandled 'error' (exit code 1).
 */
export async function stopJobRunner(runner: Runner | null): Promise<void> {
  if (!runner) return
  await runner.stop().catch(() => {})
  await sleep(300)
}

const CRASH_WINDOW_MS = 60_000
const STOP_GRACE_MS = 15_000

export async function runPrimary(env: Env): Promise<void> {
  const { url, embedded } = await prepareDatabase({ ownSignals: true })
  const workerDb = createDb(url, { max: 4 })
  const runWorker = wantJobWorker(env, embedded !== null)
  // Orama: each HTTP worker holds and follows its own index, the primary none. Meilisearch: fed from here.
  const search = await startSearch(workerDb, { serve: false, drain: runWorker })
  const runner = runWorker
    ? await startWorker({ connectionString: url, db: workerDb, noHandleSignals: true, search: search.engine ?? undefined, searchSync: search.mode })
    : null

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
    console.error(`HTTP worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${delay} ms`)
    const timer = setTimeout(() => { pendingForks.delete(timer); if (!stopping) fork() }, delay)
    pendingForks.add(timer)
  })
  for (let i = 0; i < env.WEB_CONCURRENCY; i++) fork()
  console.log(`Primary ${process.pid}: ${env.WEB_CONCURRENCY} HTTP processes on port ${env.PORT}${runner ? ', job worker here' : ''}${embedded ? ' (embedded PostgreSQL)' : ''}`)

  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} HTTP processes…`)
    for (const timer of pendingForks) clearTimeout(timer)
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && stopWorker(w)))
    await search.stop().catch(() => {})
    await stopJobRunner(runner)
    await workerDb.destroy().catch(() => {})
    await embedded?.stop().catch(() => {})
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

/** SIGTERM (the worker closes its server gracefully), SIGKILL if it has not exited after the grace period. */
function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS)
    worker.once('exit', () => { clearTimeout(timer); resolve() })
    worker.process.kill('SIGTERM')
  })
}

/** One HTTP process of the cluster: its own search index and database pools, the Remix app on the shared PORT. */
export async function runHttpWorker(env: Env): Promise<void> {
  if (!env.DATABASE_URL) throw new Error('cluster worker started without DATABASE_URL')
  const searchDb = createDb(env.DATABASE_URL, { max: 2 })
  const search = await startSearch(searchDb, { serve: true, drain: false })
  const server = await startHttpServer(env, ` (HTTP process ${process.pid})`)
  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    await closeHttpServer(server)
    await search.stop().catch(() => {})
    await searchDb.destroy().catch(() => {})
    process.exit(0)
  }
  // SIGINT too: Ctrl-C in a terminal reaches the whole process group.
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}
