import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as cartAction } from '#app/routes/cart'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let cookie: string
let memberId: string
let skuId: string

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const p = await createProduct(t.db, { brandId: brand.id, title: '限购衬衫', stockPerSku: 50 })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: p.product.id,
    skuIds: [p.skus[0].id],
    basePriceMinor: 5000,
    quantity: 50,
    perMemberCap: 3,
  })
  skuId = (
    await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
  ).id
  const member = await createUser(t.db, { vipLevel: 1 })
  memberId = member.id
  cookie = await cookieFor(t.db, member.id)
})
afterAll(() => t.drop())

const add = (quantity: number) =>
  settle(() =>
    cartAction({
      request: formRequest(
        '/cart',
        { intent: 'add-to-cart', sessionItemSkuId: skuId, quantity: String(quantity) },
        { cookie },
      ),
      params: {},
      context: {},
    }),
  )
const inCart = async () =>
  (await t.db.selectFrom('cart_lines').select('quantity').where('member_id', '=', memberId).executeTakeFirst())
    ?.quantity ?? 0

describe('per-member cap when adding to the cart', () => {
  it('says how many more the member may take, and refuses what would pass the cap', async () => {
    const first = await add(2)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ ok: true, remaining: 1 })
    const second = await add(2)
    expect(second.status).toBe(409)
    expect(await second.json()).toMatchObject({ formError: { code: 'cap_exceeded', cap: 3, remaining: 1 } })
    expect(await inCart()).toBe(2)
    expect(await (await add(1)).json()).toMatchObject({ ok: true, remaining: 0 })
    expect(await inCart()).toBe(3)
  })

  it('counts units already ordered', async () => {
    await t.db.deleteFrom('cart_lines').execute()
    await t.db
      .insertInto('member_sku_takes')
      .values({ member_id: memberId, session_item_sku_id: skuId, taken: 2 })
      .execute()
    expect((await add(2)).status).toBe(409)
    expect(await (await add(1)).json()).toMatchObject({ ok: true, remaining: 0 })
    const update = await settle(() =>
      cartAction({
        request: formRequest('/cart', { intent: 'update', sessionItemSkuId: skuId, quantity: '3' }, { cookie }),
        params: {},
        context: {},
      }),
    )
    expect(update.status).toBe(409)
    expect(await inCart()).toBe(1)
  })
})
