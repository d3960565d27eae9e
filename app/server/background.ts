import { setTimeout as sleep } from 'node:timers/promises'
import type { Runner } from 'graphile-worker'
import { createDb, type Db } from '#db/client'
import type { EmbeddedServer } from '#db/embedded'
import { startWorker } from '#jobs/worker'
import type { Env } from '#app/utils/env.server'
import { vapidKeys } from '#app/services/notifications/channels.server'
import { prepareDatabase } from './database'
import { startSearch, type RunningSearch } from './search'

// What the process that owns the database runs besides HTTP (the single process, or the cluster primary):
// the prepared database, search, the job worker; and the one order they stop in.

export interface Background {
  /** The prepared database's URL (HTTP processes of a cluster connect to it). */
  url: string
  embedded: EmbeddedServer | null
  runner: Runner | null
  stop(): Promise<void>
}

/** The job runner runs where the database is prepared, unless RUN_WORKER says otherwise. */
function wantJobWorker(env: Env, embedded: boolean): boolean {
  return env.RUN_WORKER ? env.RUN_WORKER === '1' : embedded || env.NODE_ENV !== 'production'
}

/**
 * Database (embedded unless DATABASE_URL; migrations; seed), search and the job worker. `serveSearch`: this
 * process answers searches too (single process); a cluster primary does not (its HTTP processes hold the index).
 */
export async function startBackground(env: Env, options: { serveSearch: boolean }): Promise<Background> {
  const { url, embedded } = await prepareDatabase({ ownSignals: true })
  const db: Db = createDb(url, { max: 4 })
  // The VAPID key pair exists from the first start on (browsers' push subscriptions are bound to it).
  await vapidKeys(db)
  const runWorker = wantJobWorker(env, embedded !== null)
  // Meilisearch is fed (claim + delete) where the job worker runs; an embedded index follows the outbox itself.
  const search: RunningSearch = await startSearch(db, { serve: options.serveSearch, drain: runWorker })
  const runner = runWorker
    ? await startWorker({
        connectionString: url,
        db,
        noHandleSignals: true,
        search: search.mode === 'claim' ? (search.engine ?? undefined) : undefined,
        searchSync: search.mode,
      })
    : null
  return {
    url,
    embedded,
    runner,
    async stop() {
      await search.stop().catch(() => {})
      await stopJobRunner(runner)
      await db.destroy().catch(() => {})
      await embedded?.stop().catch(() => {})
    },
  }
}

/**
 * graphile-worker 0.16 ends its own pg pool without awaiting it, after dropping the pool's error listener:
 * stopping PostgreSQL at once would hit the closing connections with an unhandled 'error' (exit code 1).
 */
async function stopJobRunner(runner: Runner | null): Promise<void> {
  if (!runner) return
  await runner.stop().catch(() => {})
  await sleep(300)
}

/** On the first SIGINT or SIGTERM (Ctrl-C reaches the whole process group): `stop`, then exit 0. Later signals are ignored. */
export function stopOnSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false
  const onSignal = (signal: string) => {
    if (stopping) return
    stopping = true
    void stop(signal).finally(() => process.exit(0))
  }
  process.on('SIGINT', () => onSignal('SIGINT'))
  process.on('SIGTERM', () => onSignal('SIGTERM'))
}
