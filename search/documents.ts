// Pure: one search document per session item. Never a member-specific price (see search/README.md).

export interface SearchDocument {
  /** The session item id. */
  id: string
  productId: string
  title: string
  titleEn: string
  imageSeed: string
  brandId: string
  brandName: string
  brandNameEn: string
  category: string
  /** Distinct sizes and colours of the SKUs allocated to this item. */
  sizes: string[]
  colours: string[]
  tagCut: boolean
  /** What a trial member pays; members' prices are computed on the server from it. */
  basePriceMinor: number
  currency: string
  /** Tag price, or null for a tag-cut item: a tag-cut item never shows (or leaks) its tag price. */
  tagPriceMinor: number | null
  /** Base price vs tag price in basis points off (3000 = 30% off); null for tag-cut items. */
  discountBps: number | null
  sessionId: string
  sessionTitle: string
  sessionTitleEn: string
  /** Epoch milliseconds; whether the session is live is decided by the query's `now`. */
  startsAt: number
  endsAt: number
  inStock: boolean
}

/** The SQL row a document is built from (db/queries/search.ts). */
export interface SearchDocumentRow {
  id: string
  product_id: string
  title: string
  title_en: string
  image_seed: string
  brand_id: string
  brand_name: string
  brand_name_en: string
  category: string
  sizes: string[] | null
  colours: string[] | null
  tag_cut: boolean
  base_price_minor: number
  currency: string
  tag_price_minor: number
  session_id: string
  session_title: string
  session_title_en: string
  starts_at: Date
  ends_at: Date
  in_stock: boolean | null
}

/** Basis points off the tag price, floored, never negative (a base above the tag price is 0% off). */
export function discountBps(basePriceMinor: number, tagPriceMinor: number): number {
  if (tagPriceMinor <= 0 || basePriceMinor >= tagPriceMinor) return 0
  return Math.floor(((tagPriceMinor - basePriceMinor) * 10_000) / tagPriceMinor)
}

const sorted = (values: string[] | null) => [...new Set((values ?? []).filter((v) => v !== null && v !== ''))].sort()

export function toSearchDocument(row: SearchDocumentRow): SearchDocument {
  return {
    id: row.id,
    productId: row.product_id,
    title: row.title,
    titleEn: row.title_en,
    imageSeed: row.image_seed,
    brandId: row.brand_id,
    brandName: row.brand_name,
    brandNameEn: row.brand_name_en,
    category: row.category,
    sizes: sorted(row.sizes),
    colours: sorted(row.colours),
    tagCut: row.tag_cut,
    basePriceMinor: row.base_price_minor,
    currency: row.currency.trim(),
    tagPriceMinor: row.tag_cut ? null : row.tag_price_minor,
    discountBps: row.tag_cut ? null : discountBps(row.base_price_minor, row.tag_price_minor),
    sessionId: row.session_id,
    sessionTitle: row.session_title,
    sessionTitleEn: row.session_title_en,
    startsAt: new Date(row.starts_at).getTime(),
    endsAt: new Date(row.ends_at).getTime(),
    inStock: row.in_stock === true,
  }
}

/** A stable comparison key: the drift check compares what the index holds with what SQL says. */
export function documentFingerprint(doc: SearchDocument): string {
  const keys = Object.keys(doc).sort() as (keyof SearchDocument)[]
  return JSON.stringify(keys.map((k) => [k, doc[k] ?? null]))
}
