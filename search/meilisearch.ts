import { Meilisearch, MeilisearchApiError, type Index, type Settings, type Task } from 'meilisearch'
import type { SearchDocument } from './documents'
import { searchKeywords } from './keywords'
import {
  emptyFacets,
  MAX_PAGE_SIZE,
  topValues,
  type FacetKey,
  type NumericRange,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type SortKey,
} from './engine'

// The production engine. Settings live here as code and are applied at every start-up; Meilisearch
// treats an identical settings update as a no-op, so this is idempotent. Every write awaits its
// task and throws when the task failed, so callers (the outbox drain) retry instead of losing it.

const facetAttribute: Record<FacetKey, string> = {
  brand: 'brandId',
  category: 'category',
  size: 'sizes',
  colour: 'colours',
  session: 'sessionId',
  tagCut: 'tagCut',
}

export const MEILI_SETTINGS: Settings = {
  searchableAttributes: ['title', 'titleEn', 'brandName', 'brandNameEn', 'sessionTitle', 'sessionTitleEn', 'keywords'],
  filterableAttributes: [
    'brandId',
    'category',
    'sizes',
    'colours',
    'sessionId',
    'tagCut',
    'inStock',
    'basePriceMinor',
    'discountBps',
    'startsAt',
    'endsAt',
  ],
  sortableAttributes: ['basePriceMinor', 'discountBps', 'startsAt', 'endsAt'],
  displayedAttributes: ['*'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnAttributes: [] },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: 100_000 },
  localizedAttributes: [
    { attributePatterns: ['title', 'brandName', 'sessionTitle'], locales: ['cmn'] },
    { attributePatterns: ['titleEn', 'brandNameEn', 'sessionTitleEn'], locales: ['eng'] },
  ],
}

const sortRule: Record<Exclude<SortKey, 'relevance'>, string> = {
  price_asc: 'basePriceMinor:asc',
  price_desc: 'basePriceMinor:desc',
  discount: 'discountBps:desc',
  newest: 'startsAt:desc',
  ending_soon: 'endsAt:asc',
}

const quote = (v: string) => JSON.stringify(v)

function rangeFilter(attr: string, r: NumericRange): string[] {
  const parts: string[] = []
  if (r.from !== undefined) parts.push(`${attr} >= ${Math.trunc(r.from)}`)
  if (r.to !== undefined) parts.push(`${attr} < ${Math.trunc(r.to)}`)
  if (!parts.length) parts.push(`${attr} EXISTS`)
  return parts
}

/** The filter expression for a query (exported for tests). */
export function meiliFilter(q: SearchQuery): string[] {
  const nowMs = q.now.getTime()
  const out: string[] = [`endsAt > ${nowMs}`]
  if (q.phase === 'live') out.push(`startsAt <= ${nowMs}`)
  if (q.phase === 'upcoming') out.push(`startsAt > ${nowMs}`)
  const f = q.filters
  const list = (attr: string, values?: string[]) => {
    if (values?.length) out.push(`${attr} IN [${values.map(quote).join(', ')}]`)
  }
  list('brandId', f.brand)
  list('category', f.category)
  list('sessionId', f.session)
  list('sizes', f.size)
  list('colours', f.colour)
  if (f.tagCut !== undefined) out.push(`tagCut = ${f.tagCut}`)
  if (f.inStock !== undefined) out.push(`inStock = ${f.inStock}`)
  if (q.price) out.push(...rangeFilter('basePriceMinor', q.price))
  if (q.discount) out.push(...rangeFilter('discountBps', q.discount))
  return out
}

/** Null discount is left out of the stored document: a missing attribute never matches a range and sorts last. */
function toMeili(doc: SearchDocument): Record<string, unknown> {
  const { discountBps, ...rest } = doc
  const stored = { ...rest, keywords: searchKeywords(doc) }
  return discountBps === null ? stored : { ...stored, discountBps }
}

