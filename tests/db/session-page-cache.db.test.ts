import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as sessionLoader } from '#app/routes/sessions.$sessionId'
import { wholesalePriceFor } from '#app/domain/pricing'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { SESSION_PAGE_DATA_TTL_MS } from '#app/services/catalog/session-page-data.server'
import { loadPriceBook } from '#app/services/membership/pricing.server'
import { updateItemPrices } from '#app/services/sessions/brand-sessions.server'
import {
  addSessionItem,
  createBrand,
  createBuyer,
  createProduct,
  createSession,
  createUser,
} from '#tests/fixtures/factories'
import { cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The session page's reads are kept for a moment per session and shared by every viewer: each viewer still gets
// her own level's prices, and this process's own changes (a sale, a release, a brand's price) show at once.
let t: TestDatabase
let brandId: string
let liveId: string
let upcomingId: string
let upcomingItemId: string
let skuId: string
let buyer: { id: string; addressId: string }
const cookies: Record<'vip0' | 'vip3' | 'buyer', string> = { vip0: '', vip3: '', buyer: '' }

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  brandId = brand.id
  liveId = (await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })).id
  upcomingId = (await createSession(t.db, { brandId, startsAt: new Date(Date.now() + 3 * 86_400_000) })).id
  const p = await createProduct(t.db, { brandId })
  await addSessionItem(t.db, {
    sessionId: liveId,
    productId: p.product.id,
    skuIds: [p.skus[0].id],
    basePriceMinor: 10_000,
    quantity: 3,
  })
  skuId = (await t.db.selectFrom('session_item_skus').select('id').executeTakeFirstOrThrow()).id
  const q = await createProduct(t.db, { brandId })
  upcomingItemId = (
    await addSessionItem(t.db, {
      sessionId: upcomingId,
      productId: q.product.id,
      skuIds: [q.skus[0].id],
      basePriceMinor: 20_000,
      quantity: 5,
    })
  ).id
  cookies.vip0 = await cookieFor(t.db, (await createUser(t.db, { vipLevel: 0 })).id)
  cookies.vip3 = await cookieFor(t.db, (await createUser(t.db, { vipLevel: 3 })).id)
  buyer = await createBuyer(t.db, { vipLevel: 3 })
  cookies.buyer = await cookieFor(t.db, buyer.id)
})
afterAll(() => t.drop())

type Page = { items: { priceMinor: number | null; stock: { kind: string; left?: number } }[]; cardsKey: string }
async function page(sessionId: string, cookie?: string): Promise<Page> {
  const res = await settle(() =>
    sessionLoader({ request: getRequest(`/sessions/${sessionId}`, cookie), params: { sessionId }, context: {} }),
  )
  expect(res.status).toBe(200)
  return res.json()
}
const price = async (sessionId: string, base: number, vipLevel: number) =>
  wholesalePriceFor(base, { role: 'member', vipLevel }, (await loadPriceBook(t.db)).tiersFor(sessionId))

describe('the session page kept for a moment', () => {
  it('gives every level its own prices and the signed-out none, in whichever order they come', async () => {
    const vip3 = await price(liveId, 10_000, 3)
    const vip0 = await price(liveId, 10_000, 0)
    expect(vip3).not.toBe(vip0)
    for (const order of [
      ['vip3', 'vip0', 'out'],
      ['out', 'vip0', 'vip3'],
    ] as const)
      for (const who of order) {
        const items = (await page(liveId, who === 'out' ? undefined : cookies[who])).items
        expect(items[0]!.priceMinor).toBe(who === 'out' ? null : who === 'vip3' ? vip3 : vip0)
        // members see a count when few are left, the signed-out only the state
        expect(items[0]!.stock).toEqual(who === 'out' ? { kind: 'low' } : { kind: 'low', left: 3 })
      }
  })

  it('names its cards by their content: one name per level and stock, a new one when either changes', async () => {
    const vip3 = (await page(liveId, cookies.vip3)).cardsKey
    expect((await page(liveId, cookies.vip3)).cardsKey).toBe(vip3)
    const vip0 = (await page(liveId, cookies.vip0)).cardsKey
    const out = (await page(liveId)).cardsKey
    expect(new Set([vip3, vip0, out]).size).toBe(3)
    const placed = await placeCheckout(t.db, {
      memberId: buyer.id,
      vipLevel: 3,
      lines: [{ sessionItemSkuId: skuId, quantity: 1 }],
      addressId: buyer.addressId,
      now: new Date(),
    })
    const sold = await page(liveId, cookies.vip3)
    expect(sold.items[0]!.stock).toEqual({ kind: 'low', left: 2 })
    expect(sold.cardsKey).not.toBe(vip3)
    await releaseCheckout(t.db, { checkoutId: placed.checkoutId, to: 'cancelled', now: new Date(), memberId: buyer.id })
    expect((await page(liveId, cookies.vip3)).cardsKey).toBe(vip3)
  })

  it('shows a sale and a released checkout on the very next view', async () => {
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'low', left: 3 })
    const placed = await placeCheckout(t.db, {
      memberId: buyer.id,
      vipLevel: 3,
      lines: [{ sessionItemSkuId: skuId, quantity: 2 }],
      addressId: buyer.addressId,
      now: new Date(),
    })
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'low', left: 1 })
    expect(
      await releaseCheckout(t.db, {
        checkoutId: placed.checkoutId,
        to: 'cancelled',
        now: new Date(),
        memberId: buyer.id,
      }),
    ).toBe(true)
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'low', left: 3 })
  })

  it("shows a brand's new price on the very next view, to every level", async () => {
    expect((await page(upcomingId, cookies.vip0)).items[0]!.priceMinor).toBe(await price(upcomingId, 20_000, 0))
    await updateItemPrices(
      t.db,
      brandId,
      upcomingId,
      { itemId: upcomingItemId, basePriceMinor: 18_000, minRetailPriceMinor: 30_000, perMemberCap: null },
      new Date(),
    )
    expect((await page(upcomingId, cookies.vip0)).items[0]!.priceMinor).toBe(await price(upcomingId, 18_000, 0))
    expect((await page(upcomingId, cookies.vip3)).items[0]!.priceMinor).toBe(await price(upcomingId, 18_000, 3))
  })

  it('follows a change made by another process within its lifetime', async () => {
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'low', left: 3 })
    // Another app process sells the last units: this one has not heard of it.
    await sql`update session_item_skus set available = 0 where id = ${skuId}`.execute(t.db)
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'low', left: 3 })
    await new Promise((resolve) => setTimeout(resolve, SESSION_PAGE_DATA_TTL_MS + 50))
    expect((await page(liveId, cookies.vip3)).items[0]!.stock).toEqual({ kind: 'sold_out' })
  })
})
