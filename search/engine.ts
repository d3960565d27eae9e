import type { SearchDocument } from './documents'

/** A numeric range: `from` inclusive, `to` exclusive; either may be open. */
export interface NumericRange {
  from?: number
  to?: number
}

export const SORT_KEYS = ['relevance', 'price_asc', 'price_desc', 'discount', 'newest', 'ending_soon'] as const
export type SortKey = (typeof SORT_KEYS)[number]

export const FACET_KEYS = ['brand', 'category', 'size', 'colour', 'session', 'tagCut'] as const
export type FacetKey = (typeof FACET_KEYS)[number]

export interface SearchFilters {
  brand?: string[]
  category?: string[]
  size?: string[]
  colour?: string[]
  session?: string[]
  tagCut?: boolean
  inStock?: boolean
}

export interface SearchQuery {
  /** Free text, Chinese or English; empty for browse. */
  text: string
  /** Only items whose session has not ended at `now` are returned; `phase` narrows further. */
  now: Date
  phase?: 'live' | 'upcoming'
  /** Within one facet values are OR-ed; facets are AND-ed. */
  filters: SearchFilters
  /** On the base price (minor units). */
  price?: NumericRange
  /** On discountBps; tag-cut items (no discount) never match a discount filter. */
  discount?: NumericRange
  sort: SortKey
  /** 1-based. */
  page: number
  pageSize: number
  /** Range buckets to count (in the order given); counts are over the current result set. */
  priceBuckets?: NumericRange[]
  discountBuckets?: NumericRange[]
  /** Most values returned per facet (by count); default 50. */
  maxFacetValues?: number
}

export type FacetDistribution = Record<FacetKey, Record<string, number>>

export interface SearchResult {
  hits: SearchDocument[]
  total: number
  /** Value → count over all matching documents (not only this page). tagCut values are 'true'/'false'. */
  facets: FacetDistribution
  /** Counts per requested bucket, same order as the query's buckets. */
  priceBuckets: number[]
  discountBuckets: number[]
}

export interface SearchEngine {
  readonly name: 'orama' | 'meilisearch'
  /** Creates the index and applies its settings; safe to call at every start-up. */
  ensureSettings(): Promise<void>
  upsert(docs: SearchDocument[]): Promise<void>
  delete(ids: string[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  /** Every document the index holds (for the drift check). */
  all(): Promise<SearchDocument[]>
  /** Empties the index and loads these documents. */
  rebuild(docs: SearchDocument[]): Promise<void>
}

export const MAX_PAGE_SIZE = 100

export function emptyFacets(): FacetDistribution {
  return { brand: {}, category: {}, size: {}, colour: {}, session: {}, tagCut: {} }
}

/** Top `max` values by count (ties by value), so facet lists stay short and stable. */
export function topValues(values: Record<string, number>, max: number): Record<string, number> {
  const entries = Object.entries(values).filter(([, n]) => n > 0)
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return Object.fromEntries(entries.slice(0, max))
}
