// What the session page reads from the database is the same for every viewer: the session and its items with their
// base prices and stock. During a session's opening a hundred members reload it while the stock moves, so the
// reads are kept here for a moment per session, and each viewer's page is made from them per request (her level's
// prices from the price book, her audience's stock states, the phase at this moment): nothing kept is per viewer.
//
// Freshness: a kept read lives at most SESSION_PAGE_DATA_TTL_MS. Every change this process makes to what it holds
// drops all kept reads at once, and reads under way then are not kept: a committed checkout batch or a checkout
// alone, a released checkout, a brand's session edit. Other processes (WEB_CONCURRENCY > 1, other nodes) follow
// within the lifetime, inside the 5 s in which the page polls stock.
import type { Db } from '#db/client'
import { findSession, listSessionItems } from '#db/queries/catalog'

export const SESSION_PAGE_DATA_TTL_MS = 1_000
/** Sessions kept at once (a few are live at a time; each entry is its items, ~100 bytes each). */
const MAX_SESSIONS = 200

type Reads = {
  session: Awaited<ReturnType<typeof findSession>>
  items: Awaited<ReturnType<typeof listSessionItems>>
}

const kept = new Map<string, { at: number; value: Promise<Reads> }>()
/** The session and its items as the database has them now, or as read less than the lifetime ago. */
export function sessionPageReads(db: Db, sessionId: string): Promise<Reads> {
  const hit = kept.get(sessionId)
  if (hit && Date.now() - hit.at < SESSION_PAGE_DATA_TTL_MS) return hit.value
  const value = Promise.all([findSession(db, sessionId), listSessionItems(db, sessionId)]).then(([session, items]) => ({
    session,
    items,
  }))
  // Concurrent misses share this read; a change meanwhile drops it (sessionPagesChanged), so it is not kept.
  kept.set(sessionId, { at: Date.now(), value })
  value.catch(() => {
    if (kept.get(sessionId)?.value === value) kept.delete(sessionId)
  })
  if (kept.size > MAX_SESSIONS) kept.delete(kept.keys().next().value!)
  return value
}

/** Stock, prices, items or a session changed: nothing kept before now is shown again. */
export function sessionPagesChanged() {
  kept.clear()
}
