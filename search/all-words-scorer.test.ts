import { create, insertMultiple, removeMultiple } from '@orama/orama'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '#app/utils/seeded-random'
import { AllWordsScorer, oramaTextIndex } from './all-words-scorer'
import { createCjkTokenizer } from './tokenizer'

const BM25 = { k: 1.2, b: 0.75, d: 0.5 }
const words = ['shirt', 'skirt', 'short', 'shirts', 'coat', 'boat', 'linen', 'lines', '羊毛', '大衣', '羊毛衫', '衬衫']

/** Orama's own scoring, every word required, then exact matches first: what the adapter did before the scorer. */
function reference(db: unknown, text: string, tolerance: number, docsCount: number): number[] {
  const o = db as {
    data: { index: unknown }
    tokenizer: unknown
    index: { search: (...args: unknown[]) => [number, number][] }
  }
  const run = (t: number) =>
    o.index.search(o.data.index, text, o.tokenizer, undefined, ['text'], false, t, {}, BM25, docsCount, undefined, 0)
  const scored = run(tolerance)
  if (tolerance === 0) return scored.map(([id]) => id)
  const exact = new Set(run(0).map(([id]) => id))
  return [...scored.filter(([id]) => exact.has(id)), ...scored.filter(([id]) => !exact.has(id))].map(([id]) => id)
}

describe('AllWordsScorer', () => {
  it('ranks like Orama its own search: the same documents in the same order, with and without typos', () => {
    const rand = seededRandom(7)
    const tokenizer = createCjkTokenizer()
    const db = create({ schema: { text: 'string' } as const, components: { tokenizer } })
    const docs = Array.from({ length: 600 }, (_, i) => ({
      id: `d${i}`,
      text: Array.from({ length: 1 + Math.floor(rand() * 5) }, () => words[Math.floor(rand() * words.length)]).join(
        ' ',
      ),
    }))
    insertMultiple(db, docs)
    removeMultiple(
      db,
      docs.filter((_, i) => i % 9 === 0).map((d) => d.id),
    )
    const count = docs.length - Math.ceil(docs.length / 9)
    const scorer = new AllWordsScorer()
    // Several words with typos differ on purpose (next test); every other shape ranks the same.
    const queries: [string, number][] = [
      ['shirt', 0],
      ['shirt', 1],
      ['lines', 1],
      ['linen shirt', 0],
      ['coat linen', 0],
      ['羊毛大衣', 0],
      ['衬衫', 0],
      ['nothing', 0],
      ['shirt nothing', 1],
    ]
    let nonEmpty = 0
    for (const [text, tolerance] of queries) {
      const got = scorer.run(oramaTextIndex(db, 'text'), tokenizer.tokenize(text), tolerance, count, BM25).ids
      expect(got, `${text} ~${tolerance}`).toEqual(reference(db, text, tolerance, count))
      if (got.length) nonEmpty++
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(6)
  })

  it('requires each word once, however many of its spellings a document holds', () => {
    // Orama counts every spelling found as one more word, so with a typo allowed 'linen lines shirt' (two spellings
    // of linen) had three matches for two words and was dropped; here each word counts once.
    const tokenizer = createCjkTokenizer()
    const db = create({ schema: { text: 'string' } as const, components: { tokenizer } })
    insertMultiple(db, [
      { id: 'a', text: 'linen shirt' },
      { id: 'b', text: 'lines short shirt' },
      { id: 'c', text: 'linen lines shirt' },
      { id: 'd', text: 'linen coat' },
    ])
    const ids = new AllWordsScorer().run(oramaTextIndex(db, 'text'), tokenizer.tokenize('linen shirt'), 1, 4, BM25).ids
    const byId = (db as unknown as { internalDocumentIDStore: { internalIdToId: string[] } }).internalDocumentIDStore
    // Exact matches first (c scores higher: it also holds a spelling of linen), then the typo match.
    expect(ids.map((id) => byId.internalIdToId[id - 1])).toEqual(['c', 'a', 'b'])
  })

  it('leaves nothing behind between queries', () => {
    const tokenizer = createCjkTokenizer()
    const db = create({ schema: { text: 'string' } as const, components: { tokenizer } })
    insertMultiple(db, [
      { id: 'a', text: 'linen shirt' },
      { id: 'b', text: 'linen coat' },
    ])
    const scorer = new AllWordsScorer()
    const index = oramaTextIndex(db, 'text')
    const first = scorer.run(index, tokenizer.tokenize('linen'), 0, 2, BM25).ids
    scorer.run(index, tokenizer.tokenize('shirt'), 0, 2, BM25)
    expect(scorer.run(index, tokenizer.tokenize('linen'), 0, 2, BM25).ids).toEqual(first)
    expect(scorer.run(index, tokenizer.tokenize('linen coat'), 0, 2, BM25).ids).toHaveLength(1)
  })
})
