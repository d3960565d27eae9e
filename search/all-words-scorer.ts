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
  /** The index's words within `tolerance` edits of the token (or starting with it), each with its documents. */
  find(token: string, tolerance: number): { term: string; ids: Iterable<number> }[]
  /** Documents holding the term. */
  occurrences(term: string): number
  fieldLength(internalId: number): number
  averageFieldLength(): number
}

/** A node of Orama's radix tree (3.1.18): its word, whether a word ends there, its documents, its children. */
interface RadixNode {
  w: string
  s: string
  e: boolean
  d: Set<number>
  c: Map<string, RadixNode>
  find(q: { term: string; exact: boolean; tolerance: number }): Record<string, number[]>
}

/**
 * Which words of the index a query token reaches, kept until the index learns a new word. The tree's fuzzy and
 * prefix walks copy every posting set they pass into fresh arrays: for a common word that cost more than the scoring.
 * The nodes are kept, not copies: Orama never deletes a node (a removal empties its set, an insertion that splits an
 * edge keeps the node), so a node's set is always its word's current documents.
 */
export class TermCache {
  private vocabulary = -1
  private nodes = new Map<string, RadixNode[]>()

  reach(root: RadixNode, token: string, tolerance: number, vocabulary: number): RadixNode[] {
    if (vocabulary !== this.vocabulary) {
      this.nodes.clear()
      this.vocabulary = vocabulary
    }
    const key = `${tolerance}\u0000${token}`
    let found = this.nodes.get(key)
    if (!found) {
      found = reach(root, token, tolerance)
      // Tokens come from visitors' queries: keep the map bounded.
      if (this.nodes.size >= 4096) this.nodes.clear()
      this.nodes.set(key, found)
    }
    return found
  }
}

/** The words Orama's own lookup finds, as their nodes, in the order it gives them. */
function reach(root: RadixNode, token: string, tolerance: number): RadixNode[] {
  const words = Object.keys(root.find({ term: token, exact: false, tolerance }))
  const nodes: RadixNode[] = []
  for (const word of words) {
    const node = nodeOf(root, word)
    if (node) nodes.push(node)
  }
  return nodes
}

function nodeOf(root: RadixNode, word: string): RadixNode | undefined {
  let node = root
  let i = 0
  while (i < word.length) {
    const child = node.c.get(word[i])
    if (!child || !word.startsWith(child.s, i)) return undefined
    node = child
    i += child.s.length
  }
  return node.e ? node : undefined
}

/**
 * The index of one string property of an Orama database, read through Orama's internal layout (3.1.18, pinned).
 * With a cache and the index's vocabulary count, a token's words are looked up once per new word learned.
 */
export function oramaTextIndex(db: unknown, prop: string, terms?: { cache: TermCache; vocabulary: number }): TextIndex {
  type Internals = {
    data: {
      index: {
        indexes: Record<string, { node: RadixNode }>
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
    find: (token, tolerance) =>
      (terms ? terms.cache.reach(tree, token, tolerance, terms.vocabulary) : reach(tree, token, tolerance)).map(
        (node) => ({ term: node.w, ids: node.d }),
      ),
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

function inverseDocumentFrequency(matching: number, docs: number) {
  return Math.log(1 + (docs - matching + 0.5) / (matching + 0.5))
}

function bm25(idf: number, tf: number, length: number, average: number, p: BM25Params) {
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
      // A word found nowhere: no document can match every word.
      if (found.length === 0) return this.reset({ ids: [] })
      for (const { term, ids } of found) {
        const idf = inverseDocumentFrequency(index.occurrences(term), docsCount)
        const isExact = term === token
        for (const id of ids) {
          this.ensure(id)
          if (this.lastToken[id] === 0) touched.push(id)
          const length = index.fieldLength(id)
          this.score[id] += bm25(idf, 1 / length, length, average, params)
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
