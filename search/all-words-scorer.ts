// BM25 over Orama's inverted index, every query word required, in flat arrays.
//
// Orama's own search builds a Map per matching document (which words matched in which field) and a second Map of
// scores, then filters and sorts arrays of pairs: a word held by 11,000 of 100,000 documents cost ~100 ms a query,
// most of it allocation. This reads the same index (the radix tree's lookup, term frequencies, field lengths) and
// keeps per-document state in typed arrays reused across queries. A document's tokens are distinct (the tokenizer
// gives a set), so a term's frequency in it is 1 ÷ its token count. It scores the same way (Orama's BM25 and
// parameters, one pass per term found) and orders the same way (score, then the order documents were first met),
// and it also tells which documents matched every word without a typo, so a typo-tolerant query needs one lookup
// instead of two. One difference on purpose: Orama counts each spelling it finds as a word, so with a typo allowed
// a document holding two spellings of one word ("linen lines shirt" for "linen shirt") failed its every-word check;
// here each query word counts once.

export interface BM25Params {
  k: number
  b: number
  d: number
}

/** The parts of an Orama index for one string property that scoring reads. */
export interface TextIndex {
  find(token: string, tolerance: number): Record<string, ArrayLike<number>>
  /** Documents holding the term. */
  occurrences(term: string): number
  fieldLength(internalId: number): number
  averageFieldLength(): number
}

/** The index of one string property of an Orama database, read through Orama's internal layout (3.1.18, pinned). */
export function oramaTextIndex(db: unknown, prop: string): TextIndex {
  type Internals = {
    data: {
      index: {
        indexes: Record<
          string,
          { node: { find(q: { term: string; exact: boolean; tolerance: number }): Record<string, number[]> } }
        >
        tokenOccurrences: Record<string, Record<string, unknown>>
        fieldLengths: Record<string, Record<number, number>>
        avgFieldLength: Record<string, number>
      }
    }
  }
  const index = (db as Internals).data.index
  const tree = index.indexes[prop].node
  const occurrences = index.tokenOccurrences[prop]
  const lengths = index.fieldLengths[prop]
  return {
    find: (term, tolerance) => tree.find({ term, exact: false, tolerance }),
    occurrences: (term) => {
      const n = occurrences[term]
      return typeof n === 'number' ? n : 0
    },
    fieldLength: (id) => lengths[id],
    averageFieldLength: () => index.avgFieldLength[prop],
  }
}

export interface ScoredMatches {
  /** Internal ids of documents matching every token, best first; those matching without a typo come first. */
  ids: number[]
}

function bm25(tf: number, matching: number, docs: number, length: number, average: number, p: BM25Params) {
  const idf = Math.log(1 + (docs - matching + 0.5) / (matching + 0.5))
  return (idf * (p.d + tf * (p.k + 1))) / (tf + p.k * (1 - p.b + (p.b * length) / average))
}

export class AllWordsScorer {
  private score = new Float64Array(1024)
  /** Tokens matched, and tokens matched exactly, per document. */
  private matched = new Uint16Array(1024)
  private exact = new Uint16Array(1024)
  /** The last token (1-based) that counted the document, so two terms of one token count once. */
  private lastToken = new Uint16Array(1024)
  private lastExactToken = new Uint16Array(1024)
  private touched: number[] = []

  private ensure(id: number) {
    if (id < this.score.length) return
    const size = Math.max(id + 1, this.score.length * 2)
    const grow = <T extends Float64Array | Uint16Array>(a: T, make: (n: number) => T) => {
      const b = make(size)
      b.set(a)
      return b
    }
    this.score = grow(this.score, (n) => new Float64Array(n))
    this.matched = grow(this.matched, (n) => new Uint16Array(n))
    this.exact = grow(this.exact, (n) => new Uint16Array(n))
    this.lastToken = grow(this.lastToken, (n) => new Uint16Array(n))
    this.lastExactToken = grow(this.lastExactToken, (n) => new Uint16Array(n))
  }

  run(index: TextIndex, tokens: string[], tolerance: number, docsCount: number, params: BM25Params): ScoredMatches {
    const unique = [...new Set(tokens)]
    if (unique.length === 0 || unique.length > 0xfffe) return { ids: [] }
    const average = index.averageFieldLength()
    const touched = this.touched
    for (let t = 0; t < unique.length; t++) {
      const token = unique[t]
      const tag = t + 1
      const found = index.find(token, tolerance)
      const terms = Object.keys(found)
      // A word found nowhere: no document can match every word.
      if (terms.length === 0) return this.reset({ ids: [] })
      for (const term of terms) {
        const ids = found[term]
        const matching = index.occurrences(term)
        const isExact = term === token
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]
          this.ensure(id)
          if (this.lastToken[id] === 0) touched.push(id)
          const length = index.fieldLength(id)
          this.score[id] += bm25(1 / length, matching, docsCount, length, average, params)
          if (this.lastToken[id] !== tag) {
            this.lastToken[id] = tag
            this.matched[id]++
          }
          if (isExact && this.lastExactToken[id] !== tag) {
            this.lastExactToken[id] = tag
            this.exact[id]++
          }
        }
      }
    }
    const need = unique.length
    const full: number[] = []
    for (const id of touched) if (this.matched[id] === need) full.push(id)
    // Stable: equal scores keep the order documents were first met, as Orama's own ranking does.
    full.sort((a, b) => this.score[b] - this.score[a])
    const ids: number[] = []
    if (tolerance > 0) {
      for (const id of full) if (this.exact[id] === need) ids.push(id)
      for (const id of full) if (this.exact[id] !== need) ids.push(id)
    } else for (const id of full) ids.push(id)
    return this.reset({ ids })
  }

  private reset<T>(result: T): T {
    for (const id of this.touched) {
      this.score[id] = 0
      this.matched[id] = 0
      this.exact[id] = 0
      this.lastToken[id] = 0
      this.lastExactToken[id] = 0
    }
    this.touched.length = 0
    return result
  }
}
