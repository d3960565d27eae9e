import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader } from '#app/routes/search'
import { compareSizes } from '#app/domain/retail-pricing'
import { setSearchEngine } from '#search/client'
import { OramaSearchEngine } from '#search/orama'
import { rebuildIndex } from '#search/sync'
import { addSessionItem, createBrand, createProduct, createSession } from '#tests/fixtures/factories'
import { getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The size facet lists sizes in size order, not by count; without a query the results are not "by relevance".
let t: TestDatabase

beforeAll(async () => {
  t = await createTestDatabase()
  const now = new Date()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() - 3_600_000) })
  // Counts differ per size so that count order is not size order: two products share some sizes.
  const a = await createProduct(t.db, {
    brandId: brand.id,
    title: '休闲裤',
    sizes: ['XXL', '130', 'L', '均码', '36', 'S', '100', 'M', 'XL', '40'],
  })
  const b = await createProduct(t.db, { brandId: brand.id, title: '牛仔裤', sizes: ['均码', 'XXL', '130'] })
  for (const p of [a, b])
    await addSessionItem(t.db, {
      sessionId: live.id,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: 9900,
      quantity: 3,
    })
  const engine = new OramaSearchEngine()
  await rebuildIndex(t.db, engine, now)
  setSearchEngine(engine)
})
afterAll(async () => {
  setSearchEngine(undefined)
  await t.drop()
})

async function load(path: string) {
  const res = await settle(() => loader({ request: getRequest(path), params: {}, context: {} }))
  return res.json()
}

describe('size facet and default order', () => {
  it('orders sizes: letters XS→XXXL, numbers ascending, one-size last', async () => {
    const body = await load('/search')
    expect(body.facets.size.map((f: { value: string }) => f.value)).toEqual([
      'S',
      'M',
      'L',
      'XL',
      'XXL',
      '36',
      '40',
      '100',
      '130',
      '均码',
    ])
    expect(['XXXL', 'xs', 'Free', '2', '均码', 'S'].sort(compareSizes)).toEqual([
      'xs',
      'S',
      'XXXL',
      '2',
      'Free',
      '均码',
    ])
  })

  it('takes several sizes at once and sorts by what ends soonest when there is no query', async () => {
    const body = await load('/search?size=S&size=130')
    expect(body.input.size).toEqual(['S', '130'])
    expect(body.total).toBe(2)
    expect(body.input.sort).toBe('ending_soon')
    expect((await load('/search?q=裤')).input.sort).toBe('relevance')
  })
})
