import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { radix } from '@orama/orama/trees'
import { describe, expect, it } from 'vitest'

// patches/@orama+orama+3.1.18.patch (applied by `npm install` through patch-package, which fails the install when
// it no longer applies) de-duplicates a word's posting list through a Set: with Array.includes a word held by
// 16,000 of 100,000 documents cost about a second per query.
describe('the @orama/orama patch', () => {
  it('is applied to the build the server loads', () => {
    const require = createRequire(import.meta.url)
    const pkg = JSON.parse(readFileSync(require.resolve('@orama/orama/package.json'), 'utf8')) as { version: string }
    expect(pkg.version).toBe('3.1.18')
    expect(
      radix.RadixNode.prototype.findAllWords.toString(),
      'patch not applied: run npm install (patch-package)',
    ).toContain('seen.has(docID)')
  })

  it('still finds every document of every matching word once, exact and with typo tolerance', () => {
    const root = new radix.RadixTree()
    for (let id = 1; id <= 50; id++) root.insert('shirt', id)
    for (let id = 40; id <= 60; id++) root.insert('shirts', id)
    root.insert('short', 99)
    const exact = root.find({ term: 'shirt', exact: true }) as Record<string, number[]>
    expect(exact.shirt).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    const prefix = root.find({ term: 'shirt' }) as Record<string, number[]>
    expect(Object.keys(prefix).sort()).toEqual(['shirt', 'shirts'])
    expect(new Set(prefix.shirts).size).toBe(prefix.shirts!.length)
    const typo = root.find({ term: 'shirt', tolerance: 1 }) as Record<string, number[]>
    expect(typo.short).toEqual([99])
  })
})
