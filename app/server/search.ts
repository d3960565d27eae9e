import type { Db } from '#db/client'
import { setSearchEngine } from '#search/client'
import type { SearchEngine } from '#search/engine'
import { createSearchEngine } from '#search/factory'
import { SearchFollower, searchSyncModeFromEnv, startFollowing, type SearchSyncMode } from '#search/follower'
import { drainSearchOutbox, startOutboxPoller } from '#search/sync'

export interface RunningSearch {
  mode: SearchSyncMode
  /** The engine, when this process serves searches or drains the shared index; else null. */
  engine: SearchEngine | null
  stop(): Promise<void>
}

/**
 * Search for one process. `serve`: routes reach the engine through search/client. `drain`: this process
 * feeds the one shared Meilisearch index (where the job worker runs). An embedded Orama index lives in
 * each serving process, which follows the outbox itself (search/follower.ts); a process that does not
 * serve (the cluster primary) holds no index at all.
 */
export async function startSearch(db: Db, role: { serve: boolean; drain: boolean }): Promise<RunningSearch> {
  const mode = searchSyncModeFromEnv()
  if (mode === 'follow' && !role.serve) return { mode, engine: null, stop: async () => {} }
  const engine = createSearchEngine()
  const started = Date.now()
  await engine.ensureSettings()
  let loop: { stop(): Promise<void> } | null = null
  if (mode === 'follow') {
    const follower = new SearchFollower(db, engine)
    const n = await follower.start()
    console.log(
      `Search: embedded Orama index built with ${n} documents in ${Date.now() - started} ms (pid ${process.pid})`,
    )
    loop = startFollowing(follower, db, engine, { intervalMs: 2000 })
  } else {
    const drained = await drainSearchOutbox(db, engine)
    console.log(`Search: Meilisearch settings applied, ${drained.rows} outbox rows drained`)
    if (role.drain) loop = startOutboxPoller(db, engine, { intervalMs: 2000 })
  }
  if (role.serve) setSearchEngine(engine)
  return {
    mode,
    engine,
    stop: async () => {
      await loop?.stop()
    },
  }
}
