import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { AllocationExceededError } from '#app/domain/catalog-errors'
import { refundOrder } from '#app/services/orders/after-sales.server'
import { addSessionItem } from '#app/services/sessions/brand-sessions.server'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { orderPaymentHandler } from '#app/services/orders/order-payments.server'
import { resetOrderIntegrations, wireOrderIntegrations } from '#app/services/orders/integrations.server'
import { releaseUnsold } from '#app/services/sessions/release.server'
import { sessionEnd } from '#app/domain/clearance-sessions'
import { createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Physical stock (skus.stock_on_hand) and what a brand can still allocate account for every unit sold, held,
// cancelled and returned, across sessions that follow each other on the same SKU.
let t: TestDatabase
const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000)
const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000)

async function member(db: Db) {
  const user = await createUser(db, { vipLevel: 0 })
  const address = await db
    .insertInto('addresses')
    .values({
      member_id: user.id,
      kind: 'own',
      recipient: '张三',
      phone: '13800000000',
      region: '浙江 杭州',
      line: '西湖区 1 号',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: user.id, addressId: address.id }
}

beforeAll(async () => {
  t = await createTestDatabase()
  wireOrderIntegrations({ refundPayment: async () => ({ refundId: 're_test', status: 'succeeded' }) })
})
afterAll(async () => {
  resetOrderIntegrations()
  await t.drop()
})

describe('one SKU, two sessions back to back', () => {
  it('never allocates a unit that was sold, and gives back what was cancelled or returned', async () => {
    const brand = await createBrand(t.db)
    const { product, skus } = await createProduct(t.db, { brandId: brand.id, stockPerSku: 200 })
    const sku = skus[0]
    const first = await createSession(t.db, { brandId: brand.id, startsAt: at(0) })
    const second = await createSession(t.db, {
      brandId: brand.id,
      startsAt: new Date(sessionEnd(at(0)).getTime() + 3_600_000),
    })
    const item = { productId: product.id, basePriceMinor: 10000, minRetailPriceMinor: 15000, perMemberCap: null }
    await addSessionItem(t.db, brand.id, first.id, { ...item, skus: [{ skuId: sku.id, quantity: 200 }] }, at(-1))
    // Everything is ring-fenced by the first session: nothing left for the second.
    await expect(
      addSessionItem(t.db, brand.id, second.id, { ...item, skus: [{ skuId: sku.id, quantity: 1 }] }, at(-1)),
    ).rejects.toBeInstanceOf(AllocationExceededError)

    const x = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('sku_id', '=', sku.id)
      .executeTakeFirstOrThrow()
    const buy = async (quantity: number, when: Date) => {
      const m = await member(t.db)
      return placeCheckout(t.db, {
        memberId: m.id,
        vipLevel: 0,
        lines: [{ sessionItemSkuId: x.id, quantity }],
        addressId: m.addressId,
        now: when,
      })
    }
    const pay = (checkoutId: string, when: Date) =>
      t.db
        .transaction()
        .execute((trx) =>
          orderPaymentHandler.onSucceeded(
            trx,
            { id: crypto.randomUUID(), reference_id: checkoutId, amount_minor: 0, currency: 'CNY' },
            when,
          ),
        )

    // 23 units sold and paid in 8 checkouts, one more hold of 4 units that is cancelled.
    const paid: string[] = []
    for (const q of [3, 3, 3, 3, 3, 3, 3, 2]) {
      const c = await buy(q, at(1))
      await pay(c.checkoutId, at(1))
      paid.push(c.orderIds[0])
    }
    const held = await buy(4, at(2))
    const physical = async () =>
      (await t.db.selectFrom('skus').select('stock_on_hand').where('id', '=', sku.id).executeTakeFirstOrThrow())
        .stock_on_hand
    expect(await physical()).toBe(200 - 23 - 4)
    await releaseCheckout(t.db, { checkoutId: held.checkoutId, to: 'cancelled', now: at(2) })
    expect(await physical()).toBe(177)

    // The first session ends; its unsold units are released. The second may take the 177 units left, not 200.
    const afterEnd = new Date(first.ends_at.getTime() + 60_000)
    await t.db.transaction().execute((trx) => releaseUnsold(trx, brand.id, first.id))
    const refused = await addSessionItem(
      t.db,
      brand.id,
      second.id,
      { ...item, skus: [{ skuId: sku.id, quantity: 178 }] },
      afterEnd,
    ).catch((e) => e)
    expect(refused).toBeInstanceOf(AllocationExceededError)
    expect(refused.fields['skus[0].quantity']).toBe('exceeds_free')
    expect(refused.values['skus[0].quantity']).toEqual({ free: 177 })

    // An after-sale refund of an order that had not shipped yet puts its 3 units back on the shelf.
    await refundOrder(t.db, { orderId: paid[0], reason: 'changed mind', now: afterEnd })
    expect(await physical()).toBe(180)
    await addSessionItem(t.db, brand.id, second.id, { ...item, skus: [{ skuId: sku.id, quantity: 180 }] }, afterEnd)

    // Every change of physical stock is a movement: the received 200 plus the movements give what is on the shelf.
    const moved = await sql<{ kind: string; n: number }>`
      select m.kind, sum(m.quantity)::int as n from stock_movements m join session_item_skus x on x.id = m.session_item_sku_id
      where x.sku_id = ${sku.id} group by m.kind order by m.kind`.execute(t.db)
    const byKind = Object.fromEntries(moved.rows.map((r) => [r.kind, r.n]))
    expect(byKind).toMatchObject({ sale: -27, sale_cancelled: 4, return: 3 })
    expect(200 + byKind.sale + byKind.sale_cancelled + byKind.return).toBe(await physical())
  })
})
