import { count, create, getByID, insertMultiple, removeMultiple, type Orama } from '@orama/orama'
import { index as oramaIndex } from '@orama/orama/components'
import { LRUCache } from 'lru-cache'
import type { SearchDocument } from './documents'
import { searchKeywords } from './keywords'
import {
  emptyFacets,
  MAX_PAGE_SIZE,
  topValues,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type SortKey,
} from './engine'
import { AllWordsScorer, TermCache, oramaTextIndex, type BM25Params } from './all-words-scorer'
import { Columns, countOne, emptyTally, type CodedFilter, type FacetFields, type Tally } from './columns'
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

/** A document with its coded fields: sorting, time windows and count adjustments read these. */
interface Coded extends FacetFields {
  doc: SearchDocument
  /** Orama's internal id: where the document's fields sit in the columns. */
  iid: number
}

export class OramaSearchEngine implements SearchEngine {
  readonly name = 'orama' as const
  private db: OramaDb
  /** The documents as given, by id, with their facet codes (Orama stores only the text it indexes). */
  private docs = new Map<string, Coded>()
  /** The same documents by Orama's internal id, which is what the scorer returns. */
  private byInternal: (Coded | undefined)[] = []
  /** What filters and counts read, by internal id (search/columns.ts). */
  private columns = new Columns()
  /** Scratch marks by internal id, all zero between queries. */
  private marks = new Uint8Array(0)
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

  private encode(doc: SearchDocument, iid: number): Coded {
    const d = this.dicts
    return {
      doc,
      iid,
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
      const iid = internal.get(d.id)!
      const c = this.encode(d, iid)
      this.docs.set(d.id, c)
      this.byInternal[iid] = c
      this.columns.set(iid, c)
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
    this.columns = new Columns()
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
        countOne(e.tally, c, -1)
      }
      for (const c of added) {
        if (!inBrowse(c, e)) continue
        e.matches.splice(position(c), 0, c)
        countOne(e.tally, c, 1)
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

  /** Zeroed marks, one per internal id; the caller leaves them zeroed. */
  private markScratch(): Uint8Array {
    if (this.marks.length < this.byInternal.length) this.marks = new Uint8Array(this.byInternal.length * 2)
    return this.marks
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
    const filter: CodedFilter = {
      nowMs,
      phase: q.phase,
      brands,
      categories,
      sessions,
      sizes,
      colours,
      tagCut: f.tagCut,
      inStock: f.inStock,
      price: q.price,
      discount: q.discount,
    }
    const columns = this.columns

    const text = q.text.trim()
    const sort = q.sort === 'relevance' && !text ? 'ending_soon' : q.sort
    const compute = (): Counted => {
      let matches: Coded[]
      const tally = emptyTally(
        {
          brand: d.brand.values.length,
          category: d.category.values.length,
          session: d.session.values.length,
          size: d.size.values.length,
          colour: d.colour.values.length,
        },
        q.priceBuckets ?? [],
        q.discountBuckets ?? [],
      )
      if (text) {
        // Score every document holding the words, then filter: a word's documents are far fewer than all of them.
        const { ids } = this.scorer.run(
          oramaTextIndex(this.db, 'text', { cache: this.terms, vocabulary: this.vocabulary }),
          this.queryTokens(text),
          typoTolerance(text),
          this.docs.size,
          BM25,
        )
        // Filter and count in internal-id order, front to back through the columns; the page keeps score order.
        const inIdOrder = Int32Array.from(ids).sort()
        let kept = 0
        for (let i = 0; i < inIdOrder.length; i++) {
          const iid = inIdOrder[i]
          if (this.byInternal[iid] && columns.passes(iid, filter)) inIdOrder[kept++] = iid
        }
        const passed = inIdOrder.subarray(0, kept)
        columns.count(tally, passed)
        const marks = this.markScratch()
        for (let i = 0; i < passed.length; i++) marks[passed[i]] = 1
        matches = []
        for (const iid of ids)
          if (marks[iid]) {
            marks[iid] = 0
            matches.push(this.byInternal[iid]!)
          }
        if (sort !== 'relevance') {
          const { key, dir } = sortKey[sort]
          matches.sort((a, b) => dir * (key(a.doc) - key(b.doc)) || (a.doc.id < b.doc.id ? -1 : 1))
        }
      } else {
        matches = []
        for (const c of this.presorted(sort as Exclude<SortKey, 'relevance'>))
          if (columns.passes(c.iid, filter)) matches.push(c)
        columns.count(
          tally,
          Int32Array.from(matches, (c) => c.iid),
        )
      }
      return { matches, tally }
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
