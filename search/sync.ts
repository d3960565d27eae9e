import type { Db } from '#db/client'
import { claimSearchOutbox, deleteSearchOutbox, listSearchDocumentRows } from '#db/queries/search'
import { documentFingerprint, toSearchDocument, type SearchDocument } from './documents'
import type { SearchEngine } from './engine'

/** Every indexable document, straight from Postgres (the source of truth). */
export async function loadAllDocuments(db: Db, now: Date): Promise<SearchDocument[]> {
  return (await listSearchDocumentRows(db, now)).map(toSearchDocument)
}

export async function rebuildIndex(db: Db, engine: SearchEngine, now: Date): Promise<number> {
  const docs = await loadAllDocuments(db, now)
  await engine.ensureSettings()
  await engine.rebuild(docs)
  return docs.length
}

export interface DrainResult {
  rows: number
  upserted: number
  deleted: number
}

/**
 * Drains the outbox in batches. Each batch, in one transaction: claim rows (skip locked, so two
 * drains never take the same rows), rebuild each named item's document from SQL, upsert it or
 * delete it when it is no longer indexable, then delete the rows. If the engine fails the
 * transaction rolls back and the rows stay for the next run; replaying a row is harmless.
 */
export async function drainSearchOutbox(
  db: Db,
  engine: SearchEngine,
  options: { now?: Date; batchSize?: number; maxBatches?: number } = {},
): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 500
  const total: DrainResult = { rows: 0, upserted: 0, deleted: 0 }
  for (let batch = 0; batch < (options.maxBatches ?? 1000); batch++) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await claimSearchOutbox(trx, batchSize)
      if (!rows.length) return true
      const ids = [...new Set(rows.map((r) => r.session_item_id))]
      const docs = (await listSearchDocumentRows(trx, options.now ?? new Date(), ids)).map(toSearchDocument)
      const found = new Set(docs.map((d) => d.id))
      const gone = ids.filter((id) => !found.has(id))
      await engine.upsert(docs)
      await engine.delete(gone)
      await deleteSearchOutbox(
        trx,
        rows.map((r) => r.id),
      )
      total.rows += rows.length
      total.upserted += docs.length
      total.deleted += gone.length
      return rows.length < batchSize
    })
    if (done) break
  }
  return total
}

export interface DriftReport {
  missing: string[]
  stale: string[]
  extra: string[]
}

/** Compares the index with Postgres and repairs what differs; returns what it fixed. */
export async function checkSearchDrift(db: Db, engine: SearchEngine, now: Date): Promise<DriftReport> {
  const [truth, indexed] = await Promise.all([loadAllDocuments(db, now), engine.all()])
  const held = new Map(indexed.map((d) => [d.id, documentFingerprint(d)]))
  const wanted = new Set(truth.map((d) => d.id))
  const missing: SearchDocument[] = []
  const stale: SearchDocument[] = []
  for (const doc of truth) {
    const fp = held.get(doc.id)
    if (fp === undefined) missing.push(doc)
    else if (fp !== documentFingerprint(doc)) stale.push(doc)
  }
  const extra = indexed.filter((d) => !wanted.has(d.id)).map((d) => d.id)
  if (missing.length || stale.length) await engine.upsert([...missing, ...stale])
  if (extra.length) await engine.delete(extra)
  return { missing: missing.map((d) => d.id), stale: stale.map((d) => d.id), extra }
}

/**
 * A small in-process loop that drains the outbox every `intervalMs` (graphile-worker's cron is
 * per minute; a trigger-enqueued job would put one job row on every catalog and checkout
 * transaction's lock path). One cheap indexed read when idle.
 */
export function startOutboxPoller(
  db: Db,
  engine: SearchEngine,
  options: { intervalMs?: number; onError?: (e: unknown) => void } = {},
) {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    if (stopped) return
    running = drainSearchOutbox(db, engine)
      .catch((e) => (options.onError ?? ((err) => console.error('search outbox drain failed', err)))(e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 2000)
      })
  }
  let timer = setTimeout(tick, options.intervalMs ?? 2000)
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
