import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client'
import { countSearchOutbox } from '#db/queries/search'
import type { SearchEngine, SearchQuery, SortKey } from '#search/engine'
import { MeilisearchEngine } from '#search/meilisearch'
import { OramaSearchEngine } from '#search/orama'
import { checkSearchDrift, drainSearchOutbox, rebuildIndex } from '#search/sync'
import { addSessionItem, createBrand, createProduct, createSession } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// One suite, every available engine: Orama always; Meilisearch when MEILISEARCH_URL is set.
const engines: { name: string; make: () => SearchEngine }[] = [{ name: 'orama', make: () => new OramaSearchEngine() }]
if (process.env.MEILISEARCH_URL) {
  engines.push({
    name: 'meilisearch',
    make: () =>
      new MeilisearchEngine({
        host: process.env.MEILISEARCH_URL!,
        apiKey: process.env.MEILISEARCH_KEY,
        indexUid: `contract_${randomBytes(4).toString('hex')}`,
      }),
  })
} else {
  console.info(
    'search contract: Meilisearch adapter not exercised because MEILISEARCH_URL is not set (see README, Search).',
  )
}

const now = new Date('2026-11-30T04:00:00Z')
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)

async function seedCatalog(db: Db) {
  const a = await createBrand(db, { name: '暖阳服饰', nameEn: 'Sunwarm' })
  const b = await createBrand(db, { name: '城南鞋履', nameEn: 'Southgate Shoes' })
  const c = await createBrand(db, { name: '停用品牌', nameEn: 'Suspended Co', status: 'suspended' })
  const liveA = await createSession(db, {
    brandId: a.id,
    startsAt: hours(-2),
    title: '暖阳冬季清仓',
    titleEn: 'Sunwarm winter clearance',
  })
  const upcomingA = await createSession(db, {
    brandId: a.id,
    startsAt: hours(5),
    title: '暖阳预告',
    titleEn: 'Sunwarm preview',
  })
  const liveB = await createSession(db, {
    brandId: b.id,
    startsAt: hours(-40),
    title: '城南鞋履专场',
    titleEn: 'Southgate shoe sale',
  })
  const endedA = await createSession(db, { brandId: a.id, startsAt: hours(-50), title: '已结束' })
  const draftB = await createSession(db, { brandId: b.id, startsAt: hours(-1), title: '草稿', status: 'draft' })
  const liveC = await createSession(db, { brandId: c.id, startsAt: hours(-1), title: '停用品牌档期' })

  const coat = await createProduct(db, {
    brandId: a.id,
    title: '羊毛双排扣大衣',
    titleEn: 'Wool double-breasted coat',
    category: 'womens',
    tagPriceMinor: 129900,
    sizes: ['S', 'M', 'L'],
    colours: ['黑色', '驼色'],
  })
  const sweater = await createProduct(db, {
    brandId: a.id,
    title: '羊绒毛衣',
    titleEn: 'Cashmere sweater',
    category: 'womens',
    tagPriceMinor: 89900,
    tagCut: true,
    sizes: ['M', 'L'],
    colours: ['灰色'],
  })
  const down = await createProduct(db, {
    brandId: a.id,
    title: '儿童羽绒服',
    titleEn: 'Kids down jacket',
    category: 'kids',
    tagPriceMinor: 59900,
    sizes: ['110', '120'],
    colours: ['红色'],
  })
  const loafers = await createProduct(db, {
    brandId: b.id,
    title: '真皮乐福鞋',
    titleEn: 'Leather loafers',
    category: 'shoes_bags',
    tagPriceMinor: 69900,
    sizes: ['38', '39', '40'],
    colours: ['黑色', '棕色'],
  })
  const jeans = await createProduct(db, {
    brandId: b.id,
    title: '男士牛仔裤',
    titleEn: "Men's denim jeans",
    category: 'mens',
    tagPriceMinor: 39900,
    sizes: ['30', '32'],
    colours: ['蓝色'],
  })
  const dress = await createProduct(db, {
    brandId: a.id,
    title: '真丝连衣裙',
    titleEn: 'Silk dress',
    category: 'womens',
    tagPriceMinor: 99900,
  })
  const tote = await createProduct(db, {
    brandId: b.id,
    title: '帆布包',
    titleEn: 'Canvas tote bag',
    category: 'shoes_bags',
    tagPriceMinor: 19900,
  })
  const scarf = await createProduct(db, {
    brandId: c.id,
    title: '羊毛围巾',
    titleEn: 'Wool scarf',
    category: 'jewellery',
    tagPriceMinor: 29900,
  })

  const item = (
    sessionId: string,
    p: Awaited<ReturnType<typeof createProduct>>,
    basePriceMinor: number,
    quantity = 3,
  ) =>
    addSessionItem(db, {
      sessionId,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor,
      quantity,
    })
  const ids = {
    coatLive: (await item(liveA.id, coat, 39900)).id,
    sweater: (await item(liveA.id, sweater, 25900)).id,
    down: (await item(upcomingA.id, down, 19900)).id,
    coatUpcoming: (await item(upcomingA.id, coat, 42900)).id,
    loafers: (await item(liveB.id, loafers, 29900, 0)).id,
    jeans: (await item(liveB.id, jeans, 12900)).id,
    dress: (await item(endedA.id, dress, 30000)).id,
    tote: (await item(draftB.id, tote, 9900)).id,
    scarf: (await item(liveC.id, scarf, 9900)).id,
  }
  await db.deleteFrom('search_outbox').execute() // the initial rebuild covers these
  return {
    ids,
    brands: { a: a.id, b: b.id },
    sessions: { liveA: liveA.id, upcomingA: upcomingA.id, liveB: liveB.id },
    products: { coat: coat.product.id },
  }
}

