import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '#db/client'
import { HoldLimitError } from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { checkoutApi } from '#app/services/checkout/api.server'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { CHECKOUT_STEPS_CHANNEL } from '#app/services/checkout/timeline.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Open unpaid holds per member are limited (checkouts and units), and POST /api/checkout's Idempotency-Key gives
// the same member the same answer however often, and however concurrently, a request is sent.
let t: TestDatabase
let wide: Db
const { maxCheckouts, maxUnits } = PLATFORM_RULES.checkoutHolds

async function member() {
  const user = await createUser(t.db)
  const address = await t.db
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
  return { id: user.id, addressId: address.id, cookie: await cookieFor(t.db, user.id) }
}

async function sku(units: number, cap: number | null = null) {
  const brandId = (await createBrand(t.db)).id
  const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, { brandId, sizes: ['M'], colours: ['黑色'], title: '羊毛大衣' })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: [skus[0].id],
    basePriceMinor: 10000,
    quantity: units,
    perMemberCap: cap,
  })
  return (
    await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
  ).id
}

const place = (db: Db, m: { id: string; addressId: string }, sisId: string, quantity = 1) =>
  placeCheckout(db, {
    memberId: m.id,
    vipLevel: 0,
    lines: [{ sessionItemSkuId: sisId, quantity }],
    addressId: m.addressId,
    now: new Date(),
  })
const pending = async (memberId: string) =>
  (
    await t.db
      .selectFrom('checkouts')
      .select('id')
      .where('member_id', '=', memberId)
      .where('status', '=', 'pending_payment')
      .execute()
  ).length
