import { mkdtemp, readdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as checkoutApi } from '#app/routes/api.checkout'
import { action as addressAction, loader as addressLoader } from '#app/routes/account.addresses'
import { action as orderAction, loader as orderLoader } from '#app/routes/orders.$orderId'
import { action as afterSalesAction, loader as afterSalesLoader } from '#app/routes/admin.after-sales'
import { orderPaymentHandler } from '#app/services/orders/order-payments.server'
import { resetOrderIntegrations, wireOrderIntegrations } from '#app/services/orders/integrations.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const ctx = { context: {} }
const cookies: Record<string, string> = {}
let orderId = ''
let lineS = ''
let lineM = ''
const calls: { idempotencyKey: string; amountMinor: number }[] = []
let providerDown = false

function afterSaleForm(fields: Record<string, string>, photo?: File) {
  const fd = new FormData()
  if (photo) fd.append('photos', photo)
  fd.set('intent', 'after-sale')
  fd.set('kind', 'refund')
  fd.set('reason', '尺码不合适')
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  return settle(() =>
    orderAction({
      request: new Request(`${BASE}/orders/${orderId}`, { method: 'POST', body: fd, headers: { Cookie: cookies.vip } }),
      params: { orderId },
      ...ctx,
    }),
  )
}
const adminList = async () =>
  (
    await settle(() =>
      afterSalesLoader({ request: getRequest('/admin/after-sales', cookies.operator), params: {}, ...ctx }),
    )
  ).json()
const adminPost = (fields: Record<string, string>, cookie = cookies.operator) =>
  settle(() => afterSalesAction({ request: formRequest('/admin/after-sales', fields, { cookie }), params: {}, ...ctx }))

