import { count, create, getByID, insertMultiple, removeMultiple, type Orama } from '@orama/orama'
import { index as oramaIndex } from '@orama/orama/components'
import { LRUCache } from 'lru-cache'
import type { SearchDocument } from './documents'
import { searchKeywords } from './keywords'
import {
  emptyFacets,
  MAX_PAGE_SIZE,
  topValues,
  type NumericRange,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type SortKey,
} from './engine'
import { AllWordsScorer, TermCache, oramaTextIndex, type BM25Params } from './all-words-scorer'
import { createCjkTokenizer, typoTolerance } from './tokenizer'

// The embedded engine: Orama keeps the index in this process's memory, so it is rebuilt from
// Postgres at start-up and fed by the same outbox drain as Meilisearch.

const schema = {
  /** Titles, brand and session names in both languages, in one field: Orama's all-words check is per field. */
  text: 'string',
  // Set-valued filters, prices, discounts and times are filtered outside Orama (see search()).
} as const

type OramaDb = Orama<typeof schema>
/** Orama's defaults. */
const BM25: BM25Params = { k: 1.2, b: 0.75, d: 0.5 }

/** Orama's internal id store, read to map the scorer's internal ids to documents (patch-pinned version). */
interface OramaIds {
  internalDocumentIDStore: { idToInternalId: Map<string, number> }
  tokenizer: { tokenize(raw: string): string[] }
}

const sortKey: Record<Exclude<SortKey, 'relevance'>, { key: (d: SearchDocument) => number; dir: 1 | -1 }> = {
  price_asc: { key: (d) => d.basePriceMinor, dir: 1 },
  price_desc: { key: (d) => d.basePriceMinor, dir: -1 },
  discount: { key: (d) => d.discountBps ?? -1, dir: -1 },
  newest: { key: (d) => d.startsAt, dir: -1 },
  ending_soon: { key: (d) => d.endsAt, dir: 1 },
}

const compareBy = (sort: Exclude<SortKey, 'relevance'>) => {
  const { key, dir } = sortKey[sort]
  return (a: Coded, b: Coded) =>
    dir * (key(a.doc) - key(b.doc)) || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0)
}

/** Facet values as small integers, so counting is an array increment. */
class Dict {
  private ids = new Map<string, number>()
  readonly values: string[] = []
  code(v: string): number {
    let c = this.ids.get(v)
    if (c === undefined) {
      c = this.values.length
      this.values.push(v)
      this.ids.set(v, c)
    }
    return c
  }
  /** Codes of the given values; a value never seen gets no code (it matches nothing). */
  codes(vs?: string[]): Set<number> | null {
    if (!vs?.length) return null
    const out = new Set<number>()
    for (const v of vs) {
      const c = this.ids.get(v)
      if (c !== undefined) out.add(c)
    }
    return out
  }
}

interface BrowseResult {
  matches: Coded[]
  facets: ReturnType<typeof emptyFacets>
  priceCounts: number[]
  discountCounts: number[]
}

/** Facet counts before decoding, kept with a cached browse so a write can adjust them instead of recounting. */
interface Tally {
  n: Record<'brand' | 'category' | 'session' | 'size' | 'colour', Int32Array>
  tagCutYes: number
  total: number
  pb: { lo: Float64Array; hi: Float64Array; counts: Int32Array }
  db: { lo: Float64Array; hi: Float64Array; counts: Int32Array }
}

interface BrowseEntry {
  sort: Exclude<SortKey, 'relevance'>
  phase: SearchQuery['phase']
  max: number
  /**
   * Valid for every now in [lo, hi): no document ends (nor, with a phase, starts) in between, so the set is
   * { endsAt ≥ hi }, and for live also { startsAt ≤ lo }, for upcoming { startsAt ≥ hi } (see inBrowse).
   */
  lo: number
  hi: number
  matches: Coded[]
  tally: Tally
  value: BrowseResult
}

/**
 * A document with what filters and counts read copied flat (one object per document to touch, not two): a query for
 * a common word visits tens of thousands of them, and the time goes to fetching them from memory.
 */
interface Coded {
  doc: SearchDocument
  endsAt: number
  startsAt: number
  tagCut: boolean
  inStock: boolean
  price: number
  discount: number | null
  brand: number
  category: number
  session: number
  sizes: number[]
  colours: number[]
}

