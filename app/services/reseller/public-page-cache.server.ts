// A reseller's share pages and shop are public and the same for every visitor: what a loader reads for them is
// kept here for a moment, so a card that goes viral is read from the database a few times a second rather than
// once per view. Only what every visitor sees is kept (never the visitor's language, cookie or bag, which stay in
// the loader and the browser).
//
// Freshness: an entry lives at most PUBLIC_PAGE_TTL_MS, less when the session starts or ends sooner, so stock
// states (in stock / sold out, sizes left) are never older than that, well inside the 5 s in which the platform's
// own pages poll stock. Her own changes (prices, links, shop shelves and handle, profile) drop her entries at
// once in the process that made them; other processes follow within the TTL.
//
// Read ahead: data still asked for is read again REFRESH_AHEAD_MS before it expires, in the background, so no
// visitor of a busy page waits for its read. Read again unchanged, it lives on (and so do the pages rendered from
// it: a viral page is rendered again when its data changes, not every two seconds); changed, it is a new version,
// and the pages rendered from the old one are rendered again (public-documents.server.ts) while the old one is
// still fresh.
import { LRUCache } from 'lru-cache'

export const PUBLIC_PAGE_TTL_MS = 2_000
/** How long before it expires data still asked for is read again. */
export const REFRESH_AHEAD_MS = 1_000
/**
 * A kept page whose data keeps being read again unchanged is still rendered anew this often: its first frame shows
 * the server's clock (countdowns) and, inside WeChat, a share signature made when it was rendered.
 */
export const DOCUMENT_MAX_AGE_MS = 30_000
/** Distinct links and shops kept at once; each entry is a page's data, a few kilobytes to ~100 KB for a full shop. */
const MAX_ENTRIES = 1_000

interface Entry<T> {
  /** Whose page it is, once read: her changes drop it. */
  ownerId: string | null
  settled: boolean
  value: Promise<T>
  /** The value once settled. */
  resolved?: T
  /** Each value read (and found changed) is a new version; pages are kept with the versions they were made from. */
  version: number
  /** The lifetime it was read with (shorter than the TTL when the session starts or ends sooner). */
  ttl: number
  /** A read ahead is under way. */
  refreshing?: boolean
}

let versions = 0
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

interface Kept extends KeptDocument {
  /** The data it was rendered from (its keys in `entries`). */
  dataKeys: string[]
  keptAt: number
}

/** Document keys by the data key they were rendered from: the pages that live on when that data is read unchanged. */
const dependents = new Map<string, Set<string>>()

/** Kept documents, bounded by their bytes (a full shop is ~100 KB with its compressed copies). */
const documents = new LRUCache<string, Kept>({
  maxSize: 32 << 20,
  sizeCalculation: (d) => d.body.length + d.gzip.length + d.br.length,
  ttl: PUBLIC_PAGE_TTL_MS,
  dispose: (document, key, reason) => {
    if (reason === 'set') return
    for (const dataKey of document.dataKeys) {
      const keys = dependents.get(dataKey)
      keys?.delete(key)
      if (keys?.size === 0) dependents.delete(dataKey)
    }
  },
})
/** Counts the drops: a document rendered from data read before a drop is not kept. */
let generation = 0

export const keptDocument = (key: string): KeptDocument | undefined => documents.get(key)
export const documentGeneration = () => generation
/**
 * Whether the data the document under `key` was rendered from is all fresher than the document (read again with a
 * change, or the document is as old as a page may be): it is then rendered anew. Allocates nothing: every view of a
 * kept page asks.
 */
export function documentBehindData(key: string): boolean {
  const document = documents.peek(key)
  if (!document) return true
  let dataTtl = Infinity
  for (const dataKey of document.dataKeys) dataTtl = Math.min(dataTtl, freshForMs(dataKey))
  return dataTtl > documents.getRemainingTTL(key) + 100
}

/** Whether any of the data the document under `key` was rendered from is due to be read ahead. */
export function documentDataDue(key: string): boolean {
  const document = documents.peek(key)
  if (!document) return false
  for (const dataKey of document.dataKeys) if (refreshDue(dataKey)) return true
  return false
}

/**
 * Keeps a rendered page for `ttl` ms, unless something was dropped since its data was read (`readAt`); while the
 * data under `dataKeys` is read again unchanged, the page lives on, DOCUMENT_MAX_AGE_MS at most.
 */
