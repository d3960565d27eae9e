import type { Db } from '#db/client'
import { facetLabels } from '#db/queries/search'
import { getSearchEngine } from '#search/client'
import type { SearchEngine, SearchQuery } from '#search/engine'
import { sessionPhase } from '#app/domain/clearance-sessions'
import { wholesalePriceFor, type Viewer } from '#app/domain/pricing'
import { baseRangeForViewerPrice, DISCOUNT_BUCKETS, PRICE_BUCKETS, SEARCH_PAGE_SIZE } from '#app/domain/search'
import { defaultSearchSort, parseSearchParams, type SearchNotice, type SearchPageInput } from '#app/schemas/search'
import { compareSizes } from '#app/domain/retail-pricing'
import { loadPriceBook } from '../membership/pricing.server'

export interface FacetValue {
  value: string
  label: string
  labelEn: string
  count: number
}

/**
 * The /search page: parses the URL (dropping and reporting what is malformed), asks the engine, and
 * prices each hit for the viewer on the server. Signed-out visitors get no prices, and no price or
 * discount facets or sorts either (a price band is a price).
 */
export async function searchPage(
  db: Db,
  params: URLSearchParams,
  viewer: Viewer | null,
  now: Date,
  engine: SearchEngine | null = getSearchEngine(),
) {
  const { input, notices } = parseSearchParams(params)
  const pricesVisible = viewer !== null
  if (!pricesVisible) {
    for (const key of ['price', 'discount'] as const) {
      if (input[key]) {
        notices.push({ code: 'bad_value', param: key })
        input[key] = undefined
      }
    }
    if (['price_asc', 'price_desc', 'discount'].includes(input.sort)) {
      notices.push({ code: 'bad_value', param: 'sort' })
      input.sort = defaultSearchSort(input.q)
    }
  }
  if (!engine) return { unavailable: true as const, input, notices }

  const book = await loadPriceBook(db)
  // Price filters use the table in force; each hit is priced with its session's own.
  const tiers = book.tiersFor(null)
  const priceBucket = PRICE_BUCKETS.find((b) => b.key === input.price)
  const discountBucket = DISCOUNT_BUCKETS.find((b) => b.key === input.discount)
  const query: SearchQuery = {
    text: input.q,
    now,
    phase: input.phase,
    filters: {
      brand: input.brand,
      category: input.category,
      size: input.size,
      colour: input.colour,
      session: input.session,
      tagCut: input.tagCut,
      inStock: input.inStock,
    },
    price: priceBucket ? (baseRangeForViewerPrice(priceBucket, viewer, tiers) ?? undefined) : undefined,
    discount: discountBucket ? { from: discountBucket.from, to: discountBucket.to } : undefined,
    sort: input.sort,
    page: input.page,
    pageSize: SEARCH_PAGE_SIZE,
    priceBuckets: pricesVisible ? PRICE_BUCKETS.map((b) => baseRangeForViewerPrice(b, viewer, tiers)!) : [],
    discountBuckets: pricesVisible ? DISCOUNT_BUCKETS.map((b) => ({ from: b.from, to: b.to })) : [],
    maxFacetValues: 30,
  }
  const result = await engine.search(query)

  const brandIds = [...new Set([...Object.keys(result.facets.brand), ...input.brand])]
  const sessionIds = [...new Set([...Object.keys(result.facets.session), ...input.session])]
  const labels = await facetLabels(db, brandIds, sessionIds)
  const brandName = new Map(labels.brands.map((b) => [b.id, [b.name, b.name_en] as const]))
  const sessionName = new Map(labels.sessions.map((s) => [s.id, [s.title, s.title_en] as const]))
  const values = (
    counts: Record<string, number>,
    label: (v: string) => readonly [string, string] = (v) => [v, v],
  ): FacetValue[] =>
    Object.entries(counts).map(([value, count]) => {
      const [l, e] = label(value)
      return { value, label: l, labelEn: e, count }
    })

  const pageCount = Math.max(1, Math.ceil(result.total / SEARCH_PAGE_SIZE))
  return {
    unavailable: false as const,
    input,
    notices: notices as SearchNotice[],
    pricesVisible,
    total: result.total,
    page: input.page,
    pageCount,
    hits: result.hits.map((d) => ({
      id: d.id,
      productId: d.productId,
      title: d.title,
      titleEn: d.titleEn,
      imageSeed: d.imageSeed,
      brandName: d.brandName,
      brandNameEn: d.brandNameEn,
      sessionId: d.sessionId,
      sessionTitle: d.sessionTitle,
      sessionTitleEn: d.sessionTitleEn,
      category: d.category,
      tagCut: d.tagCut,
      inStock: d.inStock,
      currency: d.currency,
      priceMinor: wholesalePriceFor(d.basePriceMinor, viewer, book.tiersFor(d.sessionId)),
      // A tag-cut item never shows its tag price (the document does not even hold it).
      tagPriceMinor: d.tagCut ? null : d.tagPriceMinor,
      startsAt: new Date(d.startsAt).toISOString(),
      endsAt: new Date(d.endsAt).toISOString(),
      phase: sessionPhase({ status: 'scheduled', startsAt: new Date(d.startsAt), endsAt: new Date(d.endsAt) }, now),
    })),
    facets: {
      brand: values(result.facets.brand, (v) => brandName.get(v) ?? [v, v]),
      category: values(result.facets.category),
      // Sizes in size order (letters, numbers, then one-size), not by count.
      size: values(result.facets.size).sort((a, b) => compareSizes(a.value, b.value)),
      colour: values(result.facets.colour),
      session: values(result.facets.session, (v) => sessionName.get(v) ?? [v, v]),
      tagCut: values(result.facets.tagCut),
      price: pricesVisible ? PRICE_BUCKETS.map((b, i) => ({ value: b.key, count: result.priceBuckets[i] ?? 0 })) : [],
      discount: pricesVisible
        ? DISCOUNT_BUCKETS.map((b, i) => ({ value: b.key, count: result.discountBuckets[i] ?? 0 }))
        : [],
    },
    /** Names of selected ids, for the chips. */
    selectedLabels: {
      brand: Object.fromEntries(input.brand.map((id) => [id, brandName.get(id) ?? [id, id]])),
      session: Object.fromEntries(input.session.map((id) => [id, sessionName.get(id) ?? [id, id]])),
    },
  }
}

export type SearchPageData = Awaited<ReturnType<typeof searchPage>>
export type { SearchPageInput }