export class OramaSearchEngine implements SearchEngine {
  readonly name = 'orama' as const
  private db: OramaDb
  /** The documents as given, by id, with their facet codes (Orama stores only the text it indexes). */
  private docs = new Map<string, Coded>()
  /** The same documents by Orama's internal id, which is what the scorer returns. */
  private byInternal: (Coded | undefined)[] = []
  private dicts = { brand: new Dict(), category: new Dict(), session: new Dict(), size: new Dict(), colour: new Dict() }
  /** Documents in the order of each sort key, rebuilt lazily after a write. */
  private sorted = new Map<Exclude<SortKey, 'relevance'>, Coded[]>()

  private scorer = new AllWordsScorer()
  private terms = new TermCache()
  /** Counts the words the index learns; the term cache is good until it moves. */
  private vocabulary = 0

  constructor() {
    this.db = this.fresh()
  }

  private internals(): OramaIds {
    return this.db as unknown as OramaIds
  }

  private queryTokens(text: string): string[] {
    return this.internals().tokenizer.tokenize(text)
  }

  private fresh(): OramaDb {
    return create({
      schema,
      components: { tokenizer: createCjkTokenizer(), index: lightIndex(() => this.vocabulary++) },
    }) as OramaDb
  }

  async ensureSettings(): Promise<void> {}

  private toOrama(doc: SearchDocument) {
    return {
      id: doc.id,
      text: [
        doc.title,
        doc.titleEn,
        doc.brandName,
        doc.brandNameEn,
        doc.sessionTitle,
        doc.sessionTitleEn,
        searchKeywords(doc),
      ].join('\n'),
    }
  }

  private encode(doc: SearchDocument): Coded {
    const d = this.dicts
    return {
      doc,
      endsAt: doc.endsAt,
      startsAt: doc.startsAt,
      tagCut: doc.tagCut,
      inStock: doc.inStock,
      price: doc.basePriceMinor,
      discount: doc.discountBps,
      brand: d.brand.code(doc.brandId),
      category: d.category.code(doc.category),
      session: d.session.code(doc.sessionId),
      sizes: doc.sizes.map((x) => d.size.code(x)),
      colours: doc.colours.map((x) => d.colour.code(x)),
    }
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    const existing = docs.map((d) => d.id).filter((id) => this.docs.has(id))
    if (existing.length) removeMultiple(this.db, existing, 1000)
    insertMultiple(
      this.db,
      docs.map((d) => this.toOrama(d)),
      1000,
    )
    const removed: Coded[] = []
    const added: Coded[] = []
    const internal = this.internals().internalDocumentIDStore.idToInternalId
    for (const d of docs) {
      const old = this.docs.get(d.id)
      if (old) removed.push(old)
      const c = this.encode(d)
      this.docs.set(d.id, c)
      this.byInternal[internal.get(d.id)!] = c
      added.push(c)
    }
    this.resort(removed, added)
    this.adjustBrowse(removed, added)
    this.results.clear()
  }

  async delete(ids: string[]): Promise<void> {
    const present = ids.filter((id) => this.docs.has(id))
    if (!present.length) return
    removeMultiple(this.db, present, 1000)
    const removed = present.map((id) => this.docs.get(id)!)
    // Orama keeps an id's internal id for good, so it can be looked up after the removal.
    const internal = this.internals().internalDocumentIDStore.idToInternalId
    for (const id of present) {
      this.docs.delete(id)
      this.byInternal[internal.get(id)!] = undefined
    }
    this.resort(removed, [])
    this.adjustBrowse(removed, [])
    this.results.clear()
  }

  async all(): Promise<SearchDocument[]> {
    return [...this.docs.values()].map((c) => c.doc)
  }

  async rebuild(docs: SearchDocument[]): Promise<void> {
    this.db = this.fresh()
    this.vocabulary++ // a new tree: the kept nodes belong to the old one
    this.docs = new Map()
    this.byInternal = []
    this.sorted.clear()
    this.browseCache.clear()
    this.results.clear()
    await this.upsert(docs)
  }

  size(): number {
    return count(this.db)
  }

  has(id: string): boolean {
    return getByID(this.db, id) !== undefined
  }

  private browseCache = new Map<string, BrowseEntry>()
  /**
   * Other queries' results (text, filters), valid in their window of time and until the next write, which empties it:
   * a popular word is asked again and again, and its documents cost ~20 ms to gather and count at 100,000 documents.
   */
  private results = new LRUCache<string, { lo: number; hi: number; value: BrowseResult }>({ max: 64 })

