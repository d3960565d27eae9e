import type { Db } from '#db/client'
import { setting } from '#app/utils/env.server'
import { listFollowableSearchOutbox, listSearchDocumentRows, maxSearchOutboxId } from '#db/queries/search'
import { toSearchDocument } from './documents'
import type { SearchEngine } from './engine'
import { checkSearchDrift, rebuildIndex } from './sync'

/**
 * How the search outbox feeds an engine. One shared index (Meilisearch): whoever drains it claims and
 * deletes rows, as each change needs applying once. An index inside each process (Orama): every process
 * must see every row, so each one follows the outbox without consuming it and the job worker deletes
 * old rows (jobs/tasks/drain_search_outbox.ts).
 */
export type SearchSyncMode = 'claim' | 'follow'

export function searchSyncMode(engineName: SearchEngine['name']): SearchSyncMode {
  return engineName === 'meilisearch' ? 'claim' : 'follow'
}

/** The mode the engine search/factory.ts would create implies, for processes that build no engine (the job worker). */
export function searchSyncModeFromEnv(
  env: { MEILISEARCH_URL?: string } = { MEILISEARCH_URL: setting('MEILISEARCH_URL') },
): SearchSyncMode {
  return env.MEILISEARCH_URL ? 'claim' : 'follow'
}

/** How far back a follower re-reads rows it has not applied: a transaction's rows become visible at commit, in any id order. */
export const FOLLOW_WINDOW_MS = 30_000
/** Rows older than this are deleted in follow mode: far past any follower's window. */
export const FOLLOW_RETENTION_MS = 5 * 60_000

/**
 * One process's view of the outbox. It applies each row once (a row is visible only after its
 * transaction committed, and the document is rebuilt from Postgres at apply time, so a later read sees
 * that change); re-applying would be harmless too. It never deletes rows.
 */
export class SearchFollower {
  private cursor = 0
  /** Ids already applied that a window read can return again. */
  private readonly applied = new Set<number>()
  /** The cursor after past polls: ids at or below one taken long enough ago were allocated before the window. */
  private marks: { at: number; cursor: number }[] = []

  constructor(
    private readonly db: Db,
    private readonly engine: SearchEngine,
    private readonly windowMs = FOLLOW_WINDOW_MS,
  ) {}

  /** Starts following: the cursor first, then the index from Postgres, so a change in between is replayed, not lost. */
  async start(now: Date = new Date()): Promise<number> {
    this.cursor = await maxSearchOutboxId(this.db)
    this.marks = []
    this.applied.clear()
    return rebuildIndex(this.db, this.engine, now)
  }

  /** Applies the rows this process has not applied yet; returns how many it applied. */
  async poll(now: Date = new Date()): Promise<number> {
    const floor = this.floor(Date.now())
    const rows = await listFollowableSearchOutbox(this.db, this.cursor, this.windowMs, floor)
    const readAt = Date.now()
    const fresh = rows.filter((r) => !this.applied.has(r.id))
    const ids = [...new Set(fresh.map((r) => r.session_item_id))]
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const docs = (await listSearchDocumentRows(this.db, now, chunk)).map(toSearchDocument)
      const found = new Set(docs.map((d) => d.id))
      await this.engine.upsert(docs)
      await this.engine.delete(chunk.filter((id) => !found.has(id)))
    }
    // Only once applied: a failed engine call leaves the rows for the next poll.
    for (const r of fresh) {
      this.applied.add(r.id)
      if (r.id > this.cursor) this.cursor = r.id
    }
    this.marks.push({ at: readAt, cursor: this.cursor })
    this.prune(floor)
    return fresh.length
  }

  /**
   * The cursor as it was two windows ago (0 until then): ids up to it were taken before then, so their
   * created_at is older than the window. Twice the window leaves room for clock differences with Postgres.
   */
  private floor(nowMs: number): number {
    let floor = 0
    for (const m of this.marks) if (m.at <= nowMs - 2 * this.windowMs) floor = m.cursor
    return floor
  }

  private prune(floor: number) {
    const cutoff = Date.now() - 2 * this.windowMs
    const older = this.marks.filter((m) => m.at <= cutoff)
    this.marks = [...older.slice(-1), ...this.marks.filter((m) => m.at > cutoff)]
    for (const id of this.applied) if (id <= floor) this.applied.delete(id)
  }
}

/**
 * The follower's loop: polls every `intervalMs` (graphile-worker's cron is per minute) and compares the
 * index with Postgres every `driftEveryMs`, since each process holds its own index to repair.
 */
export function startFollowing(
  follower: SearchFollower,
  db: Db,
  engine: SearchEngine,
  options: { intervalMs?: number; driftEveryMs?: number; onError?: (e: unknown) => void } = {},
) {
  const intervalMs = options.intervalMs ?? 2000
  const driftEveryMs = options.driftEveryMs ?? 10 * 60_000
  const onError = options.onError ?? ((err: unknown) => console.error('search outbox follow failed', err))
  let stopped = false
  let lastDrift = Date.now()
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    if (stopped) return
    running = (async () => {
      await follower.poll()
      if (Date.now() - lastDrift >= driftEveryMs) {
        lastDrift = Date.now()
        const report = await checkSearchDrift(db, engine, new Date())
        const fixed = report.missing.length + report.stale.length + report.extra.length
        if (fixed)
          console.warn(
            `search drift repaired (pid ${process.pid}): ${report.missing.length} missing, ${report.stale.length} stale, ${report.extra.length} extra`,
          )
      }
    })()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs)
      })
  }
  let timer = setTimeout(tick, intervalMs)
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
