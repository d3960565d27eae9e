import { count, create, getByID, insertMultiple, removeMultiple, search, type Orama } from '@orama/orama'
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
  brandId: 'enum',
  category: 'enum',
  sessionId: 'enum',
  sizes: 'enum[]',
  colours: 'enum[]',
  tagCut: 'boolean',
  inStock: 'boolean',
  // Prices, discounts and times are filtered and sorted outside Orama (see search()).
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
    return {
      id: doc.id, text: [doc.title, doc.titleEn, doc.brandName, doc.brandNameEn, doc.sessionTitle, doc.sessionTitleEn].join('\n'), brandId: doc.brandId, category: doc.category,
      sessionId: doc.sessionId, sizes: doc.sizes, colours: doc.colours, tagCut: doc.tagCut, inStock: doc.inStock,
    }
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    const existing = docs.map((d) => d.id).filter((id) => this.docs.has(id))
    if (existing.length) removeMultiple(this.db, existing, 1000)
    insertMultiple(this.db, docs.map((d) => this.toOrama(d)), 1000)
    for (const d of docs) this.docs.set(d.id, d)
  }

  async delete(ids: string[]): Promise<void> {
    const present = ids.filter((id) => this.docs.has(id))
    if (!present.length) return
    removeMultiple(this.db, present, 1000)
    for (const id of present) this.docs.delete(id)
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

  /**
   * Orama matches the text (with the CJK tokenizer) and applies the set-valued filters, which its
   * indexes answer quickly; the numeric ranges, the time window, facet counts, sorting and the page
   * are done here in one pass over Orama's hits (its AVL range filters and facet code cost tens of
   * milliseconds per query at 100,000 documents; see README, Search).
   */
  async search(q: SearchQuery): Promise<SearchResult> {
    const nowMs = q.now.getTime()
    const where: Record<string, unknown> = {}
    const f = q.filters
    if (f.brand?.length) where.brandId = { in: f.brand }
    if (f.category?.length) where.category = { in: f.category }
    if (f.session?.length) where.sessionId = { in: f.session }
    if (f.size?.length) where.sizes = { containsAny: f.size }
    if (f.colour?.length) where.colours = { containsAny: f.colour }
    if (f.tagCut !== undefined) where.tagCut = f.tagCut
    if (f.inStock !== undefined) where.inStock = f.inStock

    const text = q.text.trim()
    let candidates: SearchDocument[]
    if (text || Object.keys(where).length) {
      const res = search(this.db, {
        term: text,
        properties: FIELDS,
        where,
        limit: Math.max(1, this.docs.size),
        offset: 0,
        // Every query word must match (0), rather than any (Orama's default, 1).
        threshold: 0,
        tolerance: text ? typoTolerance(text) : 0,
      } as never) as unknown as { hits: { id: string }[] }
      candidates = []
      for (const h of res.hits) { const d = this.docs.get(h.id); if (d) candidates.push(d) }
    } else {
      candidates = [...this.docs.values()]
    }

    const inRange = (v: number | null, r?: NumericRange) => !r || (v !== null && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to))
    const matches: SearchDocument[] = []
    for (const d of candidates) {
      if (d.endsAt <= nowMs) continue
      if (q.phase === 'live' && d.startsAt > nowMs) continue
      if (q.phase === 'upcoming' && d.startsAt <= nowMs) continue
      if (!inRange(d.basePriceMinor, q.price) || !inRange(d.discountBps, q.discount)) continue
      matches.push(d)
    }

    const counts = emptyFacets()
    const priceRanges = q.priceBuckets ?? []
    const discountRanges = q.discountBuckets ?? []
    const priceCounts = priceRanges.map(() => 0)
    const discountCounts = discountRanges.map(() => 0)
    const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1 }
    for (const d of matches) {
      bump(counts.brand, d.brandId)
      bump(counts.category, d.category)
      bump(counts.session, d.sessionId)
      bump(counts.tagCut, String(d.tagCut))
      for (const s of d.sizes) bump(counts.size, s)
      for (const c of d.colours) bump(counts.colour, c)
      for (let i = 0; i < priceRanges.length; i++) if (inRange(d.basePriceMinor, priceRanges[i])) priceCounts[i]++
      for (let i = 0; i < discountRanges.length; i++) if (inRange(d.discountBps, discountRanges[i])) discountCounts[i]++
    }
    const max = q.maxFacetValues ?? 50
    for (const key of Object.keys(counts) as FacetKey[]) counts[key] = topValues(counts[key], max)

    const sort = q.sort === 'relevance' && !text ? 'ending_soon' : q.sort
    if (sort !== 'relevance') {
      const { key, dir } = sortKey[sort]
      // Stable: ties keep relevance (or index) order, so pages never overlap.
      matches.sort((a, b) => dir * ((key(a) - key(b)) || 0))
    }
    const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE)
    const offset = (Math.max(1, q.page) - 1) * pageSize
    return {
      hits: matches.slice(offset, offset + pageSize),
      total: matches.length,
      facets: counts,
      priceBuckets: priceCounts,
      discountBuckets: discountCounts,
    }
  }
}