  /**
   * The span of time around now in which the set of documents not ended (and, withStarts, started) stays the same:
   * [largest end (or start) ≤ now, smallest end (or start) > now).
   */
  private window(nowMs: number, withStarts: boolean): { lo: number; hi: number } {
    const byEnd = this.presorted('ending_soon')
    let l = 0,
      h = byEnd.length
    while (l < h) {
      const m = (l + h) >> 1
      if (byEnd[m].endsAt <= nowMs) l = m + 1
      else h = m
    }
    let lo = l > 0 ? byEnd[l - 1].endsAt : -Infinity
    let hi = l < byEnd.length ? byEnd[l].endsAt : Infinity
    if (withStarts)
      for (const c of this.docs.values()) {
        const s = c.startsAt
        if (s <= nowMs) lo = Math.max(lo, s)
        else hi = Math.min(hi, s)
      }
    return { lo, hi }
  }

  /** Reuses a plain browse result until the clock crosses a document's end; writes adjust it (adjustBrowse). */
  private browse(q: SearchQuery, sort: Exclude<SortKey, 'relevance'>, nowMs: number, compute: () => Counted) {
    const max = q.maxFacetValues ?? 50
    const phase = q.phase
    const key = JSON.stringify([sort, phase ?? '', q.priceBuckets ?? [], q.discountBuckets ?? [], max])
    const hit = this.browseCache.get(key)
    if (hit && nowMs >= hit.lo && nowMs < hit.hi) return hit.value
    const { lo, hi } = this.window(nowMs, phase !== undefined)
    const { matches, tally } = compute()
    const value = this.present(matches, tally, max)
    this.browseCache.set(key, { sort, phase, max, lo, hi, matches, tally, value })
    return value
  }

  /**
   * A write changes a cached browse by a few documents: each leaves and enters its sorted place and its counts,
   * rather than the next visitor recounting every document (the first browse after a write cost 78 ms at 100,000
   * documents). A document that ends (or, for a phase, starts) inside an entry's window would split it: that entry
   * is dropped instead.
   */
  private adjustBrowse(removed: Coded[], added: Coded[]) {
    if (removed.length + added.length > 200) return this.browseCache.clear()
    for (const [key, e] of this.browseCache) {
      const inside = (t: number) => t > e.lo && t < e.hi
      if (added.some((c) => inside(c.endsAt) || (e.phase && inside(c.startsAt)))) {
        this.browseCache.delete(key)
        continue
      }
      const cmp = compareBy(e.sort)
      const position = (c: Coded) => {
        let l = 0,
          h = e.matches.length
        while (l < h) {
          const m = (l + h) >> 1
          if (cmp(e.matches[m], c) < 0) l = m + 1
          else h = m
        }
        return l
      }
      for (const c of removed) {
        if (!inBrowse(c, e)) continue
        const i = position(c)
        const at = e.matches[i] === c ? i : e.matches.indexOf(c)
        if (at < 0) continue
        e.matches.splice(at, 1)
        tallyOne(e.tally, c, -1)
      }
      for (const c of added) {
        if (!inBrowse(c, e)) continue
        e.matches.splice(position(c), 0, c)
        tallyOne(e.tally, c, 1)
      }
      e.value = this.present(e.matches, e.tally, e.max)
    }
  }

  private cachedResult(q: SearchQuery, text: string, sort: SortKey, nowMs: number, compute: () => Counted) {
    const max = q.maxFacetValues ?? 50
    const key = JSON.stringify([
      text,
      sort,
      q.phase ?? '',
      q.filters,
      q.price,
      q.discount,
      q.priceBuckets,
      q.discountBuckets,
      max,
    ])
    const hit = this.results.get(key)
    if (hit && nowMs >= hit.lo && nowMs < hit.hi) return hit.value
    const counted = compute()
    const value = this.present(counted.matches, counted.tally, max)
    this.results.set(key, { ...this.window(nowMs, q.phase !== undefined), value })
    return value
  }

  /** The facets of counted matches, decoded. */
  private present(matches: Coded[], t: Tally, max: number): BrowseResult {
    const d = this.dicts
    const decode = (dict: Dict, counts: Int32Array) => {
      const out: Record<string, number> = {}
      for (let i = 0; i < counts.length; i++) if (counts[i] > 0) out[dict.values[i]] = counts[i]
      return topValues(out, max)
    }
    const facets = emptyFacets()
    facets.brand = decode(d.brand, t.n.brand)
    facets.category = decode(d.category, t.n.category)
    facets.session = decode(d.session, t.n.session)
    facets.size = decode(d.size, t.n.size)
    facets.colour = decode(d.colour, t.n.colour)
    facets.tagCut = topValues({ true: t.tagCutYes, false: t.total - t.tagCutYes }, 2)
    return { matches, facets, priceCounts: Array.from(t.pb.counts), discountCounts: Array.from(t.db.counts) }
  }

