import cluster from 'node:cluster'
import { createDb } from '#db/client'
import { startWorker } from '#jobs/worker'
import { initEnv } from '#app/utils/env.server'
import { runHttpWorker, runPrimary, stopJobRunner, wantJobWorker } from './cluster'
import { prepareDatabase } from './database'
import { closeHttpServer, startHttpServer } from './http'
import { startSearch } from './search'

// The entry `npm start` runs. WEB_CONCURRENCY=1 (default): one process with the database (embedded unless
// DATABASE_URL), migrations, seed, the job worker in-process (unless RUN_WORKER=0) and the Remix app on
// PORT. WEB_CONCURRENCY>1: a node:cluster primary doing the same minus HTTP, and N HTTP processes (cluster.ts).
const env = initEnv()

if (cluster.isWorker) {
  await runHttpWorker(env)
} else if (env.WEB_CONCURRENCY > 1) {
  await runPrimary(env)
} else {
  const { url, embedded } = await prepareDatabase({ ownSignals: true })
  const workerDb = createDb(url, { max: 4 })
  const runWorker = wantJobWorker(env, embedded !== null)

  // Search: Meilisearch when MEILISEARCH_URL is set (settings applied, then the outbox drained), else the
  // in-process Orama index, built from Postgres now and following the outbox. Routes reach it through search/client.
  const search = await startSearch(workerDb, { serve: true, drain: runWorker })
  const runner = runWorker
    ? await startWorker({ connectionString: url, db: workerDb, noHandleSignals: true, search: search.mode === 'claim' ? search.engine ?? undefined : undefined, searchSync: search.mode })
    : null

  const server = await startHttpServer(env, embedded ? ' (embedded PostgreSQL)' : '')

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: shutting down…`)
    await closeHttpServer(server)
    await search.stop().catch(() => {})
    await stopJobRunner(runner)
    await workerDb.destroy().catch(() => {})
    await embedded?.stop().catch(() => {})
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}
