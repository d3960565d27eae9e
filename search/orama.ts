import { count, create, getByID, insertMultiple, removeMultiple, type Orama } from '@orama/orama'
import type { SearchDocument } from './documents'
import {
  emptyFacets, MAX_PAGE_SIZE, topValues,
  type FacetKey, type NumericRange, type SearchEngine, type SearchQuery, type SearchResult, type SortKey,
} from './engine'
import { patchOramaRadix } from './orama-patch'
import { createCjkTokenizer, typoTolerance } from './tokenizer'

patchOramaRadix()

// The embedded engine: Orama keeps the index in this process's memory, so it is rebuilt from
// Postgres at start-up and fed by the same outbox drain as Meilisearch.

const schema = {
  /** Titles, brand and session names in both languages, in one field: Orama's all-words check is per field. */
  text: 'string',
  // Set-valued filters, prices, discounts and times are filtered outside Orama (see search()).
} as const

type OramaDb = Orama<typeof schema>
const FIELDS = ['text']

const sortKey: Record<Exclude<SortKey, 'relevance'>, { key: (d: SearchDocument) => number; dir: 1 | -1 }> = {
  price_asc: { key: (d) => d.basePriceMinor, dir: 1 },
  price_desc: { key: (d) => d.basePriceMinor, dir: -1 },
  discount: { key: (d) => d.discountBps ?? -1, dir: -1 },
  newest: { key: (d) => d.startsAt, dir: -1 },
  ending_soon: { key: (d) => d.endsAt, dir: 1 },
}

export class OramaSearchEngine implements SearchEngine {
  readonly name = 'orama' as const
  private db: OramaDb
  /** The documents as given, by id (Orama stores only what it indexes). */
  private docs = new Map<string, SearchDocument>()

  constructor() {
    this.db = this.fresh()
  }

  private fresh(): OramaDb {
    return create({ schema, components: { tokenizer: createCjkTokenizer() } }) as OramaDb
  }

  async ensureSettings(): Promise<void> {}

  private toOrama(doc: SearchDocument) {
    return { id: doc.id, text: [doc.title, doc.titleEn, doc.brandName, doc.brandNameEn, doc.sessionTitle, doc.sessionTitleEn].join('\n') }
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    const existing = docs.map((d) => d.id).filter((id) => this.docs.has(id))
    if (existing.length) removeMultiple(this.db, existing, 1000)
    insertMultiple(this.db, docs.map((d) => this.toOrama(d)), 1000)
    for (const d of docs) this.docs.set(d.id, d)
    this.sorted.clear()
  }

  async delete(ids: string[]): Promise<void> {
    const present = ids.filter((id) => this.docs.has(id))
    if (!present.length) return
    removeMultiple(this.db, present, 1000)
    for (const id of present) this.docs.delete(id)
    this.sorted.clear()
  }

  async all(): Promise<SearchDocument[]> {
    return [...this.docs.values()]
  }

  async rebuild(docs: SearchDocument[]): Promise<void> {
    this.db = this.fresh()
    this.docs = new Map()
    await this.upsert(docs)
  }

  size(): number {
    return count(this.db)
  }

  has(id: string): boolean {
    return getByID(this.db, id) !== undefined
  }

  /** Documents in the order of each sort key, rebuilt lazily after a write. */
  private sorted = new Map<Exclude<SortKey, 'relevance'>, SearchDocument[]>()

  private presorted(sort: Exclude<SortKey, 'relevance'>): SearchDocument[] {
    let list = this.sorted.get(sort)
    if (!list) {
      const { key, dir } = sortKey[sort]
      list = [...this.docs.values()].sort((a, b) => dir * (key(a) - key(b)) || (a.id < b.id ? -1 : 1))
      this.sorted.set(sort, list)
    }
    return list
  }

