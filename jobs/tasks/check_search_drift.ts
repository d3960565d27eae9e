import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import type { SearchEngine } from '#search/engine'
import { checkSearchDrift } from '#search/sync'
import { CheckSearchDriftPayload } from '../payloads-search'

/** Compares Postgres with the index and repairs differences, logging what it fixed. */
export function checkSearchDriftTask(db: Db, engine: SearchEngine | undefined): Task {
  return async (payload, helpers) => {
    CheckSearchDriftPayload.parse(payload ?? {})
    if (!engine) return
    const report = await checkSearchDrift(db, engine, new Date())
    const fixed = report.missing.length + report.stale.length + report.extra.length
    if (fixed) {
      helpers.logger.warn(
        `search drift repaired: ${report.missing.length} missing, ${report.stale.length} stale, ${report.extra.length} extra` +
          ` (missing ${report.missing.slice(0, 10).join(', ')}; stale ${report.stale.slice(0, 10).join(', ')}; extra ${report.extra.slice(0, 10).join(', ')})`,
      )
    } else {
      helpers.logger.info('search drift check: index matches Postgres')
    }
  }
}