const available = async (id: string) =>
  (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', id).executeTakeFirstOrThrow())
    .available

beforeAll(async () => {
  t = await createTestDatabase()
  wide = createDb(t.url, { max: 30 })
})
afterEach(() => {
  delete process.env.GRAB_QUEUE
})
afterAll(async () => {
  await wide.destroy()
  await t.drop()
})

describe('open unpaid holds per member', () => {
  it('limits the units held at once, and frees them when a checkout is cancelled', async () => {
    const m = await member()
    const sisId = await sku(maxUnits * 3)
    const all = await place(t.db, m, sisId, maxUnits)
    const more = await place(t.db, m, sisId, 1).catch((e: unknown) => e)
    expect(more).toBeInstanceOf(HoldLimitError)
    expect(more).toMatchObject({
      code: 'hold_limit',
      status: 409,
      details: { limit: 'units', max: maxUnits, held: maxUnits },
    })
    expect(await available(sisId)).toBe(maxUnits * 2)
    await releaseCheckout(t.db, { checkoutId: all.checkoutId, to: 'cancelled', now: new Date(), memberId: m.id })
    await place(t.db, m, sisId, 1)
    expect(await pending(m.id)).toBe(1)
  })

  it('limits the checkouts held at once, exactly, under concurrent checkouts through the queue and alone', async () => {
    for (const queue of ['1', '0']) {
      process.env.GRAB_QUEUE = queue
      const m = await member()
      const other = await member()
      const hot = await sku(1000)
      const results = await Promise.allSettled([
        ...Array.from({ length: maxCheckouts + 10 }, () => place(wide, m, hot)),
        place(wide, other, hot),
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(maxCheckouts + 1)
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      expect(refused).toHaveLength(10)
      expect(refused.every((r) => r.reason instanceof HoldLimitError && r.reason.details.limit === 'checkouts')).toBe(
        true,
      )
      expect(await pending(m.id)).toBe(maxCheckouts)
      expect(await available(hot)).toBe(1000 - maxCheckouts - 1)
    }
  })

  it('does not count checkouts past their payment deadline', async () => {
    const m = await member()
    const sisId = await sku(maxUnits * 2)
    await place(t.db, m, sisId, maxUnits)
    await t.db
      .updateTable('checkouts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('member_id', '=', m.id)
      .execute()
    await place(t.db, m, sisId, maxUnits)
  })
})

describe('Idempotency-Key on POST /api/checkout', () => {
  const post = (
    db: Db,
    m: { cookie: string; addressId: string },
    lines: { sessionItemSkuId: string; quantity: number }[],
    idempotencyKey: string | null,
  ) => checkoutApi(db, { cookie: m.cookie, idempotencyKey, body: { addressId: m.addressId, lines }, now: new Date() })

  it('10 identical concurrent checkouts with one key make one hold and get one answer', async () => {
    for (const queue of ['1', '0']) {
      process.env.GRAB_QUEUE = queue
      const m = await member()
      const sisId = await sku(50, 20)
      const key = `retry-${queue}-${crypto.randomUUID()}`
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => post(wide, m, [{ sessionItemSkuId: sisId, quantity: 2 }], key)),
      )
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201))
      expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1)
      expect(await pending(m.id)).toBe(1)
      expect(await available(sisId)).toBe(48)
      const taken = await t.db
        .selectFrom('member_sku_takes')
        .select('taken')
        .where('member_id', '=', m.id)
        .executeTakeFirstOrThrow()
      expect(taken.taken).toBe(2)
      // Later, once the checkout exists: still the same answer, still one hold.
      expect(await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 2 }], key)).toEqual(replies[0])
      expect(await pending(m.id)).toBe(1)
    }
  })

  it('the same key with another body is refused; another member or another key is another checkout', async () => {
    const m = await member()
    const n = await member()
    const sisId = await sku(50)
    const first = await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'order-1')
    expect(first.status).toBe(201)
    const changed = await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 2 }], 'order-1')
    expect(changed).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } })
    expect((await post(t.db, n, [{ sessionItemSkuId: sisId, quantity: 1 }], 'order-1')).status).toBe(201)
    expect((await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'order-2')).status).toBe(201)
    expect((await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], null)).status).toBe(201)
    expect(await pending(m.id)).toBe(3)
    expect(await available(sisId)).toBe(46)
  })

  it('keeps a refusal too: the same key gets the same refusal after stock came back', async () => {
    const m = await member()
    const n = await member()
    const sisId = await sku(2)
    const theirs = await place(t.db, n, sisId, 2)
    const refused = await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'too-late')
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'sold_out' } } })
    await releaseCheckout(t.db, { checkoutId: theirs.checkoutId, to: 'cancelled', now: new Date(), memberId: n.id })
    expect(await available(sisId)).toBe(2)
    expect(await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'too-late')).toEqual(refused)
    expect((await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'fresh')).status).toBe(201)
  })

  it('refuses a malformed key with a field message (400), after authentication', async () => {
    const m = await member()
    const sisId = await sku(5)
    const bad = await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'x'.repeat(256))
    expect(bad).toEqual({ status: 400, body: { fieldErrors: { idempotencyKey: ['orders.errors.invalid'] } } })
    expect((await post(t.db, m, [{ sessionItemSkuId: sisId, quantity: 1 }], 'a b')).status).toBe(400)
    expect(
      (await checkoutApi(t.db, { cookie: null, idempotencyKey: 'x'.repeat(256), body: {}, now: new Date() })).status,
    ).toBe(401)
    expect(await pending(m.id)).toBe(0)
  })
})

describe('POST /api/checkout on the checkout timeline', () => {
  it('publishes each request, its read and its answer, placed or refused', async () => {
    const [m, n] = [await member(), await member()]
    const sisId = await sku(1)
    const steps: string[] = []
    const listen = (s: unknown) => steps.push((s as { step: string }).step)
    subscribe(CHECKOUT_STEPS_CHANNEL, listen)
    try {
      const post = (who: { cookie: string; addressId: string }) =>
        checkoutApi(t.db, {
          cookie: who.cookie,
          idempotencyKey: null,
          body: { addressId: who.addressId, lines: [{ sessionItemSkuId: sisId, quantity: 1 }] },
          now: new Date(),
        })
      expect((await post(m)).status).toBe(201)
      expect((await post(n)).status).toBe(409)
      const api = steps.filter((s) => ['request', 'read', 'read-done', 'answer'].includes(s))
      expect(api).toEqual(['request', 'read', 'read-done', 'answer', 'request', 'read', 'read-done', 'answer'])
    } finally {
      unsubscribe(CHECKOUT_STEPS_CHANNEL, listen)
    }
  })
})