  private presorted(sort: Exclude<SortKey, 'relevance'>): Coded[] {
    let list = this.sorted.get(sort)
    if (!list) {
      list = [...this.docs.values()].sort(compareBy(sort))
      this.sorted.set(sort, list)
    }
    return list
  }

  /** Keeps the presorted lists in order across a small write (a splice each) instead of re-sorting. */
  private resort(removed: Coded[], added: Coded[]): void {
    if (removed.length + added.length > 200) {
      this.sorted.clear()
      return
    }
    for (const [sort, list] of this.sorted) {
      const cmp = compareBy(sort)
      const position = (c: Coded) => {
        let l = 0,
          h = list.length
        while (l < h) {
          const m = (l + h) >> 1
          if (cmp(list[m], c) < 0) l = m + 1
          else h = m
        }
        return l
      }
      for (const c of removed) {
        const i = position(c)
        if (list[i] === c) list.splice(i, 1)
        else {
          const j = list.indexOf(c)
          if (j >= 0) list.splice(j, 1)
        }
      }
      for (const c of added) list.splice(position(c), 0, c)
    }
  }

  /**
   * Filters (set-valued, numeric ranges, the time window) are one pass over the documents; Orama
   * scores the text against only the documents that passed (its BM25 skips the rest), with the CJK
   * tokenizer and every word required. Facet counts (integer-coded), sorting and the page follow.
   * Orama's own where-clauses and facets build Sets of every matching id per clause, which cost
   * tens of milliseconds per query at 100,000 documents (README, Search: figures).
   */
  async search(q: SearchQuery): Promise<SearchResult> {
    const nowMs = q.now.getTime()
    const f = q.filters
    const d = this.dicts
    const brands = d.brand.codes(f.brand),
      categories = d.category.codes(f.category),
      sessions = d.session.codes(f.session)
    const sizes = d.size.codes(f.size),
      colours = d.colour.codes(f.colour)
    const inRange = (v: number | null, r?: NumericRange) =>
      !r || (v !== null && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to))
    const anyIn = (xs: number[], set: Set<number>) => {
      for (const x of xs) if (set.has(x)) return true
      return false
    }
    const passes = (c: Coded) =>
      c.endsAt > nowMs &&
      (q.phase !== 'live' || c.startsAt <= nowMs) &&
      (q.phase !== 'upcoming' || c.startsAt > nowMs) &&
      (!brands || brands.has(c.brand)) &&
      (!categories || categories.has(c.category)) &&
      (!sessions || sessions.has(c.session)) &&
      (f.tagCut === undefined || c.tagCut === f.tagCut) &&
      (f.inStock === undefined || c.inStock === f.inStock) &&
      (!sizes || anyIn(c.sizes, sizes)) &&
      (!colours || anyIn(c.colours, colours)) &&
      inRange(c.price, q.price) &&
      inRange(c.discount, q.discount)

    const text = q.text.trim()
    const sort = q.sort === 'relevance' && !text ? 'ending_soon' : q.sort
    const compute = (): Counted => {
      let matches: Coded[]
      if (text) {
        // Score every document holding the words, then filter: a word's documents are far fewer than all of them.
        const { ids } = this.scorer.run(
          oramaTextIndex(this.db, 'text', { cache: this.terms, vocabulary: this.vocabulary }),
          this.queryTokens(text),
          typoTolerance(text),
          this.docs.size,
          BM25,
        )
        matches = []
        for (const iid of ids) {
          const c = this.byInternal[iid]
          if (c && passes(c)) matches.push(c)
        }
        if (sort !== 'relevance') {
          const { key, dir } = sortKey[sort]
          matches.sort((a, b) => dir * (key(a.doc) - key(b.doc)) || (a.doc.id < b.doc.id ? -1 : 1))
        }
      } else {
        matches = []
        for (const c of this.presorted(sort as Exclude<SortKey, 'relevance'>)) if (passes(c)) matches.push(c)
      }

      return { matches, tally: tally(this.dicts, matches, q.priceBuckets ?? [], q.discountBuckets ?? []) }
    }
    // Plain browse (no text, no filter but live/upcoming) is the page's landing view and its two tabs: cached until
    // the clock crosses a document's start or end; writes adjust it.
    const plain =
      !text &&
      !brands &&
      !categories &&
      !sessions &&
      !sizes &&
      !colours &&
      !q.price &&
      !q.discount &&
      f.tagCut === undefined &&
      f.inStock === undefined
    const { matches, facets, priceCounts, discountCounts } = plain
      ? this.browse(q, sort as Exclude<SortKey, 'relevance'>, nowMs, compute)
      : this.cachedResult(q, text, sort, nowMs, compute)
    const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE)
    const offset = (Math.max(1, q.page) - 1) * pageSize
    return {
      hits: matches.slice(offset, offset + pageSize).map((c) => c.doc),
      total: matches.length,
      facets,
      priceBuckets: priceCounts,
      discountBuckets: discountCounts,
    }
  }
}

