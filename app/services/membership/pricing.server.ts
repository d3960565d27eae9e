import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { selectLiveSessionVipTiers, selectVipTiers } from '#db/queries/membership'
import { DEFAULT_VIP_TIERS, type VipTier } from '#app/domain/pricing'
import { dropInEveryThread } from '#app/utils/thread-drops.server'

// The table changes rarely and is read on every priced page: cached per process for a few seconds,
// and dropped at once when this process edits it, in all its threads (other processes see an edit within the TTL).
const TTL_MS = 10_000
let cache = new WeakMap<Db, { at: number; tiers: readonly VipTier[] }>()

/** The VIP table in force (operator-editable, table vip_tiers); the defaults if the table is empty. */
export async function loadVipTiers(db: Db): Promise<readonly VipTier[]> {
  const hit = cache.get(db)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.tiers
  return readOnce(tiersReads, db, async () => {
    const rows = await selectVipTiers(db)
    const tiers = rows.length === DEFAULT_VIP_TIERS.length ? Object.freeze(rows) : DEFAULT_VIP_TIERS
    cache.set(db, { at: Date.now(), tiers })
    return tiers
  })
}

// Callers that miss the cache together share one read (a checkout storm's first instant is hundreds of them).
let tiersReads = new WeakMap<Db, Promise<readonly VipTier[]>>()
let bookReads = new WeakMap<Db, Promise<ReadonlyMap<string, readonly VipTier[]>>>()
function readOnce<T>(reads: WeakMap<Db, Promise<T>>, db: Db, read: () => Promise<T>): Promise<T> {
  const pending = reads.get(db)
  if (pending) return pending
  const p = read().finally(() => {
    if (reads.get(db) === p) reads.delete(db)
  })
  reads.set(db, p)
  return p
}

/** Drops the kept table in every thread of this process (pages are rendered on render threads too). */
export const invalidateVipTiers = dropInEveryThread('vip-tiers', () => {
  cache = new WeakMap()
  fixedCache = new WeakMap()
  // A read already under way may predate the edit: later callers start a new one.
  tiersReads = new WeakMap()
  bookReads = new WeakMap()
})

/** The VIP tables that price sessions: a live session's own (fixed when it went live), else the table in force. */
export interface PriceBook {
  tiersFor(sessionId: string | null | undefined): readonly VipTier[]
}

let fixedCache = new WeakMap<Db, { at: number; bySession: ReadonlyMap<string, readonly VipTier[]> }>()

/**
 * The price book. A live session is priced with the discounts fixed when it went live, so an edit of the VIP
 * table never changes the prices of a session that is on sale; a session that has not started follows the table.
 * Cached like the table (an edit in this process drops it; other processes see a new session's discounts within
 * the TTL, and until then use the table in force, which is what was fixed unless it was edited meanwhile).
 */
export async function loadPriceBook(db: Db | Conn): Promise<PriceBook> {
  const key = db as Db
  const [current, hit] = [await loadVipTiers(key), fixedCache.get(key)]
  const fixed =
    hit && Date.now() - hit.at < TTL_MS
      ? hit.bySession
      : await readOnce(bookReads, key, async () => {
          const rows = await selectLiveSessionVipTiers(db, new Date())
          const grouped = new Map<string, VipTier[]>()
          for (const r of rows) {
            const base = current.find((t) => t.level === r.level)
            if (!base) continue
            grouped.set(r.session_id, [...(grouped.get(r.session_id) ?? []), { ...base, discountBps: r.discount_bps }])
          }
          fixedCache.set(key, { at: Date.now(), bySession: grouped })
          return grouped
        })
  return { tiersFor: (sessionId) => (sessionId ? fixed.get(sessionId) : undefined) ?? current }
}
