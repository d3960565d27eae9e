import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import type { SearchEngine } from '#search/engine'
import { drainSearchOutbox } from '#search/sync'
import { DrainSearchOutboxPayload } from '../payloads-search'

/**
 * Drains the search outbox into the engine (every minute by cron, as a backstop to the
 * in-process poller app/server/main.ts starts, which drains every 2 s).
 */
export function drainSearchOutboxTask(db: Db, engine: SearchEngine | undefined): Task {
  return async (payload, helpers) => {
    DrainSearchOutboxPayload.parse(payload ?? {})
    if (!engine) return
    const result = await drainSearchOutbox(db, engine)
    if (result.rows) helpers.logger.info(`search outbox: ${result.rows} rows, ${result.upserted} upserted, ${result.deleted} deleted`)
  }
}