export function keepDocument(key: string, document: KeptDocument, ttl: number, readAt: number, dataKeys: string[]) {
  if (readAt !== generation || ttl <= 0) return
  documents.set(key, { ...document, dataKeys, keptAt: Date.now() }, { ttl })
  for (const dataKey of dataKeys) {
    let keys = dependents.get(dataKey)
    if (!keys) dependents.set(dataKey, (keys = new Set()))
    keys.add(key)
  }
}

/** The pages rendered from `dataKey`, which was just read again unchanged: as fresh as their data now is. */
function extendDocuments(dataKey: string) {
  for (const key of dependents.get(dataKey) ?? []) {
    const document = documents.peek(key)
    if (!document) continue
    const ttl = Math.min(
      document.keptAt + DOCUMENT_MAX_AGE_MS - Date.now(),
      ...document.dataKeys.map((k) => freshForMs(k)),
    )
    if (ttl > documents.getRemainingTTL(key)) documents.set(key, document, { ttl })
  }
}

/** How much longer the data kept under `key` stays fresh (0 when it is not kept or still being read). */
export function freshForMs(key: string): number {
  const entry = entries.peek(key)
  return entry?.settled ? entries.getRemainingTTL(key) : 0
}

/**
 * The state of the data kept under `keys` (all of a page's): how long it all stays fresh, and a stamp that changes
 * when any of it is read anew with a change, dropped or expired. Null when any of it is not kept.
 */
export function dataState(keys: string[]): { ttl: number; stamp: string } | null {
  let ttl = Infinity
  const stamp: number[] = []
  for (const key of keys) {
    const entry = entries.peek(key)
    const left = entry?.settled ? entries.getRemainingTTL(key) : 0
    if (!entry || left <= 0) return null
    ttl = Math.min(ttl, left)
    stamp.push(entry.version)
  }
  return { ttl, stamp: stamp.join('.') }
}

/** Whether the data under `key` is due to be read ahead (asked for within REFRESH_AHEAD_MS of its expiry). */
export function refreshDue(key: string): boolean {
  const entry = entries.peek(key)
  return !!entry && refreshIsDue(key, entry)
}

const refreshIsDue = (key: string, entry: Entry<unknown>) =>
  entry.settled &&
  !entry.refreshing &&
  // Data cut short by the session's start or end is read afresh after it, not ahead of it.
  entry.ttl >= PUBLIC_PAGE_TTL_MS &&
  entries.getRemainingTTL(key) < REFRESH_AHEAD_MS

/** Reads the data under `key` again while its visitors go on with the kept value (see the top of the file). */
function refresh<T>(
  key: string,
  entry: Entry<T>,
  read: () => Promise<{ value: T; ownerId: string | null; ttl: number }>,
) {
  entry.refreshing = true
  read().then(
    (r) => {
      // Dropped meanwhile (one of her changes): the read may have started before it committed.
      if (entries.peek(key) !== entry) return
      if (JSON.stringify(r.value) === JSON.stringify(entry.resolved)) {
        entries.set(key, { ...entry, refreshing: false, ttl: r.ttl }, { ttl: r.ttl })
        extendDocuments(key)
      } else {
        const next: Entry<T> = {
          ownerId: r.ownerId,
          settled: true,
          value: Promise.resolve(r.value),
          resolved: r.value,
          version: ++versions,
          ttl: r.ttl,
        }
        entries.set(key, next, { ttl: r.ttl })
      }
    },
    // A failed read ahead leaves the kept value to expire; the next visitor after it reads again.
    () => (entry.refreshing = false),
  )
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
  if (hit) {
    if (refreshIsDue(key, hit)) refresh(key, hit, read)
    return hit.value
  }
  const pending = read()
  const entry: Entry<T> = { ownerId: null, settled: false, value: pending.then((r) => r.value), version: 0, ttl: 0 }
  entries.set(key, entry)
  try {
    const r = await pending
    // Still ours (not dropped by a change meanwhile): keep it with its owner and its own lifetime.
    if (entries.peek(key) === entry)
      entries.set(
        key,
        { ownerId: r.ownerId, settled: true, value: entry.value, resolved: r.value, version: ++versions, ttl: r.ttl },
        { ttl: r.ttl },
      )
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
