import { describe, expect, it } from 'vitest'
import { MEILI_SETTINGS, meiliFilter } from './meilisearch'

describe('Meilisearch adapter (pure parts)', () => {
  const now = new Date('2026-11-30T04:00:00Z')
  it('builds one filter expression per condition, quoting values', () => {
    const f = meiliFilter({
      text: '',
      now,
      phase: 'live',
      sort: 'relevance',
      page: 1,
      pageSize: 24,
      filters: { brand: ['b"1', 'b2'], size: ['M'], tagCut: false, inStock: true },
      price: { from: 100, to: 200 },
      discount: { from: 3000 },
    })
    expect(f).toEqual([
      `endsAt > ${now.getTime()}`,
      `startsAt <= ${now.getTime()}`,
      'brandId IN ["b\\"1", "b2"]',
      'sizes IN ["M"]',
      'tagCut = false',
      'inStock = true',
      'basePriceMinor >= 100',
      'basePriceMinor < 200',
      'discountBps >= 3000',
    ])
  })

  it('makes every filtered, faceted and sorted attribute filterable or sortable', () => {
    for (const a of [
      'brandId',
      'category',
      'sizes',
      'colours',
      'sessionId',
      'tagCut',
      'inStock',
      'basePriceMinor',
      'discountBps',
      'startsAt',
      'endsAt',
    ]) {
      expect(MEILI_SETTINGS.filterableAttributes).toContain(a)
    }
    for (const a of ['basePriceMinor', 'discountBps', 'startsAt', 'endsAt'])
      expect(MEILI_SETTINGS.sortableAttributes).toContain(a)
    expect(MEILI_SETTINGS.rankingRules).toContain('sort')
  })
})
