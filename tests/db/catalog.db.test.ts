import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { homeSessions, productPage, sessionPage } from '#app/services/catalog/storefront.server'
import { loader as sessionLoader } from '#app/routes/sessions.$sessionId'
import { loader as productLoader } from '#app/routes/products.$productId'
import { loader as artLoader } from '#app/routes/art.$kind.$seed'
import { loader as notFoundLoader } from '#app/routes/$'
import { addSessionItem, createBrand, createProduct, createSession } from '#tests/fixtures/factories'
import { getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-23T10:00:00Z')
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)
const member = { role: 'member' as const, vipLevel: 0 }
let ids: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const suspended = await createBrand(t.db, { status: 'suspended' })
  const live = await createSession(t.db, { brandId: brand.id, startsAt: hours(-47), title: '快结束' })
  const live2 = await createSession(t.db, { brandId: brand.id, startsAt: hours(-1), title: '刚开始' })
  const soon = await createSession(t.db, { brandId: brand.id, startsAt: hours(2), title: '预告' })
  const ended = await createSession(t.db, { brandId: brand.id, startsAt: hours(-48), title: '已结束' })
  const draft = await createSession(t.db, { brandId: brand.id, startsAt: hours(-1), title: '草稿', status: 'draft' })
  const cancelled = await createSession(t.db, {
    brandId: brand.id,
    startsAt: hours(3),
    title: '取消',
    status: 'cancelled',
  })
  const hidden = await createSession(t.db, { brandId: suspended.id, startsAt: hours(-1), title: '停用品牌' })
  const normal = await createProduct(t.db, {
    brandId: brand.id,
    tagPriceMinor: 29900,
    sizes: ['S', 'M'],
    colours: ['black'],
  })
  const cut = await createProduct(t.db, { brandId: brand.id, tagPriceMinor: 19900, tagCut: true })
  await addSessionItem(t.db, {
    sessionId: live.id,
    productId: normal.product.id,
    skuIds: normal.skus.map((s) => s.id),
    basePriceMinor: 8900,
    quantity: 4,
  })
  await addSessionItem(t.db, {
    sessionId: live.id,
    productId: cut.product.id,
    skuIds: cut.skus.map((s) => s.id),
    basePriceMinor: 5900,
    quantity: 0,
    position: 1,
  })
  ids = {
    live: live.id,
    live2: live2.id,
    soon: soon.id,
    ended: ended.id,
    draft: draft.id,
    cancelled: cancelled.id,
    hidden: hidden.id,
    normal: normal.product.id,
    cut: cut.product.id,
  }
})
afterAll(() => t.drop())

describe('home page sessions', () => {
  it('lists live sessions ending soonest first and upcoming ones, decided by the clock', async () => {
    const home = await homeSessions(t.db, now)
    expect(home.live.map((s) => s.id)).toEqual([ids.live, ids.live2])
    expect(home.upcoming.map((s) => s.id)).toEqual([ids.soon])
  })

  it('moves a session from upcoming to live at the exact start', async () => {
    const justBefore = await homeSessions(t.db, new Date(hours(2).getTime() - 1))
    const atStart = await homeSessions(t.db, hours(2))
    expect(justBefore.upcoming.map((s) => s.id)).toContain(ids.soon)
    expect(atStart.live.map((s) => s.id)).toContain(ids.soon)
  })
})

describe('session page', () => {
  it('shows members the trial price and stock state, and signed-out visitors no price', async () => {
    const asMember = await sessionPage(t.db, ids.live, member, now)
    const normal = asMember!.items.find((i) => i.productId === ids.normal)!
    expect(normal.priceMinor).toBe(8900)
    expect(normal.stock).toEqual({ kind: 'low', left: 8 })
    const anonymous = await sessionPage(t.db, ids.live, null, now)
    expect(anonymous!.items.every((i) => i.priceMinor === null)).toBe(true)
    // The same state without the count: public pages show states only.
    expect(anonymous!.items.find((i) => i.productId === ids.normal)!.stock).toEqual({ kind: 'low' })
  })

  it('never shows the tag price of a tag-cut item', async () => {
    const page = await sessionPage(t.db, ids.live, member, now)
    const cut = page!.items.find((i) => i.productId === ids.cut)!
    expect(cut.tagCut).toBe(true)
    expect(cut.tagPriceMinor).toBeNull()
    expect(cut.stock).toEqual({ kind: 'sold_out' })
  })

  it('hides drafts and sessions of suspended brands', async () => {
    expect(await sessionPage(t.db, ids.draft, member, now)).toBeNull()
    expect(await sessionPage(t.db, ids.hidden, member, now)).toBeNull()
  })

  it('answers 404 for unknown and malformed ids through the loader', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', "1' or '1'='1", ids.draft]) {
      const res = await settle(() =>
        sessionLoader({ request: getRequest(`/sessions/${id}`), params: { sessionId: id }, context: {} }),
      )
      expect(res.status).toBe(404)
    }
  })
})

describe('product page', () => {
  it('lists SKUs with stock of the current session', async () => {
    const page = await productPage(t.db, ids.normal, member, now)
    expect(page!.skus.map((s) => s.size).sort()).toEqual(['M', 'S'])
    expect(page!.skus.every((s) => s.stock?.kind === 'low')).toBe(true)
    expect(page!.sessions[0].id).toBe(ids.live)
    expect(page!.skus.every((s) => s.barcode === null)).toBe(true)
  })

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'xyz']) {
      const res = await settle(() =>
        productLoader({ request: getRequest(`/products/${id}`), params: { productId: id }, context: {} }),
      )
      expect(res.status).toBe(404)
    }
  })
})

describe('other routes', () => {
  it('serves product art as SVG and 404s unknown kinds', async () => {
    const ok = await settle(() =>
      artLoader({
        request: getRequest('/art/product/womens:dress:1:x'),
        params: { kind: 'product', seed: 'womens:dress:1:x' },
        context: {},
      }),
    )
    expect(ok.headers.get('Content-Type')).toMatch(/image\/svg\+xml/)
    expect(await ok.text()).toMatch(/^<svg/)
    const bad = await settle(() =>
      artLoader({ request: getRequest('/art/nope/x'), params: { kind: 'nope', seed: 'x' }, context: {} }),
    )
    expect(bad.status).toBe(404)
  })

  it('answers unknown paths with 404', async () => {
    const res = await settle(() => notFoundLoader())
    expect(res.status).toBe(404)
  })
})
