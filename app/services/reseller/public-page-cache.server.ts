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
  /** The value once settled. */
  resolved?: T
}

const entries = new LRUCache<string, Entry<unknown>>({ max: MAX_ENTRIES, ttl: PUBLIC_PAGE_TTL_MS })

/** A whole page as an anonymous visitor gets it, rendered once (public-documents.server.ts). */
export interface KeptDocument {
  headers: [string, string][]
  body: Buffer
  /** The body compressed, each once, when kept. */
  gzip: Buffer
  br: Buffer
  etag: string
  /** The share link whose views it counts (null for the shop). */
  linkId: string | null
}

/** Kept documents, bounded by their bytes (a full shop is ~100 KB with its compressed copies). */
const documents = new LRUCache<string, KeptDocument>({
  maxSize: 32 << 20,
  sizeCalculation: (d) => d.body.length + d.gzip.length + d.br.length,
  ttl: PUBLIC_PAGE_TTL_MS,
})
/** Counts the drops: a document rendered from data read before a drop is not kept. */
let generation = 0

export const keptDocument = (key: string) => documents.get(key)
export const documentGeneration = () => generation

/** Keeps a rendered page for `ttl` ms, unless something was dropped since its data was read (`readAt`). */
export function keepDocument(key: string, document: KeptDocument, ttl: number, readAt: number) {
  if (readAt === generation && ttl > 0) documents.set(key, document, { ttl })
}

/** How much longer the data kept under `key` stays fresh (0 when it is not kept or still being read). */
export function freshForMs(key: string): number {
  const entry = entries.peek(key)
  return entry?.settled ? entries.getRemainingTTL(key) : 0
}

/** The settled value kept under `key`, if any. */
export function keptValue<T>(key: string): T | undefined {
  const entry = entries.peek(key) as Entry<T> | undefined
  return entry?.settled ? entry.resolved : undefined
}

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
      entries.set(key, { ownerId: r.ownerId, settled: true, value: entry.value, resolved: r.value }, { ttl: r.ttl })
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
  generation++
  documents.clear()
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
  generation++
  documents.clear()
  entries.clear()
}
