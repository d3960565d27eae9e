import { describe, expect, it } from 'vitest'
import type { SearchDocument } from './documents'
import type { SearchQuery, SortKey } from './engine'
import { OramaSearchEngine } from './orama'

const doc = (i: number, over: Partial<SearchDocument> = {}): SearchDocument => ({
  id: `d${String(i).padStart(4, '0')}`,
  productId: `p${i}`,
  title: `商品${i}`,
  titleEn: `item ${i}`,
  imageSeed: '',
  brandId: `b${i % 3}`,
  brandName: '品牌',
  brandNameEn: 'Brand',
  category: 'womens',
  sizes: ['M'],
  colours: ['黑色'],
  tagCut: i % 5 === 0,
  basePriceMinor: 1000 + ((i * 7919) % 5000),
  currency: 'CNY',
  tagPriceMinor: 9000,
  discountBps: i % 5 === 0 ? null : (i * 31) % 9000,
  sessionId: `s${i % 4}`,
  sessionTitle: '档期',
  sessionTitleEn: 'Session',
  startsAt: 1_000 * (i % 17),
  endsAt: 10_000_000 + 1_000 * (i % 13),
  inStock: true,
  ...over,
})

describe('Orama adapter bookkeeping', () => {
  it('keeps every sort order right across small upserts and deletes (no full re-sort)', async () => {
    const e = new OramaSearchEngine()
    await e.rebuild(Array.from({ length: 300 }, (_, i) => doc(i)))
    const sorts: SortKey[] = ['price_asc', 'price_desc', 'discount', 'newest', 'ending_soon']
    const q = (sort: SortKey): SearchQuery => ({
      text: '',
      now: new Date(0),
      filters: {},
      sort,
      page: 1,
      pageSize: 100,
    })
    for (const s of sorts) await e.search(q(s)) // build the presorted lists
    for (let round = 0; round < 20; round++) {
      await e.upsert([
        doc(round * 7, { basePriceMinor: 1 + round * 300, endsAt: 10_000_000 + round }),
        doc(1000 + round),
      ])
      await e.delete([doc(round * 11 + 1).id])
    }
    const all = await e.all()
    for (const s of sorts) {
      const key = {
        price_asc: (d: SearchDocument) => d.basePriceMinor,
        price_desc: (d: SearchDocument) => -d.basePriceMinor,
        discount: (d: SearchDocument) => -(d.discountBps ?? -1),
        newest: (d: SearchDocument) => -d.startsAt,
        ending_soon: (d: SearchDocument) => d.endsAt,
      }[s as Exclude<SortKey, 'relevance'>]
      const expected = [...all].sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : 1)).map((d) => d.id)
      const got: string[] = []
      for (let page = 1; page <= 4; page++) got.push(...(await e.search({ ...q(s), page })).hits.map((d) => d.id))
      expect(got).toEqual(expected)
    }
  })

  it('ranks documents matching without a typo before typo matches', async () => {
    const e = new OramaSearchEngine()
    await e.rebuild([
      doc(1, { title: '亚麻半身裙', titleEn: 'linen skirt' }),
      doc(2, { title: '亚麻衬衫', titleEn: 'linen shirt' }),
      doc(3, { title: '羊毛大衣', titleEn: 'wool coat' }),
    ])
    const res = await e.search({
      text: 'shirt',
      now: new Date(0),
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: 10,
    })
    expect(res.hits.map((d) => d.titleEn)).toEqual(['linen shirt', 'linen skirt'])
  })
})