/** What SQL counts for a facet over indexable items (independent of the document builder). */
async function sqlFacetCounts(
  db: Db,
  expr: 'b.id' | 'p.category' | 'k.size' | 'k.colour' | 's.id' | 'p.tag_cut::text',
  at: Date,
) {
  const { rows } = await sql<{ v: string; n: number }>`
    select ${sql.raw(expr)} as v, count(distinct i.id)::int as n
    from session_items i join products p on p.id = i.product_id join clearance_sessions s on s.id = i.session_id
    join brands b on b.id = s.brand_id
    left join session_item_skus sk on sk.session_item_id = i.id left join skus k on k.id = sk.sku_id
    where s.status = 'scheduled' and s.ends_at > ${at} and b.status = 'live'
    group by 1`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.v, r.n]))
}

const base = (over: Partial<SearchQuery> = {}): SearchQuery => ({
  text: '',
  now,
  filters: {},
  sort: 'relevance',
  page: 1,
  pageSize: 50,
  ...over,
})

describe.each(engines)('search contract: $name', ({ make }) => {
  let t: TestDatabase
  let engine: SearchEngine
  let fx: Awaited<ReturnType<typeof seedCatalog>>
  const ids = (hits: { id: string }[]) => hits.map((h) => h.id).sort()

  beforeAll(async () => {
    t = await createTestDatabase()
    fx = await seedCatalog(t.db)
    engine = make()
    expect(await rebuildIndex(t.db, engine, now)).toBe(6)
  })
  afterAll(() => t.drop())

  it('indexes only live and upcoming items of live brands in scheduled sessions', async () => {
    const res = await engine.search(base())
    expect(res.total).toBe(6)
    expect(ids(res.hits)).toEqual(
      [fx.ids.coatLive, fx.ids.sweater, fx.ids.down, fx.ids.coatUpcoming, fx.ids.loafers, fx.ids.jeans].sort(),
    )
  })

  it('facet counts equal what SQL counts', async () => {
    const res = await engine.search(base())
    expect(res.facets.brand).toEqual(await sqlFacetCounts(t.db, 'b.id', now))
    expect(res.facets.category).toEqual(await sqlFacetCounts(t.db, 'p.category', now))
    expect(res.facets.size).toEqual(await sqlFacetCounts(t.db, 'k.size', now))
    expect(res.facets.colour).toEqual(await sqlFacetCounts(t.db, 'k.colour', now))
    expect(res.facets.session).toEqual(await sqlFacetCounts(t.db, 's.id', now))
    expect(res.facets.tagCut).toEqual(await sqlFacetCounts(t.db, 'p.tag_cut::text', now))
  })

  it('combines filters: OR within a facet, AND across facets, with price and discount ranges', async () => {
    const q = (over: Partial<SearchQuery>) => engine.search(base(over)).then((r) => ids(r.hits))
    expect(await q({ filters: { category: ['womens'], size: ['M'] } })).toEqual(
      [fx.ids.coatLive, fx.ids.coatUpcoming, fx.ids.sweater].sort(),
    )
    expect(await q({ filters: { category: ['womens'], size: ['M'], colour: ['黑色'] } })).toEqual(
      [fx.ids.coatLive, fx.ids.coatUpcoming].sort(),
    )
    expect(await q({ filters: { brand: [fx.brands.b], colour: ['黑色', '蓝色'] } })).toEqual(
      [fx.ids.loafers, fx.ids.jeans].sort(),
    )
    expect(await q({ filters: { tagCut: true } })).toEqual([fx.ids.sweater])
    expect(await q({ filters: { inStock: false } })).toEqual([fx.ids.loafers])
    expect(await q({ filters: { session: [fx.sessions.upcomingA] } })).toEqual(
      [fx.ids.down, fx.ids.coatUpcoming].sort(),
    )
    // Price: [19900, 29900) takes 19900 and leaves 29900 out.
    expect(await q({ price: { from: 19900, to: 29900 } })).toEqual([fx.ids.down, fx.ids.sweater].sort())
    expect(await q({ price: { from: 39900 } })).toEqual([fx.ids.coatLive, fx.ids.coatUpcoming].sort())
    // Discount vs tag price: coat live 69.28% off, upcoming 66.97%, down 66.77%, loafers 57.22%, jeans 67.66%; tag-cut never matches.
    expect(await q({ discount: { from: 6700 } })).toEqual([fx.ids.coatLive, fx.ids.jeans].sort())
    expect(await q({ discount: { from: 0, to: 6000 } })).toEqual([fx.ids.loafers])
    expect(await q({ phase: 'live' })).toEqual([fx.ids.coatLive, fx.ids.sweater, fx.ids.loafers, fx.ids.jeans].sort())
    expect(await q({ phase: 'upcoming', filters: { category: ['womens'] } })).toEqual([fx.ids.coatUpcoming])
  })

  it('counts price and discount buckets over the current result set', async () => {
    const res = await engine.search(
      base({
        filters: { brand: [fx.brands.a] },
        priceBuckets: [{ to: 20000 }, { from: 20000, to: 40000 }, { from: 40000 }],
        discountBuckets: [{ from: 0, to: 6700 }, { from: 6700 }],
      }),
    )
    expect(res.total).toBe(4)
    expect(res.priceBuckets).toEqual([1, 2, 1])
    expect(res.discountBuckets).toEqual([2, 1])
  })

  it('finds Chinese and English text, tolerates a typo, and does not match unrelated Chinese words', async () => {
    const text = (s: string, over: Partial<SearchQuery> = {}) =>
      engine.search(base({ text: s, ...over })).then((r) => ids(r.hits))
    expect(await text('羊毛大衣')).toEqual([fx.ids.coatLive, fx.ids.coatUpcoming].sort())
    expect(await text('大衣')).toEqual([fx.ids.coatLive, fx.ids.coatUpcoming].sort())
    expect(await text('羽绒服')).toEqual([fx.ids.down])
    expect(await text('乐福鞋')).toEqual([fx.ids.loafers])
    // One character matches brand and session names too (城南鞋履专场).
    expect(await text('鞋')).toEqual([fx.ids.loafers, fx.ids.jeans].sort())
    expect(await text('暖阳 大衣')).toEqual([fx.ids.coatLive, fx.ids.coatUpcoming].sort())
    expect(await text('毛衣')).toEqual([fx.ids.sweater])
    expect(await text('wool coat')).toEqual([fx.ids.coatLive, fx.ids.coatUpcoming].sort())
    expect(await text('Loafers')).toEqual([fx.ids.loafers])
    expect(await text('cashmre')).toEqual([fx.ids.sweater])
    expect(await text('southgate')).toEqual([fx.ids.loafers, fx.ids.jeans].sort())
    expect(await text('大衣', { phase: 'live' })).toEqual([fx.ids.coatLive])
    expect(await text('zebra')).toEqual([])
  })

  it('finds items by category words, everyday words and the tag-cut label, the same in Chinese and English', async () => {
    const text = (s: string) => engine.search(base({ text: s })).then((r) => ids(r.hits))
    // 男士牛仔裤 / Men's denim jeans: trousers, menswear.
    for (const q of ['裤子', 'pants', 'trousers', '男装', 'menswear']) expect(await text(q), q).toEqual([fx.ids.jeans])
    // Coats and the kids' down jacket are all outerwear.
    const outer = [fx.ids.coatLive, fx.ids.coatUpcoming, fx.ids.down].sort()
    for (const q of ['外套', 'jacket', 'outerwear']) expect(await text(q), q).toEqual(outer)
    for (const q of ['童装', 'children']) expect(await text(q), q).toEqual([fx.ids.down])
    for (const q of ['剪标', 'tag cut']) expect(await text(q), q).toEqual([fx.ids.sweater])
    expect(await text('针织衫')).toEqual(await text('knitwear'))
    expect(await text('鞋子')).toEqual([fx.ids.loafers])
  })

  it.each(['relevance', 'price_asc', 'price_desc', 'discount', 'newest', 'ending_soon'] as SortKey[])(
    'sorts by %s',
    async (sort) => {
      const res = await engine.search(base({ sort }))
      expect(res.total).toBe(6)
      const h = res.hits
      const pairs = h.slice(1).map((d, i) => [h[i], d] as const)
      if (sort === 'price_asc') expect(pairs.every(([a, b]) => a.basePriceMinor <= b.basePriceMinor)).toBe(true)
      if (sort === 'price_desc') expect(pairs.every(([a, b]) => a.basePriceMinor >= b.basePriceMinor)).toBe(true)
      if (sort === 'discount') {
        expect(pairs.every(([a, b]) => (a.discountBps ?? -1) >= (b.discountBps ?? -1))).toBe(true)
        expect(h.at(-1)!.id).toBe(fx.ids.sweater) // tag-cut: no discount, last
      }
      if (sort === 'newest') expect(pairs.every(([a, b]) => a.startsAt >= b.startsAt)).toBe(true)
      if (sort === 'ending_soon' || sort === 'relevance')
        expect(pairs.every(([a, b]) => a.endsAt <= b.endsAt)).toBe(true)
      if (sort === 'price_asc') expect(h[0].id).toBe(fx.ids.jeans)
      if (sort === 'ending_soon') expect([fx.ids.loafers, fx.ids.jeans]).toContain(h[0].id)
    },
  )

  it('paginates: pages are disjoint and complete, a page past the end is empty with the same total', async () => {
    const seen: string[] = []
    for (let page = 1; page <= 3; page++) {
      const res = await engine.search(base({ sort: 'price_asc', page, pageSize: 4 }))
      expect(res.total).toBe(6)
      expect(res.hits.length).toBe(page === 1 ? 4 : page === 2 ? 2 : 0)
      seen.push(...res.hits.map((d) => d.id))
    }
    expect(new Set(seen).size).toBe(6)
    const exact = await engine.search(base({ sort: 'price_asc', page: 2, pageSize: 3 }))
    expect(exact.hits.length).toBe(3)
    const huge = await engine.search(base({ page: 1, pageSize: 10_000 }))
    expect(huge.hits.length).toBe(6)
  })

  it('never holds a member price: documents carry the base price and no tag price for tag-cut items', async () => {
    const { hits } = await engine.search(base({ filters: { tagCut: true } }))
    expect(hits[0].basePriceMinor).toBe(25900)
    expect(hits[0].tagPriceMinor).toBeNull()
    expect(hits[0].discountBps).toBeNull()
  })

  it('drops an ended session by the clock and a deleted item after the outbox drain', async () => {
    const later = hours(8.5) // liveB (started 40 h ago) has ended
    const res = await engine.search(base({ now: later }))
    expect(ids(res.hits)).not.toContain(fx.ids.loafers)
    expect(res.total).toBe(4)
    expect((await engine.search(base())).total).toBe(6) // the clock going back brings it back (no stale browse cache)
    expect((await engine.search(base({ now: hours(7.9) }))).total).toBe(6)
    expect((await engine.search(base({ now: hours(8) }))).total).toBe(4) // ends at exactly +8 h
    const upcomingNowLive = await engine.search(
      base({ now: hours(5), phase: 'live', filters: { session: [fx.sessions.upcomingA] } }),
    )
    expect(upcomingNowLive.total).toBe(2)

    await t.db.deleteFrom('session_items').where('id', '=', fx.ids.jeans).execute()
    expect(await countSearchOutbox(t.db)).toBeGreaterThan(0)
    const drained = await drainSearchOutbox(t.db, engine, { now })
    expect(drained.deleted).toBeGreaterThanOrEqual(1)
    expect(ids((await engine.search(base({ text: 'jeans' }))).hits)).toEqual([])
    expect(await countSearchOutbox(t.db)).toBe(0)
  })

  it('flips sold out through the outbox, and a plain decrement writes no outbox row', async () => {
    await t.db
      .updateTable('session_item_skus')
      .set((eb) => ({ available: eb('available', '-', 1) }))
      .where('session_item_id', '=', fx.ids.sweater)
      .execute()
    expect(await countSearchOutbox(t.db)).toBe(0)
    await t.db
      .updateTable('session_item_skus')
      .set({ available: 0 })
      .where('session_item_id', '=', fx.ids.sweater)
      .execute()
    expect(await countSearchOutbox(t.db)).toBeGreaterThan(0)
    await drainSearchOutbox(t.db, engine, { now })
    const soldOut = await engine.search(base({ filters: { inStock: false } }))
    expect(ids(soldOut.hits)).toContain(fx.ids.sweater)
    // Restock one SKU: in stock again.
    await t.db
      .updateTable('session_item_skus')
      .set({ available: 1 })
      .where('session_item_id', '=', fx.ids.sweater)
      .where('sku_id', 'in', t.db.selectFrom('skus').select('id').where('size', '=', 'M'))
      .execute()
    await drainSearchOutbox(t.db, engine, { now })
    expect((await engine.search(base({ text: '羊绒' }))).hits[0].inStock).toBe(true)
  })

  it('reflects catalog, session and brand changes after a drain', async () => {
    await t.db
      .updateTable('products')
      .set({ title: '羊毛双排扣长款大衣', title_en: 'Long wool coat' })
      .where('id', '=', fx.products.coat)
      .execute()
    await t.db
      .updateTable('clearance_sessions')
      .set({ status: 'cancelled' })
      .where('id', '=', fx.sessions.upcomingA)
      .execute()
    await drainSearchOutbox(t.db, engine, { now })
    expect(ids((await engine.search(base({ text: 'long coat' }))).hits)).toEqual([fx.ids.coatLive])
    await t.db.updateTable('brands').set({ status: 'suspended' }).where('id', '=', fx.brands.b).execute()
    await drainSearchOutbox(t.db, engine, { now })
    expect((await engine.search(base({ filters: { brand: [fx.brands.b] } }))).total).toBe(0)
    const res = await engine.search(base())
    expect(res.facets.brand).toEqual(await sqlFacetCounts(t.db, 'b.id', now))
  })

  it('drift check repairs an index that missed changes, and reports what it fixed', async () => {
    await engine.delete([fx.ids.coatLive])
    await t.db.updateTable('products').set({ title_en: 'Drifted coat' }).where('id', '=', fx.products.coat).execute()
    await t.db.deleteFrom('search_outbox').execute() // pretend the outbox row was lost
    const report = await checkSearchDrift(t.db, engine, now)
    expect(report.missing).toEqual([fx.ids.coatLive])
    const again = await checkSearchDrift(t.db, engine, now)
    expect(again).toEqual({ missing: [], stale: [], extra: [] })
    expect(ids((await engine.search(base({ text: 'drifted' }))).hits)).toEqual([fx.ids.coatLive])
    // An ended session's documents are extra once the clock passes its end.
    const afterEnd = await checkSearchDrift(t.db, engine, hours(47))
    expect(afterEnd.extra).toContain(fx.ids.coatLive)
  })
})
