import { radix } from '@orama/orama/trees'

// Orama 3.1's RadixNode.findAllWords de-duplicates each word's posting list with Array.includes,
// which is quadratic in the number of documents holding the word: a word held by 16,000 of 100,000
// documents cost about a second per query. Each word node is visited once per call and its ids
// are a Set, so a copy is already duplicate-free. Same output, linear time.
type Node = { e: boolean; w: string; d: Set<number>; c: Map<string, Node> }
let patched = false

export function patchOramaRadix(): void {
  if (patched) return
  patched = true
  const proto = radix.RadixNode.prototype as unknown as { findAllWords: (output: Record<string, number[]>, term: string, exact?: boolean, tolerance?: number) => Record<string, number[]> }
  const levenshtein = (a: string, b: string, max: number): boolean => {
    if (Math.abs(a.length - b.length) > max) return false
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 1; i <= a.length; i++) {
      const cur = [i]
      let best = i
      for (let j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
        best = Math.min(best, cur[j])
      }
      if (best > max) return false
      prev = cur
    }
    return prev[b.length] <= max
  }
  proto.findAllWords = function findAllWords(this: Node, output, term, exact, tolerance) {
    const stack: Node[] = [this]
    while (stack.length > 0) {
      const node = stack.pop()!
      if (node.e) {
        const { w, d } = node
        const ok = !(exact && w !== term) && (!tolerance || levenshtein(term, w, tolerance))
        if (ok && d.size > 0) {
          const existing = Object.prototype.hasOwnProperty.call(output, w) ? output[w] : undefined
          if (existing && existing.length) {
            const seen = new Set(existing)
            for (const id of d) if (!seen.has(id)) existing.push(id)
          } else {
            output[w] = Array.from(d)
          }
        } else if (ok && !Object.prototype.hasOwnProperty.call(output, w)) {
          output[w] = []
        }
      }
      if (node.c.size > 0) for (const child of node.c.values()) stack.push(child)
    }
    return output
  }
}
