import { z } from 'zod'
import { DISCOUNT_BUCKETS, PRICE_BUCKETS, SEARCH_MAX_PAGE } from '#app/domain/search'

// The /search URL: every piece of state is a query parameter, so back, reload and sharing keep it.
// Malformed pieces are dropped and reported (never a 500): the page still renders with what was valid.

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'discount', 'newest', 'ending_soon'] as const

/** Relevance only means something for a query: without one, what ends soonest comes first. */
export function defaultSearchSort(q: string): (typeof SEARCH_SORTS)[number] {
  return q ? 'relevance' : 'ending_soon'
}
export const SEARCH_CATEGORIES = ['womens', 'mens', 'kids', 'shoes_bags', 'jewellery'] as const
export const SEARCH_PARAMS = [
  'q',
  'brand',
  'category',
  'size',
  'colour',
  'session',
  'tagCut',
  'inStock',
  'phase',
  'price',
  'discount',
  'sort',
  'page',
] as const
export type SearchParamName = (typeof SEARCH_PARAMS)[number]

const Uuid = z.string().uuid()
const Label = z.string().trim().min(1).max(40)
const Page = z.coerce.number().int().min(1).max(SEARCH_MAX_PAGE)
const MAX_VALUES = 20
export const MAX_QUERY_LENGTH = 100

export interface SearchPageInput {
  q: string
  brand: string[]
  category: string[]
  size: string[]
  colour: string[]
  session: string[]
  tagCut?: boolean
  inStock?: boolean
  phase?: 'live' | 'upcoming'
  price?: string
  discount?: string
  sort: (typeof SEARCH_SORTS)[number]
  page: number
}

export type SearchNoticeCode = 'unknown_param' | 'bad_value' | 'too_many_values' | 'query_too_long' | 'bad_page'
export interface SearchNotice {
  code: SearchNoticeCode
  param: string
}

export function parseSearchParams(params: URLSearchParams): { input: SearchPageInput; notices: SearchNotice[] } {
  const notices: SearchNotice[] = []
  const note = (code: SearchNoticeCode, param: string) => {
    if (!notices.some((n) => n.code === code && n.param === param)) notices.push({ code, param })
  }
  for (const key of new Set(params.keys())) {
    if (!(SEARCH_PARAMS as readonly string[]).includes(key)) note('unknown_param', key.slice(0, 40))
  }
  const list = (name: SearchParamName, schema: z.ZodType<string>) => {
    const out: string[] = []
    for (const raw of params.getAll(name)) {
      if (raw === '') continue
      const r = schema.safeParse(raw)
      if (!r.success) {
        note('bad_value', name)
        continue
      }
      if (!out.includes(r.data)) out.push(r.data)
    }
    if (out.length > MAX_VALUES) {
      note('too_many_values', name)
      return out.slice(0, MAX_VALUES)
    }
    return out
  }
  const one = <T extends string>(name: SearchParamName, allowed: readonly T[]): T | undefined => {
    const raw = params.get(name)
    if (raw === null || raw === '') return undefined
    if ((allowed as readonly string[]).includes(raw)) return raw as T
    note('bad_value', name)
    return undefined
  }
  const flag = (name: SearchParamName) => {
    const v = one(name, ['1', '0'] as const)
    return v === undefined ? undefined : v === '1'
  }

  let q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim()
  if (q.length > MAX_QUERY_LENGTH) {
    note('query_too_long', 'q')
    q = q.slice(0, MAX_QUERY_LENGTH)
  }

  let page = 1
  const rawPage = params.get('page')
  if (rawPage !== null && rawPage !== '') {
    const r = Page.safeParse(rawPage)
    if (r.success) page = r.data
    else note('bad_page', 'page')
  }

  return {
    input: {
      q,
      brand: list('brand', Uuid),
      category: list('category', z.enum(SEARCH_CATEGORIES)),
      size: list('size', Label),
      colour: list('colour', Label),
      session: list('session', Uuid),
      tagCut: flag('tagCut'),
      inStock: flag('inStock'),
      phase: one('phase', ['live', 'upcoming'] as const),
      price: one(
        'price',
        PRICE_BUCKETS.map((b) => b.key),
      ),
      discount: one(
        'discount',
        DISCOUNT_BUCKETS.map((b) => b.key),
      ),
      sort: one('sort', SEARCH_SORTS) ?? defaultSearchSort(q),
      page,
    },
    notices,
  }
}
