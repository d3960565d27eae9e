// A reseller's share pages and shop are public and the same for every visitor: what a loader reads for them is
// kept here for a moment, so a card that goes viral is read from the database a few times a second rather than
// once per view. Only what every visitor sees is kept (never the visitor's language, cookie or bag, which stay in
// the loader and the browser).
//
// Freshness: an entry lives at most PUBLIC_PAGE_TTL_MS, less when the session starts or ends sooner, so stock
// states (in stock / sold out, sizes left) are never older than that, well inside the 5 s in which the platform's
// own pages poll stock. Her own changes (prices, links, shop shelves and handle, profile) drop her entries at
// once in the process that made them; other processes follow within the TTL.
import { LRUCache } from 'lru-cache'

export const PUBLIC_PAGE_TTL_MS = 2_000
/** Distinct links and shops kept at once; each entry is a page's data, a few kilobytes to ~100 KB for a full shop. */
const MAX_ENTRIES = 1_000

interface Entry<T> {
  /** Whose page it is, once read: her changes drop it. */
  ownerId: string | null
  settled: boolean
  value: Promise<T>
}

const entries = new LRUCache<string, Entry<unknown>>({ max: MAX_ENTRIES, ttl: PUBLIC_PAGE_TTL_MS })

/** How long an entry read at `now` may live: the TTL, cut at the session's next start or end (the phase changes). */
export function entryTtl(now: Date, moments: (string | null | undefined)[]): number {
  let ttl = PUBLIC_PAGE_TTL_MS
  for (const m of moments) {
    if (!m) continue
    const left = Date.parse(m) - now.getTime()
    if (left > 0) ttl = Math.min(ttl, left)
  }
  return Math.max(1, ttl)
}

/**
 * The value under `key`, read once by `read` for everyone asking while it is fresh: concurrent misses share one
 * read (a viral link's first second is hundreds of misses). A failed read is not kept.
 */
export async function remember<T>(
  key: string,
  read: () => Promise<{ value: T; ownerId: string | null; ttl: number }>,
): Promise<T> {
  const hit = entries.get(key) as Entry<T> | undefined
  if (hit) return hit.value
  const pending = read()
  const entry: Entry<T> = { ownerId: null, settled: false, value: pending.then((r) => r.value) }
  entries.set(key, entry)
  try {
    const r = await pending
    // Still ours (not dropped by a change meanwhile): keep it with its owner and its own lifetime.
    if (entries.peek(key) === entry)
      entries.set(key, { ownerId: r.ownerId, settled: true, value: entry.value }, { ttl: r.ttl })
    return r.value
  } catch (error) {
    if (entries.peek(key) === entry) entries.delete(key)
    throw error
  }
}

/**
 * Drops everything kept of one reseller's pages (her links, her shop, handles), and every read still under way,
 * which may have started before her change committed.
 */
export function forgetReseller(userId: string) {
  for (const [key, entry] of entries.entries())
    if (!entry.settled || entry.ownerId === userId || key.startsWith('handle:')) entries.delete(key)
}

/** Runs one of her changes and drops her kept pages once it has committed (and if it failed: no harm). */
export async function changing<T>(userId: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change()
  } finally {
    forgetReseller(userId)
  }
}

/** Drops every kept page (tests, and changes that touch many resellers at once). */
export function forgetAllPublicPages() {
  entries.clear()
}
