import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { deleteSearchOutboxOlderThan } from '#db/queries/search'
import type { SearchEngine } from '#search/engine'
import { FOLLOW_RETENTION_MS, type SearchSyncMode } from '#search/follower'
import { drainSearchOutbox } from '#search/sync'
import { DrainSearchOutboxPayload } from '../payloads-search'

/**
 * Every minute by cron. Claim mode (one shared Meilisearch index): drains the outbox into the engine, a
 * backstop to the in-process poller app/server/main.ts starts. Follow mode (an Orama index in each app
 * process, each following the outbox itself): deletes rows old enough that every follower has read them.
 */
export function drainSearchOutboxTask(db: Db, engine: SearchEngine | undefined, mode: SearchSyncMode): Task {
  return async (payload, helpers) => {
    DrainSearchOutboxPayload.parse(payload ?? {})
    if (mode === 'follow') {
      const deleted = await deleteSearchOutboxOlderThan(db, FOLLOW_RETENTION_MS)
      if (deleted)
        helpers.logger.info(
          `search outbox: ${deleted} followed rows older than ${FOLLOW_RETENTION_MS / 60_000} min deleted`,
        )
      return
    }
    if (!engine) return
    const result = await drainSearchOutbox(db, engine)
    if (result.rows)
      helpers.logger.info(`search outbox: ${result.rows} rows, ${result.upserted} upserted, ${result.deleted} deleted`)
  }
}
