import { describe, expect, it } from 'vitest'
import type { SearchDocument } from './documents'
import type { SearchQuery, SortKey } from './engine'
import { OramaSearchEngine } from './orama'
import { seededRandom } from '#app/utils/seeded-random'

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

  it('a cached browse adjusted by writes equals a fresh count: totals, facets, buckets and order', async () => {
    const now = new Date(10_000_000 + 6_500)
    const q = (sort: SortKey, phase?: SearchQuery['phase']): SearchQuery => ({
      text: '',
      now,
      phase,
      filters: {},
      sort,
      page: 1,
      pageSize: 500,
      priceBuckets: [{ to: 2000 }, { from: 2000, to: 4000 }, { from: 4000 }],
      discountBuckets: [{ to: 3000 }, { from: 3000 }],
      maxFacetValues: 50,
    })
    const e = new OramaSearchEngine()
    await e.rebuild(Array.from({ length: 300 }, (_, i) => doc(i)))
    const phases = [undefined, 'live', 'upcoming'] as const
    for (const s of ['ending_soon', 'price_asc'] as const) for (const p of phases) await e.search(q(s, p)) // cached
    for (let round = 0; round < 10; round++) {
      await e.upsert([
        // A live document changes brand, size (a size never seen before), price and tag cut.
        doc(round * 13 + 7, {
          brandId: `b-new-${round}`,
          sizes: [`XL${round}`],
          basePriceMinor: 100 + round,
          tagCut: true,
        }),
        // One ends later than any cached window, one already ended (not in the live set).
        doc(2000 + round, { endsAt: 20_000_000 + round }),
        doc(3000 + round, { endsAt: 1_000 }),
        // One becomes upcoming, one becomes live.
        doc(round * 19 + 3, { startsAt: 20_000_000 }),
        doc(5000 + round, { startsAt: 0 }),
      ])
      await e.delete([doc(round * 17 + 2).id, doc(999_999).id])
    }
    const fresh = new OramaSearchEngine()
    const same = async (when: string) => {
      await fresh.rebuild(await e.all())
      for (const s of ['ending_soon', 'price_asc'] as const)
        for (const p of phases) {
          const [got, want] = [await e.search(q(s, p)), await fresh.search(q(s, p))]
          const label = `${when}: ${s} ${p ?? 'all'}`
          expect(got.total, label).toBe(want.total)
          expect(
            got.hits.map((d) => d.id),
            label,
          ).toEqual(want.hits.map((d) => d.id))
          expect(got.facets, label).toEqual(want.facets)
          expect(got.priceBuckets, label).toEqual(want.priceBuckets)
          expect(got.discountBuckets, label).toEqual(want.discountBuckets)
        }
    }
    await same('adjusted by the writes')
    // A document starting inside a cached window makes the live and upcoming entries recount; one ending inside
    // it (between two documents' ends around now) makes every entry recount.
    await e.upsert([doc(4001, { startsAt: 10_000_000 + 6_600 })])
    await same('after a start inside the window')
    await e.upsert([doc(4000, { endsAt: 10_000_000 + 6_700 })])
    await same('after an end inside the window')
    expect((await e.search(q('ending_soon', 'upcoming'))).hits.map((d) => d.id)).toContain(doc(4001).id)
    expect((await e.search(q('ending_soon'))).facets.size['XL9']).toBe(1)
  })

  it('a repeated text query answers from its kept result until a write or the clock changes what it finds', async () => {
    const e = new OramaSearchEngine()
    await e.rebuild(Array.from({ length: 40 }, (_, i) => doc(i, { titleEn: i % 2 ? 'linen shirt' : 'wool coat' })))
    const q = (nowMs: number): SearchQuery => ({
      text: 'shirt',
      now: new Date(nowMs),
      filters: { category: ['womens'] },
      sort: 'relevance',
      page: 1,
      pageSize: 100,
    })
    const before = await e.search(q(9_000_000))
    expect(before.total).toBe(20)
    expect(await e.search(q(9_000_000))).toEqual(before)
    // A write: one more shirt, one shirt becomes a coat.
    await e.upsert([doc(100, { titleEn: 'silk shirt' }), doc(1, { titleEn: 'wool coat' })])
    const after = await e.search(q(9_000_000))
    expect(after.total).toBe(20)
    expect(after.hits.map((d) => d.id)).toContain(doc(100).id)
    expect(after.hits.map((d) => d.id)).not.toContain(doc(1).id)
    // The clock passes some documents' end (endsAt = 10,000,000 + 1,000 × (i % 13)).
    const later = await e.search(q(10_000_000 + 6_500))
    expect(later.total).toBe(after.hits.filter((d) => d.endsAt > 10_000_000 + 6_500).length)
    expect(later.total).toBeLessThan(after.total)
  })

  it('finds the same words after writes that add, remove and bring back words as an index built afresh', async () => {
    // The engine keeps which words a query token reaches until the index learns a new one; a fresh engine keeps
    // nothing. Both must answer alike after every kind of write.
    const titles = ['linen shirt', 'linen shirts', 'wool coat', 'silk skirt', 'cotton short', 'linen tote']
    const live = new Map<number, SearchDocument>()
    const kept = new OramaSearchEngine()
    const write = async (docs: SearchDocument[], remove: number[] = []) => {
      for (const d of docs) live.set(Number(d.id.slice(1)), d)
      for (const i of remove) live.delete(i)
      if (docs.length) await kept.upsert(docs)
      if (remove.length) await kept.delete(remove.map((i) => doc(i).id))
    }
    const query = (text: string): SearchQuery => ({
      text,
      now: new Date(5_000_000),
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: 100,
    })
    const same = async (step: string) => {
      const fresh = new OramaSearchEngine()
      await fresh.rebuild([...live.values()])
      for (const text of ['shirt', 'linen', 'linen shirt', 'shirty', 'coat', 'skirts', 'linnen']) {
        const got = await kept.search(query(text))
        const want = await fresh.search(query(text))
        expect(got.hits.map((d) => d.id).sort(), `${step}: ${text}`).toEqual(want.hits.map((d) => d.id).sort())
        expect(got.total, `${step}: ${text}`).toBe(want.total)
      }
    }
    await kept.rebuild([])
    await write(Array.from({ length: 30 }, (_, i) => doc(i, { titleEn: titles[i % titles.length] })))
    await same('built')
    await write([doc(40, { titleEn: 'linen shirt' })])
    await same('a known word added')
    await write([doc(41, { titleEn: 'shirty linnen' })])
    await same('new words near the query')
    await write([], [0, 6, 12, 18, 24, 41])
    await same('every linen shirt and the new words removed')
    await write([doc(41, { titleEn: 'shirty' }), doc(3, { titleEn: 'skirts' })])
    await same('a removed word back, a document retitled')
    await kept.rebuild([doc(50, { titleEn: 'velvet skirt' })])
    live.clear()
    live.set(50, doc(50, { titleEn: 'velvet skirt' }))
    await same('rebuilt')
  })

  it('filters and counts exactly as the rules read on the documents themselves, for every filter and bucket', async () => {
    // The engine reads filters and counts from typed columns; this reads them from the documents, plainly.
    const rand = seededRandom(11)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
    const sizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '35', '36', '37', '38', '39', '40']
    const colours = ['黑色', '白色', '红色', '藏青']
    const docs = Array.from({ length: 400 }, (_, i) =>
      doc(i, {
        titleEn: pick(['linen shirt', 'wool coat', 'linen tote', 'silk shirt']),
        category: pick(['womens', 'mens', 'kids']),
        // Some documents carry more sizes than the columns hold inline.
        sizes: sizes.filter(() => rand() < (i % 10 === 0 ? 0.95 : 0.3)),
        colours: colours.filter(() => rand() < 0.4),
        inStock: rand() < 0.7,
      }),
    )
    const e = new OramaSearchEngine()
    await e.rebuild(docs)
    const buckets = [{ to: 2_000 }, { from: 2_000, to: 4_000 }, { from: 4_000 }]
    const discountBuckets = [{ to: 3_000 }, { from: 3_000 }]
    const nowMs = 6_000
    for (let k = 0; k < 60; k++) {
      const filters: SearchQuery['filters'] = {}
      if (rand() < 0.3) filters.brand = [pick(['b0', 'b1', 'b2', 'nobody'])]
      if (rand() < 0.3) filters.category = [pick(['womens', 'mens']), pick(['kids', 'womens'])]
      if (rand() < 0.4) filters.size = [pick(sizes), pick(sizes)]
      if (rand() < 0.3) filters.colour = [pick(colours)]
      if (rand() < 0.2) filters.session = [pick(['s0', 's1', 's3'])]
      if (rand() < 0.2) filters.tagCut = rand() < 0.5
      if (rand() < 0.3) filters.inStock = rand() < 0.5
      const price = rand() < 0.3 ? { from: 1_500, to: 4_500 } : undefined
      const discount = rand() < 0.3 ? { from: 1_000 } : undefined
      const phase = pick([undefined, 'live', 'upcoming'] as const)
      const text = pick(['', 'shirt', 'linen'])
      const got = await e.search({
        text,
        now: new Date(nowMs),
        phase,
        filters,
        price,
        discount,
        sort: 'price_asc',
        page: 1,
        pageSize: 100,
        priceBuckets: buckets,
        discountBuckets,
        maxFacetValues: 100,
      })
      const any = (want: string[] | undefined, have: string[]) => !want || want.some((w) => have.includes(w))
      const inRange = (v: number | null, r?: { from?: number; to?: number }) =>
        !r || (v !== null && (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to))
      const words = text ? [text] : []
      const want = docs.filter(
        (d) =>
          words.every((w) => d.titleEn.split(' ').includes(w)) &&
          d.endsAt > nowMs &&
          (phase !== 'live' || d.startsAt <= nowMs) &&
          (phase !== 'upcoming' || d.startsAt > nowMs) &&
          any(filters.brand, [d.brandId]) &&
          any(filters.category, [d.category]) &&
          any(filters.session, [d.sessionId]) &&
          any(filters.size, d.sizes) &&
          any(filters.colour, d.colours) &&
          (filters.tagCut === undefined || d.tagCut === filters.tagCut) &&
          (filters.inStock === undefined || d.inStock === filters.inStock) &&
          inRange(d.basePriceMinor, price) &&
          inRange(d.discountBps, discount),
      )
      const label = JSON.stringify({ text, phase, filters, price, discount })
      expect(got.total, label).toBe(want.length)
      // Sorted by price: the page holds the cheapest hundred (ties may fall either way).
      expect(
        got.hits.map((d) => d.basePriceMinor),
        label,
      ).toEqual(
        want
          .map((d) => d.basePriceMinor)
          .sort((a, b) => a - b)
          .slice(0, 100),
      )
      for (const hit of got.hits)
        expect(
          want.map((d) => d.id),
          label,
        ).toContain(hit.id)
      const countBy = (values: (d: SearchDocument) => string[]) => {
        const out: Record<string, number> = {}
        for (const d of want) for (const v of values(d)) out[v] = (out[v] ?? 0) + 1
        return out
      }
      expect(got.facets.size, label).toEqual(countBy((d) => d.sizes))
      expect(got.facets.colour, label).toEqual(countBy((d) => d.colours))
      expect(got.facets.brand, label).toEqual(countBy((d) => [d.brandId]))
      expect(got.facets.category, label).toEqual(countBy((d) => [d.category]))
      expect(got.facets.session, label).toEqual(countBy((d) => [d.sessionId]))
      expect(got.priceBuckets, label).toEqual(
        buckets.map((b) => want.filter((d) => inRange(d.basePriceMinor, b)).length),
      )
      expect(got.discountBuckets, label).toEqual(
        discountBuckets.map((b) => want.filter((d) => inRange(d.discountBps, b)).length),
      )
    }
  })
})
