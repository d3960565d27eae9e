import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader } from '#app/routes/search'
import { memberUnitPrice } from '#app/domain/pricing'
import { setSearchEngine } from '#search/client'
import { OramaSearchEngine } from '#search/orama'
import { rebuildIndex } from '#search/sync'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let vip3Cookie: string
let operatorCookie: string
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  const now = new Date()
  const brand = await createBrand(t.db, { name: '暖阳服饰', nameEn: 'Sunwarm' })
  const live = await createSession(t.db, {
    brandId: brand.id,
    startsAt: new Date(now.getTime() - 3_600_000),
    title: '暖阳冬季清仓',
    titleEn: 'Sunwarm winter',
  })
  const coat = await createProduct(t.db, {
    brandId: brand.id,
    title: '羊毛大衣',
    titleEn: 'Wool coat',
    tagPriceMinor: 129900,
    sizes: ['M'],
    colours: ['黑色'],
  })
  const tee = await createProduct(t.db, {
    brandId: brand.id,
    title: '纯棉T恤',
    titleEn: 'Cotton tee',
    tagPriceMinor: 19900,
    tagCut: true,
    sizes: ['L'],
    colours: ['白色'],
  })
  ids.coat = (
    await addSessionItem(t.db, {
      sessionId: live.id,
      productId: coat.product.id,
      skuIds: coat.skus.map((s) => s.id),
      basePriceMinor: 20500,
      quantity: 5,
    })
  ).id
  ids.tee = (
    await addSessionItem(t.db, {
      sessionId: live.id,
      productId: tee.product.id,
      skuIds: tee.skus.map((s) => s.id),
      basePriceMinor: 5900,
      quantity: 5,
    })
  ).id
  ids.brand = brand.id
  const engine = new OramaSearchEngine()
  await rebuildIndex(t.db, engine, now)
  setSearchEngine(engine)
  vip3Cookie = await cookieFor(t.db, (await createUser(t.db, { vipLevel: 3 })).id)
  operatorCookie = await cookieFor(t.db, (await createUser(t.db, { role: 'operator' })).id)
})
afterAll(async () => {
  setSearchEngine(undefined)
  await t.drop()
})

async function load(path: string, cookie?: string) {
  const res = await settle(() => loader({ request: getRequest(path, cookie), params: {}, context: {} }))
  return { status: res.status, body: await res.json() }
}

describe('/search page', () => {
  it('shows signed-out visitors results and facets but no price, no price facets and ignores price filters with a message', async () => {
    const { status, body } = await load('/search?q=大衣&price=200-500&sort=price_asc')
    expect(status).toBe(200)
    expect(body.total).toBe(1)
    expect(body.hits[0].priceMinor).toBeNull()
    expect(body.hits[0].tagPriceMinor).toBe(129900)
    expect(body.facets.price).toEqual([])
    expect(body.facets.brand).toEqual([{ value: ids.brand, label: '暖阳服饰', labelEn: 'Sunwarm', count: 1 }])
    expect(body.notices).toEqual(
      expect.arrayContaining([
        { code: 'bad_value', param: 'price' },
        { code: 'bad_value', param: 'sort' },
      ]),
    )
    expect(JSON.stringify(body)).not.toContain('20500')
  })

  it("prices each hit at the member's own level and filters price buckets in that price", async () => {
    const { body } = await load('/search?price=100-200', vip3Cookie)
    // VIP3 pays 8% less: 20500 → 18860 falls in ¥100–200, though the base price (¥205) does not.
    expect(body.hits.map((h: { id: string }) => h.id)).toEqual([ids.coat])
    expect(body.hits[0].priceMinor).toBe(memberUnitPrice(20500, 3))
    expect(body.facets.price.find((b: { value: string }) => b.value === '100-200').count).toBe(1)
    const all = await load('/search', vip3Cookie)
    expect(all.body.facets.price.map((b: { count: number }) => b.count)).toEqual([1, 1, 0, 0, 0])
    // A tag-cut item shows no tag price.
    expect(all.body.hits.find((h: { id: string }) => h.id === ids.tee).tagPriceMinor).toBeNull()
  })

  it('shows staff the base price', async () => {
    const { body } = await load('/search?q=coat', operatorCookie)
    expect(body.hits[0].priceMinor).toBe(20500)
  })

  it.each([
    ['/search?page=abc', 'bad_page'],
    ['/search?page=999999', 'bad_page'],
    ['/search?page=-1', 'bad_page'],
    ['/search?brand=not-a-uuid', 'bad_value'],
    ['/search?category=food', 'bad_value'],
    ['/search?sort=cheapest', 'bad_value'],
    ['/search?tagCut=maybe', 'bad_value'],
    ['/search?flavour=mint', 'unknown_param'],
    [`/search?q=${'x'.repeat(500)}`, 'query_too_long'],
    [`/search?${Array.from({ length: 30 }, (_, i) => `size=S${i}`).join('&')}`, 'too_many_values'],
    ['/search?price=1-2', 'bad_value'],
    ['/search?q=%E0%A4%A', undefined],
  ])('never fails on a malformed query string: %s', async (path, code) => {
    const { status, body } = await load(path, vip3Cookie)
    expect(status).toBe(200)
    if (code) expect(body.notices.map((n: { code: string }) => n.code)).toContain(code)
    expect(Array.isArray(body.hits)).toBe(true)
  })

  it('returns an empty page past the end with the total, and an empty result for unmatched filters', async () => {
    const past = await load('/search?page=5')
    expect(past.body.total).toBe(2)
    expect(past.body.hits).toEqual([])
    const none = await load('/search?q=zebra&category=kids')
    expect(none.body.total).toBe(0)
  })

  it('answers 503 with a message when no engine is running', async () => {
    setSearchEngine(undefined)
    try {
      const { status, body } = await load('/search?q=coat')
      expect(status).toBe(503)
      expect(body.unavailable).toBe(true)
    } finally {
      const engine = new OramaSearchEngine()
      await rebuildIndex(t.db, engine, new Date())
      setSearchEngine(engine)
    }
  })
})
