import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as centreLoader } from '#app/routes/account._index'
import { loader as homeLoader } from '#app/routes/_index'
import { creditPurchasePoints, revokePurchasePoints } from '#app/services/membership/growth.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const ctx = { params: {}, context: {} }
const centre = async (cookie: string) =>
  (await settle(() => centreLoader({ request: getRequest('/account', cookie), ...ctx }))).json()

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

describe('the member centre', () => {
  it('shows every level with its price in 折 and tells the member when her level changes, up and down', async () => {
    const m = await createUser(t.db)
    const cookie = await cookieFor(t.db, m.id)
    const first = await centre(cookie)
    expect(first.levelChange).toBeNull()
    expect(
      first.levels.map((r: { level: number; price: unknown; current: boolean }) => [r.level, r.price, r.current]),
    ).toEqual([
      [0, null, true],
      [1, { zhe: '9.7', off: 3 }, false],
      [2, { zhe: '9.5', off: 5 }, false],
      [3, { zhe: '9.2', off: 8 }, false],
      [4, { zhe: '9', off: 10 }, false],
      [5, { zhe: '8.8', off: 12 }, false],
    ])

    // ¥2,000 of goods: 200 points, VIP2.
    const orderId = randomUUID()
    await t.db
      .transaction()
      .execute((trx) =>
        creditPurchasePoints(trx, { memberId: m.id, orderId, paidGoodsMinor: 200_000, now: new Date() }),
      )
    const up = await centre(cookie)
    expect(up.levelChange).toEqual({
      direction: 'up',
      from: 0,
      to: 2,
      cause: null,
      price: { zhe: '9.5', off: 5 },
      pointsBack: null,
    })
    expect(up.levels.find((r: { current: boolean }) => r.current).level).toBe(2)

    // A refund takes the points back: down to Trial, with what brings VIP2 back.
    await t.db.transaction().execute((trx) =>
      revokePurchasePoints(trx, {
        memberId: m.id,
        orderId,
        refundId: randomUUID(),
        refundedGoodsMinor: 200_000,
        now: new Date(Date.now() + 1000),
      }),
    )
    const down = await centre(cookie)
    expect(down.levelChange).toMatchObject({
      direction: 'down',
      from: 2,
      to: 0,
      cause: 'points',
      price: null,
      pointsBack: 200,
    })
  })
})

describe('session cards', () => {
  it('preview three items and show members their deepest cut in 折, never to anyone else', async () => {
    const brand = await createBrand(t.db)
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const add = async (title: string, tagPriceMinor: number, basePriceMinor: number, tagCut = false) => {
      const { product, skus } = await createProduct(t.db, {
        brandId: brand.id,
        title,
        tagPriceMinor,
        tagCut,
        sizes: ['M'],
      })
      await addSessionItem(t.db, {
        sessionId: session.id,
        productId: product.id,
        skuIds: skus.map((s) => s.id),
        basePriceMinor,
        quantity: 3,
      })
    }
    await add('大衣', 100_000, 30_000) // 3折
    await add('围巾', 20_000, 9_000) // 4.5折
    await add('剪标外套', 100_000, 10_000, true) // tag-cut: its tag price is no reference
    await add('帽子', 10_000, 8_000)

    const card = async (cookie?: string) => {
      const home = await (await settle(() => homeLoader({ request: getRequest('/', cookie), ...ctx }))).json()
      return home.live.find((s: { id: string }) => s.id === session.id)
    }
    const guest = await card()
    expect(guest.previews.map((p: { title: string }) => p.title)).toHaveLength(3)
    expect(guest.lowest).toBeNull()
    const trial = await createUser(t.db)
    expect((await card(await cookieFor(t.db, trial.id))).lowest).toEqual({ zhe: '3', off: 70 })
    // VIP3 pays 8 % less than the base price: 2.76折, said as 2.8折.
    const vip3 = await createUser(t.db, { vipLevel: 3 })
    expect((await card(await cookieFor(t.db, vip3.id))).lowest).toEqual({ zhe: '2.8', off: 72 })
    const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
    expect((await card(await cookieFor(t.db, staff.id))).lowest).toBeNull()
  })
})
