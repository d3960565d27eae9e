import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as stockApi } from '#app/routes/api.stock.$sessionId'
import { loader as sessionLoader } from '#app/routes/sessions.$sessionId'
import { loader as productLoader } from '#app/routes/products.$productId'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { SessionClosedError, SoldOutError } from '#app/domain/orders'
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

// Public surfaces show stock states only; members see a count only when few are left; the page and its live
// refresh render the same state.
let t: TestDatabase
let sessionId: string
let draftId: string
let productId: string
let cookie: string
let fewId: string
let manyId: string

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const draft = await createSession(t.db, {
    brandId: brand.id,
    startsAt: new Date(Date.now() + 3_600_000),
    status: 'draft',
  })
  sessionId = live.id
  draftId = draft.id
  const p = await createProduct(t.db, { brandId: brand.id, sizes: ['S', 'M'] })
  productId = p.product.id
  const item = await addSessionItem(t.db, {
    sessionId,
    productId,
    skuIds: [p.skus[0].id],
    basePriceMinor: 5000,
    quantity: 2,
  })
  await t.db
    .insertInto('session_item_skus')
    .values({ session_item_id: item.id, sku_id: p.skus[1].id, allocated: 33, available: 33 })
    .execute()
  await t.db.updateTable('skus').set({ stock_on_hand: 33 }).where('id', '=', p.skus[1].id).execute()
  const rows = await t.db
    .selectFrom('session_item_skus')
    .select(['id', 'available'])
    .where('session_item_id', '=', item.id)
    .execute()
  fewId = rows.find((r) => r.available === 2)!.id
  manyId = rows.find((r) => r.available === 33)!.id
  const d = await createProduct(t.db, { brandId: brand.id })
  await addSessionItem(t.db, {
    sessionId: draftId,
    productId: d.product.id,
    skuIds: [d.skus[0].id],
    basePriceMinor: 5000,
    quantity: 3,
  })
  cookie = await cookieFor(t.db, (await createUser(t.db, { vipLevel: 1 })).id)
})
afterAll(() => t.drop())

const json = async (fn: () => Promise<unknown>) => (await settle(fn)).json()

describe('stock on public surfaces', () => {
  it('signed out: states without counts, the same on the page and in the live refresh', async () => {
    const page = await json(() =>
      sessionLoader({
        request: getRequest(`/sessions/${sessionId}?_data=routes/sessions.$sessionId`),
        params: { sessionId },
        context: {},
      }),
    )
    expect(JSON.stringify(page)).not.toContain('"left"')
    expect(page.items[0].stock).toEqual({ kind: 'in_stock' })
    const refresh = await json(() =>
      stockApi({ request: getRequest(`/api/stock/${sessionId}`), params: { sessionId }, context: {} }),
    )
    expect(refresh.items[page.items[0].id]).toEqual(page.items[0].stock)
    const product = await json(() =>
      productLoader({ request: getRequest(`/products/${productId}`), params: { productId }, context: {} }),
    )
    expect(JSON.stringify(product)).not.toContain('"left"')
    expect(product.buy.options.map((o: { stock: unknown }) => o.stock)).toEqual(
      expect.arrayContaining([{ kind: 'low' }, { kind: 'in_stock' }]),
    )
  })

  it('members see the count only when few are left, on the page and in the refresh alike', async () => {
    const page = await json(() =>
      sessionLoader({ request: getRequest(`/sessions/${sessionId}`, cookie), params: { sessionId }, context: {} }),
    )
    const refresh = await json(() =>
      stockApi({ request: getRequest(`/api/stock/${sessionId}`, cookie), params: { sessionId }, context: {} }),
    )
    expect(refresh.skus[fewId]).toEqual({ kind: 'low', left: 2 })
    expect(refresh.skus[manyId]).toEqual({ kind: 'in_stock' })
    expect(refresh.items[page.items[0].id]).toEqual(page.items[0].stock)
  })

  it('the stock of a draft session is nobody\u2019s business', async () => {
    expect(
      (
        await settle(() =>
          stockApi({
            request: getRequest(`/api/stock/${draftId}`, cookie),
            params: { sessionId: draftId },
            context: {},
          }),
        )
      ).status,
    ).toBe(404)
  })

  it('a refusal for too few units does not tell how many are left unless few are', async () => {
    const member = await createBuyer(t.db)
    const err = await placeCheckout(t.db, {
      memberId: member.id,
      vipLevel: 0,
      lines: [
        { sessionItemSkuId: manyId, quantity: 34 },
        { sessionItemSkuId: fewId, quantity: 1 },
      ],
      addressId: member.addressId,
      now: new Date(),
    }).then(
      () => null,
      (e: SoldOutError) => e,
    )
    expect(err).toBeInstanceOf(SoldOutError)
    // Ids and generated titles are random and may hold "33" themselves; the
    // refusal may name the item, and must carry nothing else.
    const { sessionItemSkuId, item, ...rest } = err!.details as Record<string, unknown>
    expect(sessionItemSkuId).toBe(manyId)
    expect(rest).toEqual({})
    expect(err!.message.replace(String(item), '')).not.toContain('33')
  })

  it('a checkout that names an item of a draft session is refused without a word about its stock', async () => {
    const member = await createBuyer(t.db)
    const draftSku = await t.db
      .selectFrom('session_item_skus as x')
      .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
      .select('x.id')
      .where('i.session_id', '=', draftId)
      .executeTakeFirstOrThrow()
    const err = await placeCheckout(t.db, {
      memberId: member.id,
      vipLevel: 0,
      lines: [
        { sessionItemSkuId: draftSku.id, quantity: 1 },
        { sessionItemSkuId: manyId, quantity: 1 },
      ],
      addressId: member.addressId,
      now: new Date(),
    }).then(
      () => null,
      (e: SessionClosedError) => e,
    )
    expect(err).toBeInstanceOf(SessionClosedError)
    expect(err!.details).toEqual({ sessionItemSkuId: draftSku.id, item: expect.any(String) })
  })
})
