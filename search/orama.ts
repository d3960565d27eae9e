import { count, create, getByID, insertMultiple, removeMultiple, search, type Orama } from '@orama/orama'
import type { SearchDocument } from './documents'
import {
  emptyFacets, MAX_PAGE_SIZE, topValues,
  type FacetKey, type NumericRange, type SearchEngine, type SearchQuery, type SearchResult, type SortKey,
} from './engine'
import { createCjkTokenizer, typoTolerance } from './tokenizer'

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
  basePriceMinor: 'number',
  /** -1 stands for "no discount" (tag-cut) so a discount filter never matches it and it sorts last. */
  discountBps: 'number',
  startsAt: 'number',
  endsAt: 'number',
} as const

type OramaDb = Orama<typeof schema>
const FIELDS = ['text']
const BIG = Number.MAX_SAFE_INTEGER

const facetProperty: Record<FacetKey, keyof typeof schema> = {
  brand: 'brandId', category: 'category', size: 'sizes', colour: 'colours', session: 'sessionId', tagCut: 'tagCut',
}

const sortProperty: Record<Exclude<SortKey, 'relevance'>, { property: keyof typeof schema; order: 'ASC' | 'DESC' }> = {
  price_asc: { property: 'basePriceMinor', order: 'ASC' },
  price_desc: { property: 'basePriceMinor', order: 'DESC' },
  discount: { property: 'discountBps', order: 'DESC' },
  newest: { property: 'startsAt', order: 'DESC' },
  ending_soon: { property: 'endsAt', order: 'ASC' },
}

/** Integer range → Orama's inclusive `between`. */
const between = (r: NumericRange, min = 0): [number, number] => [r.from ?? min, r.to === undefined ? BIG : r.to - 1]

export class OramaSearchEngine implements SearchEngine {
  readonly name = 'orama' as const
  private db: OramaDb
  /** The documents as given (Orama's stored copy holds the -1 sentinel). */
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
      basePriceMinor: doc.basePriceMinor, discountBps: doc.discountBps ?? -1, startsAt: doc.startsAt, endsAt: doc.endsAt,
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

  async search(q: SearchQuery): Promise<SearchResult> {
    const nowMs = q.now.getTime()
    const where: Record<string, unknown> = {
      endsAt: { gt: nowMs },
    }
    if (q.phase === 'live') where.startsAt = { lte: nowMs }
    if (q.phase === 'upcoming') where.startsAt = { gt: nowMs }
    const f = q.filters
    if (f.brand?.length) where.brandId = { in: f.brand }
    if (f.category?.length) where.category = { in: f.category }
    if (f.session?.length) where.sessionId = { in: f.session }
    if (f.size?.length) where.sizes = { containsAny: f.size }
    if (f.colour?.length) where.colours = { containsAny: f.colour }
    if (f.tagCut !== undefined) where.tagCut = f.tagCut
    if (f.inStock !== undefined) where.inStock = f.inStock
    if (q.price) where.basePriceMinor = { between: between(q.price) }
    if (q.discount) where.discountBps = { between: between(q.discount) }

    const max = q.maxFacetValues ?? 50
    const facets: Record<string, unknown> = {}
    for (const key of Object.keys(facetProperty) as FacetKey[]) {
      const prop = facetProperty[key]
      facets[prop] = prop === 'tagCut' ? { true: true, false: true } : {}
    }
    const priceRanges = (q.priceBuckets ?? []).map((r) => { const [from, to] = between(r); return { from, to } })
    const discountRanges = (q.discountBuckets ?? []).map((r) => { const [from, to] = between(r); return { from, to } })
    if (priceRanges.length) facets.basePriceMinor = { ranges: priceRanges }
    if (discountRanges.length) facets.discountBps = { ranges: discountRanges }

    const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE)
    const text = q.text.trim()
    const params: Record<string, unknown> = {
      term: text,
      properties: FIELDS,
      where,
      facets,
      limit: pageSize,
      offset: (Math.max(1, q.page) - 1) * pageSize,
      // Every query word must match (0), rather than any (Orama's default, 1).
      threshold: 0,
      tolerance: text ? typoTolerance(text) : 0,
    }
    if (q.sort !== 'relevance') params.sortBy = sortProperty[q.sort]
    else if (!text) params.sortBy = sortProperty.ending_soon

    const res = search(this.db, params as never) as unknown as {
      count: number
      hits: { id: string }[]
      facets?: Record<string, { values: Record<string, number> }>
    }
    const out = emptyFacets()
    for (const key of Object.keys(facetProperty) as FacetKey[]) {
      out[key] = topValues(res.facets?.[facetProperty[key]]?.values ?? {}, max)
    }
    const rangeCounts = (prop: string, ranges: { from: number; to: number }[]) =>
      ranges.map((r) => res.facets?.[prop]?.values?.[`${r.from}-${r.to}`] ?? 0)
    return {
      hits: res.hits.map((h) => this.docs.get(h.id)!).filter(Boolean),
      total: res.count,
      facets: out,
      priceBuckets: rangeCounts('basePriceMinor', priceRanges),
      discountBuckets: rangeCounts('discountBps', discountRanges),
    }
  }
}