type Counted = { matches: Coded[]; tally: Tally }

/**
 * Orama's index without its per-document term-frequency objects, which held half the index's memory (~220 MB at
 * 100,000 documents). The tokenizer gives each document's tokens once (indexTokens is a set), so a term's frequency
 * in a document is always 1 ÷ its token count and the scorer reads it from the field length. Inserting also stops
 * counting each token against every other (quadratic per document).
 */
function lightIndex(onNewWord: () => void) {
  const base = oramaIndex.createIndex()
  type Index = Parameters<typeof base.insertTokenScoreParameters>[0]
  return {
    ...base,
    insertDocumentScoreParameters(index: Index, prop: string, id: number, tokens: string[], docsCount: number) {
      index.avgFieldLength[prop] = ((index.avgFieldLength[prop] ?? 0) * (docsCount - 1) + tokens.length) / docsCount
      index.fieldLengths[prop][id] = tokens.length
    },
    insertTokenScoreParameters(index: Index, prop: string, _id: number, _tokens: string[], token: string) {
      const occurrences = index.tokenOccurrences[prop]
      const before = occurrences[token] ?? 0
      if (before === 0) onNewWord()
      occurrences[token] = before + 1
    },
  }
}

/** Whether a document belongs to a cached browse, for any now in its window. */
function inBrowse(c: Coded, e: BrowseEntry): boolean {
  const { startsAt, endsAt } = c
  return endsAt >= e.hi && (e.phase !== 'live' || startsAt <= e.lo) && (e.phase !== 'upcoming' || startsAt >= e.hi)
}

/** Bounds as flat numbers: one monomorphic comparison per bucket. */
function bounds(rs: NumericRange[]) {
  const lo = new Float64Array(rs.length),
    hi = new Float64Array(rs.length)
  rs.forEach((r, i) => {
    lo[i] = r.from ?? -Infinity
    hi[i] = r.to ?? Infinity
  })
  return { lo, hi, counts: new Int32Array(rs.length) }
}

/** Facet and bucket counts of the matches, integer-coded. */
function tally(
  dicts: Record<keyof Tally['n'], Dict>,
  matches: Coded[],
  priceRanges: NumericRange[],
  discountRanges: NumericRange[],
): Tally {
  const t: Tally = {
    n: {
      brand: new Int32Array(dicts.brand.values.length),
      category: new Int32Array(dicts.category.values.length),
      session: new Int32Array(dicts.session.values.length),
      size: new Int32Array(dicts.size.values.length),
      colour: new Int32Array(dicts.colour.values.length),
    },
    tagCutYes: 0,
    total: 0,
    pb: bounds(priceRanges),
    db: bounds(discountRanges),
  }
  for (const c of matches) tallyOne(t, c, 1)
  return t
}

/** Adds (+1) or takes away (-1) one document's counts. */
function tallyOne(t: Tally, c: Coded, by: 1 | -1) {
  const n = t.n
  bump(n, 'brand', c.brand, by)
  bump(n, 'category', c.category, by)
  bump(n, 'session', c.session, by)
  for (let i = 0; i < c.sizes.length; i++) bump(n, 'size', c.sizes[i], by)
  for (let i = 0; i < c.colours.length; i++) bump(n, 'colour', c.colours[i], by)
  t.total += by
  if (c.tagCut) t.tagCutYes += by
  const price = c.price
  const pb = t.pb
  for (let i = 0; i < pb.lo.length; i++) if (price >= pb.lo[i] && price < pb.hi[i]) pb.counts[i] += by
  const disc = c.discount
  const db = t.db
  if (disc !== null) for (let i = 0; i < db.lo.length; i++) if (disc >= db.lo[i] && disc < db.hi[i]) db.counts[i] += by
}

/** One facet value's count; a code newer than the array grows it. A module function, not a closure per call: this runs once per value of every matching document. */
function bump(n: Tally['n'], k: keyof Tally['n'], code: number, by: number) {
  if (code >= n[k].length) {
    const grown = new Int32Array(Math.max(code + 1, n[k].length * 2))
    grown.set(n[k])
    n[k] = grown
  }
  n[k][code] += by
}