function fromMeili(raw: Record<string, unknown>): SearchDocument {
  const { _rankingScore, _formatted, _matchesPosition, keywords, ...doc } = raw as Record<string, unknown>
  void _rankingScore
  void _formatted
  void _matchesPosition
  void keywords
  return { ...(doc as unknown as SearchDocument), discountBps: (doc.discountBps as number | undefined) ?? null }
}

export class MeilisearchTaskError extends Error {}

export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch' as const
  private client: Meilisearch
  private indexUid: string

  constructor(options: { host: string; apiKey?: string; indexUid?: string }) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey })
    this.indexUid = options.indexUid ?? 'session_items'
  }

  private get index(): Index<Record<string, unknown>> {
    return this.client.index(this.indexUid)
  }

  private async settle(pending: { waitTask: (o?: { timeout?: number }) => Promise<Task> }): Promise<Task> {
    const task = await pending.waitTask({ timeout: 120_000 })
    if (task.status !== 'succeeded') {
      throw new MeilisearchTaskError(
        `Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no detail'}`,
      )
    }
    return task
  }

  async ensureSettings(): Promise<void> {
    try {
      await this.client.getRawIndex(this.indexUid)
    } catch (e) {
      if (!(e instanceof MeilisearchApiError) || e.cause?.code !== 'index_not_found') throw e
      await this.settle(this.client.createIndex(this.indexUid, { primaryKey: 'id' }))
    }
    await this.settle(this.index.updateSettings(MEILI_SETTINGS))
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    for (let i = 0; i < docs.length; i += 5000) {
      await this.settle(this.index.addDocuments(docs.slice(i, i + 5000).map(toMeili), { primaryKey: 'id' }))
    }
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length) await this.settle(this.index.deleteDocuments(ids))
  }

  async all(): Promise<SearchDocument[]> {
    const out: SearchDocument[] = []
    for (let offset = 0; ; offset += 1000) {
      const page = await this.index.getDocuments({ offset, limit: 1000 })
      out.push(...page.results.map(fromMeili))
      if (page.results.length < 1000) break
    }
    return out
  }

  async rebuild(docs: SearchDocument[]): Promise<void> {
    await this.ensureSettings()
    await this.settle(this.index.deleteAllDocuments())
    await this.upsert(docs)
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    const filter = meiliFilter(q)
    const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE)
    const text = q.text.trim()
    const sort = q.sort !== 'relevance' ? [sortRule[q.sort]] : text ? undefined : [sortRule.ending_soon]
    const bucketQueries = [
      ...(q.priceBuckets ?? []).map((r) => [...filter, ...rangeFilter('basePriceMinor', r)]),
      ...(q.discountBuckets ?? []).map((r) => [...filter, ...rangeFilter('discountBps', r)]),
    ].map((f) => ({
      indexUid: this.indexUid,
      q: text,
      matchingStrategy: 'all' as const,
      filter: f,
      page: 1,
      hitsPerPage: 0,
    })) // exact totalHits, no hits
    const { results } = await this.client.multiSearch({
      queries: [
        {
          indexUid: this.indexUid,
          q: text,
          matchingStrategy: 'all',
          filter,
          sort,
          page: Math.max(1, q.page),
          hitsPerPage: pageSize,
          facets: Object.values(facetAttribute),
        },
        ...bucketQueries,
      ],
    })
    const [main, ...buckets] = results as unknown as {
      hits: Record<string, unknown>[]
      totalHits?: number
      estimatedTotalHits?: number
      facetDistribution?: Record<string, Record<string, number>>
    }[]
    const max = q.maxFacetValues ?? 50
    const facets = emptyFacets()
    for (const key of Object.keys(facetAttribute) as FacetKey[])
      facets[key] = topValues(main.facetDistribution?.[facetAttribute[key]] ?? {}, max)
    const counts = buckets.map((b) => b.totalHits ?? b.estimatedTotalHits ?? 0)
    const nPrice = q.priceBuckets?.length ?? 0
    return {
      hits: main.hits.map(fromMeili),
      total: main.totalHits ?? main.estimatedTotalHits ?? 0,
      facets,
      priceBuckets: counts.slice(0, nPrice),
      discountBuckets: counts.slice(nPrice),
    }
  }
}