  /**
   * Filters (set-valued, numeric ranges, the time window) are one pass over the documents; Orama
   * scores the text against only the documents that passed (its BM25 skips the rest), with the CJK
   * tokenizer and every word required. Facet counts, sorting and the page come from the same pass.
   * Orama's own where-clauses and facets build Sets of every matching id per clause, which cost
   * tens of milliseconds per query at 100,000 documents (README, Search: figures).
   */
  async search(q: SearchQuery): Promise<SearchResult> {
    const nowMs = q.now.getTime()
    const f = q.filters
    const set = (xs?: string[]) => (xs?.length ? new Set(xs) : null)
    const brands = set(f.brand), categories = set(f.category), sessions = set(f.session), sizes = set(f.size), colours = set(f.colour)
    const inRange = (v: number | null, r?: NumericRange) => !r || (v !== null && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to))
    const passes = (d: SearchDocument) =>
      d.endsAt > nowMs
      && (q.phase !== 'live' || d.startsAt <= nowMs)
      && (q.phase !== 'upcoming' || d.startsAt > nowMs)
      && (!brands || brands.has(d.brandId))
      && (!categories || categories.has(d.category))
      && (!sessions || sessions.has(d.sessionId))
      && (f.tagCut === undefined || d.tagCut === f.tagCut)
      && (f.inStock === undefined || d.inStock === f.inStock)
      && (!sizes || d.sizes.some((x) => sizes.has(x)))
      && (!colours || d.colours.some((x) => colours.has(x)))
      && inRange(d.basePriceMinor, q.price)
      && inRange(d.discountBps, q.discount)

    const text = q.text.trim()
    const sort = q.sort === 'relevance' && !text ? 'ending_soon' : q.sort
    let matches: SearchDocument[]
    if (text) {
      const allowed: SearchDocument[] = []
      for (const d of this.docs.values()) if (passes(d)) allowed.push(d)
      const store = (this.db as unknown as { internalDocumentIDStore: { idToInternalId: Map<string, number>; internalIdToId: string[] } }).internalDocumentIDStore
      const ids = allowed.length < this.docs.size ? new Set(allowed.map((d) => store.idToInternalId.get(d.id)!)) : undefined
      const o = this.db as unknown as {
        data: { index: unknown }
        tokenizer: unknown
        index: { search: (...args: unknown[]) => [number, number][] }
      }
      const scored = ids && ids.size === 0 ? [] : o.index.search(
        o.data.index, text, o.tokenizer, undefined, FIELDS, false, typoTolerance(text), {}, { k: 1.2, b: 0.75, d: 0.5 }, this.docs.size, ids,
        // Every query word must match (0), rather than any (Orama's default, 1).
        0,
      )
      matches = []
      for (const [iid] of scored) { const d = this.docs.get(store.internalIdToId[iid - 1]); if (d) matches.push(d) }
      if (sort !== 'relevance') {
        const { key, dir } = sortKey[sort]
        matches.sort((a, b) => dir * (key(a) - key(b)) || (a.id < b.id ? -1 : 1))
      }
    } else {
      matches = []
      for (const d of this.presorted(sort as Exclude<SortKey, 'relevance'>)) if (passes(d)) matches.push(d)
    }

    const maps = { brand: new Map<string, number>(), category: new Map<string, number>(), session: new Map<string, number>(), tagCut: new Map<string, number>(), size: new Map<string, number>(), colour: new Map<string, number>() }
    const priceRanges = q.priceBuckets ?? []
    const discountRanges = q.discountBuckets ?? []
    const priceCounts = priceRanges.map(() => 0)
    const discountCounts = discountRanges.map(() => 0)
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
    for (const d of matches) {
      bump(maps.brand, d.brandId)
      bump(maps.category, d.category)
      bump(maps.session, d.sessionId)
      bump(maps.tagCut, d.tagCut ? 'true' : 'false')
      for (const x of d.sizes) bump(maps.size, x)
      for (const x of d.colours) bump(maps.colour, x)
      for (let i = 0; i < priceRanges.length; i++) if (inRange(d.basePriceMinor, priceRanges[i])) priceCounts[i]++
      for (let i = 0; i < discountRanges.length; i++) if (inRange(d.discountBps, discountRanges[i])) discountCounts[i]++
    }
    const max = q.maxFacetValues ?? 50
    const facets = emptyFacets()
    for (const key of Object.keys(maps) as FacetKey[]) facets[key] = topValues(Object.fromEntries(maps[key]), max)

    const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE)
    const offset = (Math.max(1, q.page) - 1) * pageSize
    return {
      hits: matches.slice(offset, offset + pageSize),
      total: matches.length,
      facets,
      priceBuckets: priceCounts,
      discountBuckets: discountCounts,
    }
  }
}
