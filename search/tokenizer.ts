// Orama's default tokenizer splits on spaces and punctuation, so "羊毛双排扣大衣" would be one token
// and "大衣" would never match it. This tokenizer indexes CJK runs as single characters plus
// character bigrams, and turns a query's CJK words (Intl.Segmenter, 'zh', word granularity) into
// their bigrams, so "羊毛大衣" finds "羊毛双排扣大衣" (all of 羊毛 and 大衣 present) and "毛衣"
// does not (the bigram 毛衣 is absent). Latin text is lower-cased words, NFKC-normalised.

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

function cjkGrams(run: string, withUnigrams: boolean): string[] {
  const chars = [...run]
  const out: string[] = []
  if (chars.length === 1) return chars
  for (let i = 0; i < chars.length; i++) {
    if (withUnigrams) out.push(chars[i])
    if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1])
  }
  return out
}

/** Splits into word-like pieces; a piece is either all CJK or has none. */
function pieces(raw: string): string[] {
  const out: string[] = []
  for (const s of segmenter.segment(raw.normalize('NFKC').toLowerCase())) {
    if (!s.isWordLike) continue
    let buf = ''
    let bufCjk = false
    for (const ch of s.segment) {
      const isCjk = CJK.test(ch)
      if (buf && isCjk !== bufCjk) {
        out.push(buf)
        buf = ''
      }
      buf += ch
      bufCjk = isCjk
    }
    if (buf) out.push(buf)
  }
  return out
}

/** Tokens for a document field: Latin words; CJK unigrams and bigrams of each contiguous run. */
export function indexTokens(raw: string): string[] {
  const out = new Set<string>()
  // Index CJK over whole runs (not the segmenter's words) so any bigram a query can produce exists.
  const text = raw.normalize('NFKC').toLowerCase()
  for (const run of text.match(/[\u3400-\u9fff\uf900-\ufaff]+/gu) ?? []) for (const g of cjkGrams(run, true)) out.add(g)
  // Latin words by a regex (the segmenter is slow, and only needed to split CJK in queries).
  for (const w of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const latin = w.replace(/[\u3400-\u9fff\uf900-\ufaff]+/gu, ' ').trim()
    if (latin) for (const part of latin.split(' ')) out.add(part)
  }
  return [...out]
}

/** Tokens for a query: Latin words; each CJK word as its bigrams (a one-character word as itself). */
export function queryTokens(raw: string): string[] {
  const out = new Set<string>()
  for (const p of pieces(raw)) {
    if (CJK.test(p)) for (const g of cjkGrams(p, false)) out.add(g)
    else out.add(p)
  }
  return [...out]
}

export function hasCjk(raw: string): boolean {
  return CJK.test(raw)
}

/**
 * Typo tolerance like Meilisearch's defaults: none for CJK (one edit on a two-character bigram
 * would match unrelated words) and none when every word is shorter than five characters.
 */
export function typoTolerance(raw: string): number {
  if (hasCjk(raw)) return 0
  return queryTokens(raw).some((t) => t.length >= 5) ? 1 : 0
}

const END = '\u0001'

/** The Orama tokenizer component: `prop` is set when indexing a field and unset for a query. */
export function createCjkTokenizer() {
  return {
    language: 'english',
    normalizationCache: new Map<string, string>(),
    tokenize(raw: string, _language?: string, prop?: string): string[] {
      if (typeof raw !== 'string') return []
      // Every token ends with a sentinel, so no token is a prefix of another: Orama's prefix lookup
      // then finds exactly one term per query token, which its all-terms (threshold 0) check counts on.
      return (prop ? indexTokens(raw) : queryTokens(raw)).map((t) => t + END)
    },
  }
}