beforeAll(async () => {
  process.env.UPLOAD_DIR = await mkdtemp(path.join(os.tmpdir(), 'after-sale-uploads-'))
  t = await createTestDatabase()
  wireOrderIntegrations({
    refundPayment: async (_db, input) => {
      calls.push({ idempotencyKey: input.idempotencyKey, amountMinor: input.amountMinor })
      if (providerDown) throw new Error('provider unreachable')
      return { refundId: `re_${calls.length}`, status: 'succeeded' }
    },
    creditPurchasePoints: async () => {},
    revokePurchasePoints: async () => {},
  })
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const p = await createProduct(t.db, { brandId: brand.id, title: '羊毛大衣', sizes: ['S', 'M'] })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: p.product.id,
    skuIds: p.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 20,
  })
  const skus = await t.db
    .selectFrom('session_item_skus')
    .select('id')
    .where('session_item_id', '=', item.id)
    .orderBy('id')
    .execute()
  const vip = await createUser(t.db, { vipLevel: 3 })
  const other = await createUser(t.db)
  const operator = await createUser(t.db, { role: 'operator' })
  for (const [k, u] of Object.entries({ vip, other, operator })) cookies[k] = await cookieFor(t.db, u.id)
  await settle(() =>
    addressAction({
      request: formRequest(
        '/account/addresses',
        { kind: 'own', recipient: '李四', phone: '13900000000', region: '上海', line: '南京路 1 号' },
        { cookie: cookies.vip },
      ),
      params: {},
      ...ctx,
    }),
  )
  const addressId = (
    await (
      await settle(() => addressLoader({ request: getRequest('/account/addresses', cookies.vip), params: {}, ...ctx }))
    ).json()
  ).addresses[0].id
  const res = await settle(() =>
    checkoutApi({
      request: new Request(`${BASE}/api/checkout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookies.vip },
        body: JSON.stringify({
          addressId,
          lines: [
            { sessionItemSkuId: skus[0]!.id, quantity: 2 },
            { sessionItemSkuId: skus[1]!.id, quantity: 1 },
          ],
        }),
      }),
      params: {},
      ...ctx,
    }),
  )
  const body = await res.json()
  expect(res.status).toBe(201)
  orderId = body.orderIds[0]
  const checkoutId = (
    await t.db.selectFrom('orders').select('checkout_id').where('id', '=', orderId).executeTakeFirstOrThrow()
  ).checkout_id
  await t.db
    .transaction()
    .execute((trx) =>
      orderPaymentHandler.onSucceeded(
        trx,
        { id: crypto.randomUUID(), reference_id: checkoutId, amount_minor: 0, currency: 'CNY' },
        new Date(),
      ),
    )
  const lines = await t.db
    .selectFrom('order_lines')
    .select(['id', 'quantity'])
    .where('order_id', '=', orderId)
    .execute()
  lineS = lines.find((l) => l.quantity === 2)!.id
  lineM = lines.find((l) => l.quantity === 1)!.id
})
afterAll(async () => {
  resetOrderIntegrations()
  await t.drop()
})

describe('after-sale lines', () => {
  it('the member picks lines and quantities; more than is refundable, a foreign line or nothing at all is refused', async () => {
    const png = new File(
      [
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
          .png()
          .toBuffer(),
      ],
      'hole.png',
      { type: 'image/png' },
    )
    expect((await afterSaleForm({ [`qty:${lineS}`]: '3', [`qty:${lineM}`]: '0' }, png)).status).toBe(409)
    // The refused request left no photo behind.
    expect(await readdir(path.join(process.env.UPLOAD_DIR!, 'after-sales', orderId)).catch(() => [])).toEqual([])
    expect((await afterSaleForm({ [`qty:${lineS}`]: '0', [`qty:${lineM}`]: '0' })).status).toBe(400)
    expect((await afterSaleForm({ [`qty:${lineS}`]: '-1' })).status).toBe(400)
    expect((await afterSaleForm({ [`qty:${crypto.randomUUID()}`]: '1' })).status).toBe(409)
    expect(await t.db.selectFrom('after_sale_requests').select('id').execute()).toHaveLength(0)
    const ok = await afterSaleForm({ [`qty:${lineS}`]: '1', [`qty:${lineM}`]: '0' })
    expect(ok.status).toBe(200)
    const detail = await (
      await settle(() =>
        orderLoader({ request: getRequest(`/orders/${orderId}`, cookies.vip), params: { orderId }, ...ctx }),
      )
    ).json()
    expect(detail.requests[0].lines).toEqual([{ orderLineId: lineS, quantity: 1 }])
  })

  it("the approval form starts from the member's lines; approving without other quantities refunds exactly those", async () => {
    const list = await adminList()
    const req = list.requests[0]
    expect(req.lines.map((l: { id: string; requestedQuantity: number }) => [l.id, l.requestedQuantity]).sort()).toEqual(
      [
        [lineM, 0],
        [lineS, 1],
      ].sort(),
    )
    const r = await adminPost({ intent: 'approve', scope: 'lines', requestId: req.id })
    expect(r.status).toBe(200)
    const order = await t.db
      .selectFrom('orders')
      .select(['refunded_minor'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow()
    const unit = (
      await t.db.selectFrom('order_lines').select('unit_price_minor').where('id', '=', lineS).executeTakeFirstOrThrow()
    ).unit_price_minor
    expect(order.refunded_minor).toBe(unit)
    expect(calls.at(-1)?.amountMinor).toBe(unit)
  })
})

describe('refund retry', () => {
  it('a failed provider call shows as a failed refund; the operator retries it with the same idempotency key, once', async () => {
    await afterSaleForm({ [`qty:${lineM}`]: '1', [`qty:${lineS}`]: '0' })
    const req = (await adminList()).requests.find((r: { status: string }) => r.status === 'open')
    providerDown = true
    expect(
      (
        await adminPost({
          intent: 'approve',
          scope: 'lines',
          requestId: req.id,
          [`qty:${lineM}`]: '1',
          [`qty:${lineS}`]: '0',
        })
      ).status,
    ).toBe(200)
    providerDown = false
    const failedKey = calls.at(-1)!.idempotencyKey
    let list = await adminList()
    expect(list.unsettled).toHaveLength(1)
    expect(list.unsettled[0]).toMatchObject({ status: 'failed', error: 'provider unreachable', orderId })
    const refundId = list.unsettled[0].id
    expect(failedKey).toBe(`order-refund:${refundId}`)

    expect((await adminPost({ intent: 'retry', refundId }, cookies.vip)).status).toBe(403)
    expect((await adminPost({ intent: 'retry', refundId: crypto.randomUUID() })).status).toBe(404)
    expect((await adminPost({ intent: 'retry', refundId: 'nope' })).status).toBe(400)

    const retried = await adminPost({ intent: 'retry', refundId })
    expect(retried.status).toBe(200)
    expect(await retried.json()).toEqual({ retried: 'succeeded' })
    expect(calls.at(-1)!.idempotencyKey).toBe(failedKey)
    const row = await t.db
      .selectFrom('order_refunds')
      .select(['status', 'error', 'provider_refund_id'])
      .where('id', '=', refundId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'succeeded', error: null, provider_refund_id: `re_${calls.length}` })
    list = await adminList()
    expect(list.unsettled).toHaveLength(0)
    const before = calls.length
    expect((await adminPost({ intent: 'retry', refundId })).status).toBe(409)
    expect(calls.length).toBe(before)
    // The bookkeeping was committed once: the order is now fully refunded, not more.
    const order = await t.db
      .selectFrom('orders')
      .select(['status', 'refunded_minor', 'goods_minor'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow()
    expect(order.refunded_minor).toBe(
      order.goods_minor -
        (
          await t.db
            .selectFrom('order_lines')
            .select('unit_price_minor')
            .where('id', '=', lineS)
            .executeTakeFirstOrThrow()
        ).unit_price_minor,
    )
  })
})
