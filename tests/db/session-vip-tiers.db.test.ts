import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_VIP_TIERS, memberUnitPrice } from '#app/domain/pricing'
import { buyBox, cartView } from '#app/services/orders/cart.server'
import { sessionPage } from '#app/services/catalog/storefront.server'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { recordSessionBoundary } from '#app/services/sessions/boundaries.server'
import { updateVipTiers } from '#app/services/membership/members.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The VIP discounts that price a session are fixed when it goes live: an edit of the VIP table reprices
// sessions that have not started, never a live one (its pages, its cart lines, what its checkout charges).
let t: TestDatabase
const BASE = 20_000
const HOUR = 3_600_000
const ids = {} as Record<
  | 'ops'
  | 'member'
  | 'address'
  | 'started'
  | 'justStarted'
  | 'upcoming'
  | 'startedSku'
  | 'justStartedSku'
  | 'upcomingSku'
  | 'upcomingProduct',
  string
>

async function sessionWithItem(brandId: string, startsAt: Date) {
  const session = await createSession(t.db, { brandId, startsAt })
  const { product, skus } = await createProduct(t.db, { brandId })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: [skus[0].id],
    basePriceMinor: BASE,
    quantity: 10,
  })
  const sku = await t.db
    .selectFrom('session_item_skus')
    .select('id')
    .where('session_item_id', '=', item.id)
    .executeTakeFirstOrThrow()
  return { sessionId: session.id, skuId: sku.id, productId: product.id }
}

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  ids.ops = (await createUser(t.db, { role: 'operator' })).id
  ids.member = (await createUser(t.db, { vipLevel: 3 })).id
  ids.address = (
    await t.db
      .insertInto('addresses')
      .values({
        member_id: ids.member,
        kind: 'own',
        recipient: '王五',
        phone: '13700000000',
        region: '北京',
        line: '1 号',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const started = await sessionWithItem(brand.id, new Date(Date.now() - 2 * HOUR))
  const justStarted = await sessionWithItem(brand.id, new Date(Date.now() - 60_000))
  const upcoming = await sessionWithItem(brand.id, new Date(Date.now() + HOUR))
  Object.assign(ids, {
    started: started.sessionId,
    startedSku: started.skuId,
    justStarted: justStarted.sessionId,
    justStartedSku: justStarted.skuId,
    upcoming: upcoming.sessionId,
    upcomingSku: upcoming.skuId,
    upcomingProduct: upcoming.productId,
  })
})
afterAll(async () => {
  await t.drop()
})

describe('VIP discounts of a live session', () => {
  it('stay as they were when it went live after the table is edited; sessions not started take the new table', async () => {
    const now = new Date()
    const before = memberUnitPrice(BASE, 3, DEFAULT_VIP_TIERS)
    // One session's start was recorded by its job; the other's job has not run (the edit fixes its discounts).
    expect(await recordSessionBoundary(t.db, { sessionId: ids.started, kind: 'started', now })).toBe('recorded')
    const member = { role: 'member' as const, vipLevel: 3 }
    const price = async (sessionId: string) =>
      (await sessionPage(t.db, sessionId, member, new Date()))!.items[0]!.priceMinor
    expect(await price(ids.started)).toBe(before)
    expect(await price(ids.upcoming)).toBe(before)

    const tiers = DEFAULT_VIP_TIERS.map((tier) => ({ ...tier, discountBps: tier.level * 100 }))
    const after = memberUnitPrice(BASE, 3, tiers)
    expect(after).not.toBe(before)
    expect(await updateVipTiers(t.db, { operatorId: ids.ops, tiers, note: 'test', now: new Date() })).toEqual({
      ok: true,
    })

    expect(await price(ids.started)).toBe(before)
    expect(await price(ids.justStarted)).toBe(before)
    expect(await price(ids.upcoming)).toBe(after)
    expect((await buyBox(t.db, ids.upcomingProduct, member, new Date()))!.priceMinor).toBe(after)

    // The cart and the checkout charge the live session's price as it went live.
    await t.db
      .insertInto('cart_lines')
      .values({ member_id: ids.member, session_item_sku_id: ids.justStartedSku, quantity: 2 })
      .execute()
    const cart = await cartView(t.db, { id: ids.member, vipLevel: 3 }, new Date())
    expect(cart.brands.flatMap((g) => g.lines).map((l) => l.unitPriceMinor)).toEqual([before])
    const placed = await placeCheckout(t.db, {
      memberId: ids.member,
      vipLevel: 3,
      addressId: ids.address,
      now: new Date(),
      lines: [
        { sessionItemSkuId: ids.startedSku, quantity: 1 },
        { sessionItemSkuId: ids.justStartedSku, quantity: 1 },
      ],
    })
    expect(placed.totalMinor).toBe(2 * before)
    const lines = await t.db
      .selectFrom('order_lines')
      .select('unit_price_minor')
      .where('order_id', 'in', placed.orderIds)
      .execute()
    expect(lines.map((l) => l.unit_price_minor)).toEqual([before, before])
  })
})
