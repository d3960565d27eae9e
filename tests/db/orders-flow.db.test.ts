import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as checkoutApi } from '#app/routes/api.checkout'
import { loader as stockApi } from '#app/routes/api.stock.$sessionId'
import { action as cartAction, loader as cartLoader } from '#app/routes/cart'
import { action as addressAction, loader as addressLoader } from '#app/routes/account.addresses'
import { loader as ordersLoader } from '#app/routes/orders._index'
import { action as orderAction, loader as orderLoader } from '#app/routes/orders.$orderId'
import { action as brandAction, loader as brandLoader } from '#app/routes/brand.orders'
import { loader as packingLoader } from '#app/routes/brand.orders.packing-list'
import { action as afterSalesAction, loader as afterSalesLoader } from '#app/routes/admin.after-sales'
import { loader as adminOrdersLoader } from '#app/routes/admin.orders'
import { loader as settlementsCsv } from '#app/routes/settlements[.csv]'
import { autoReceiveOrders, flagLateOrders } from '#app/services/orders/orders.server'
import { writeSettlements } from '#app/services/orders/after-sales.server'
import { orderPaymentHandler } from '#app/services/orders/order-payments.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { resetOrderIntegrations, wireOrderIntegrations } from '#app/services/orders/integrations.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date()
const ctx = { context: {} }
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}
const refunds: { paymentId: string; amountMinor: number; idempotencyKey: string }[] = []
const points: string[] = []

function jsonRequest(p: string, body: unknown, cookie?: string) {
  return new Request(BASE + p, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  })
}
async function payCheckout(checkoutId: string) {
  const paymentId = crypto.randomUUID()
  await t.db
    .transaction()
    .execute((trx) =>
      orderPaymentHandler.onSucceeded(
        trx,
        { id: paymentId, reference_id: checkoutId, amount_minor: 0, currency: 'CNY' },
        new Date(),
      ),
    )
  return paymentId
}
async function checkoutVia(cookie: string, lines: { sessionItemSkuId: string; quantity: number }[], addressId: string) {
  const res = await settle(() =>
    checkoutApi({ request: jsonRequest('/api/checkout', { addressId, lines }, cookie), params: {}, ...ctx }),
  )
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  process.env.UPLOAD_DIR = await mkdtemp(path.join(os.tmpdir(), 'orders-uploads-'))
  t = await createTestDatabase()
  wireOrderIntegrations({
    refundPayment: async (_db, input) => {
      refunds.push(input)
      return { refundId: `re_${refunds.length}`, status: 'succeeded' }
    },
    creditPurchasePoints: async (_trx, input) => {
      points.push(`credit:${input.paidGoodsMinor}`)
    },
    revokePurchasePoints: async (_trx, input) => {
      points.push(`revoke:${input.refundedGoodsMinor}`)
    },
  })
  const brandA = await createBrand(t.db)
  const brandB = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brandA.id, startsAt: new Date(now.getTime() - 3_600_000) })
  const liveB = await createSession(t.db, { brandId: brandB.id, startsAt: new Date(now.getTime() - 3_600_000) })
  const soon = await createSession(t.db, { brandId: brandA.id, startsAt: new Date(now.getTime() + 3_600_000) })
  const pa = await createProduct(t.db, { brandId: brandA.id, title: '真丝衬衫', sizes: ['S', 'M'] })
  const pb = await createProduct(t.db, { brandId: brandB.id, title: '运动鞋' })
  const pc = await createProduct(t.db, { brandId: brandA.id, title: '预告商品' })
  const ia = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: pa.product.id,
    skuIds: pa.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 20,
  })
  const ib = await addSessionItem(t.db, {
    sessionId: liveB.id,
    productId: pb.product.id,
    skuIds: pb.skus.map((s) => s.id),
    basePriceMinor: 5000,
    quantity: 1,
  })
  const ic = await addSessionItem(t.db, {
    sessionId: soon.id,
    productId: pc.product.id,
    skuIds: pc.skus.map((s) => s.id),
    basePriceMinor: 5000,
    quantity: 5,
  })
  const sis = await t.db.selectFrom('session_item_skus').select(['id', 'session_item_id']).execute()
  ids.a = sis.find((s) => s.session_item_id === ia.id)!.id
  ids.b = sis.find((s) => s.session_item_id === ib.id)!.id
  ids.c = sis.find((s) => s.session_item_id === ic.id)!.id
  ids.liveSession = live.id
  ids.productA = pa.product.id
  const vip = await createUser(t.db, { vipLevel: 3 })
  const other = await createUser(t.db)
  const staffA = await createUser(t.db, { role: 'brand_staff', brandId: brandA.id })
  const staffB = await createUser(t.db, { role: 'brand_staff', brandId: brandB.id })
  const operator = await createUser(t.db, { role: 'operator' })
  ids.vip = vip.id
  for (const [k, u] of Object.entries({ vip, other, staffA, staffB, operator }))
    cookies[k] = await cookieFor(t.db, u.id)
})
afterAll(async () => {
  resetOrderIntegrations()
  await t.drop()
})

describe('addresses', () => {
  it("saves own and customer addresses, validates fields, and lists only the owner's", async () => {
    const bad = await settle(() =>
      addressAction({
        request: formRequest(
          '/account/addresses',
          {
            kind: 'own',
            recipient: '',
            phone: 'abc',
            provinceCode: '310000',
            cityCode: '310100',
            districtCode: '310101',
            line: 'y',
          },
          { cookie: cookies.vip },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(bad.status).toBe(400)
    expect((await bad.json()).result.error.phone).toEqual(['orders.errors.phone'])
    for (const kind of ['own', 'customer']) {
      const ok = await settle(() =>
        addressAction({
          request: formRequest(
            '/account/addresses',
            {
              kind,
              recipient: '李四',
              phone: '13900000000',
              provinceCode: '310000',
              cityCode: '310100',
              districtCode: '310101',
              line: '南京路 1 号',
            },
            { cookie: cookies.vip },
          ),
          params: {},
          ...ctx,
        }),
      )
      expect(ok.status).toBe(302)
    }
    await settle(() =>
      addressAction({
        request: formRequest(
          '/account/addresses',
          {
            kind: 'own',
            recipient: '王五',
            phone: '13900000001',
            provinceCode: '110000',
            cityCode: '110100',
            districtCode: '110101',
            line: '长安街 1 号',
          },
          { cookie: cookies.other },
        ),
        params: {},
        ...ctx,
      }),
    )
    const mine = await (
      await settle(() => addressLoader({ request: getRequest('/account/addresses', cookies.vip), params: {}, ...ctx }))
    ).json()
    expect(mine.addresses).toHaveLength(2)
    ids.own = mine.addresses.find((a: { kind: string }) => a.kind === 'own').id
    ids.customer = mine.addresses.find((a: { kind: string }) => a.kind === 'customer').id
    const theirs = await (
      await settle(() =>
        addressLoader({ request: getRequest('/account/addresses', cookies.other), params: {}, ...ctx }),
      )
    ).json()
    ids.otherAddress = theirs.addresses[0].id
    const steal = await settle(() =>
      addressAction({
        request: formRequest(
          '/account/addresses',
          { intent: 'archive', addressId: ids.own },
          { cookie: cookies.other },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(steal.status).toBe(404)
  })
})

describe('cart', () => {
  it('adds live items, refuses items of sessions not live with a 409, edits and groups by brand with the member price', async () => {
    const add = (sessionItemSkuId: string, quantity: string) =>
      settle(() =>
        cartAction({
          request: formRequest('/cart', { intent: 'add-to-cart', sessionItemSkuId, quantity }, { cookie: cookies.vip }),
          params: {},
          ...ctx,
        }),
      )
    expect((await add(ids.a, '2')).status).toBe(200)
    expect((await add(ids.a, '1')).status).toBe(200)
    expect((await add(ids.b, '1')).status).toBe(200)
    const closed = await add(ids.c, '1')
    expect(closed.status).toBe(409)
    expect((await closed.json()).formError.code).toBe('session_closed')
    expect((await add(ids.a, '0')).status).toBe(400)
    const view = await (
      await settle(() => cartLoader({ request: getRequest('/cart', cookies.vip), params: {}, ...ctx }))
    ).json()
    expect(view.cart.brands).toHaveLength(2)
    const line = view.cart.brands
      .flatMap((b: { lines: unknown[] }) => b.lines)
      .find((l: { sessionItemSkuId: string }) => l.sessionItemSkuId === ids.a)
    expect(line).toMatchObject({ quantity: 3, unitPriceMinor: 9200 })
    const upd = await settle(() =>
      cartAction({
        request: formRequest(
          '/cart',
          { intent: 'update', sessionItemSkuId: ids.a, quantity: '2' },
          { cookie: cookies.vip },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(upd.status).toBe(200)
    const denied = await settle(() => cartLoader({ request: getRequest('/cart', cookies.staffA), params: {}, ...ctx }))
    expect(denied.status).toBe(403)
    const anon = await settle(() => cartLoader({ request: getRequest('/cart'), params: {}, ...ctx }))
    expect(anon.status).toBe(302)
  })

  it('checks the cart out into one order per brand, drop-ship to a customer address, and clears it', async () => {
    const res = await settle(() =>
      cartAction({
        request: formRequest('/cart', { intent: 'checkout', addressId: ids.customer }, { cookie: cookies.vip }),
        params: {},
        ...ctx,
      }),
    )
    expect(res.status).toBe(302) // the payment starts after the checkout committed: to the provider's page
    expect(res.headers.get('Location')).toMatch(/^\/pay\/test\/[0-9a-f-]{36}$/)
    const orders = await t.db
      .selectFrom('orders')
      .select(['id', 'checkout_id', 'drop_ship', 'goods_minor'])
      .where('member_id', '=', ids.vip)
      .execute()
    expect(orders).toHaveLength(2)
    expect(new Set(orders.map((o) => o.checkout_id)).size).toBe(1)
    expect(orders.every((o) => o.drop_ship)).toBe(true)
    ids.cartCheckout = orders[0].checkout_id
    const left = await t.db.selectFrom('cart_lines').select('quantity').where('member_id', '=', ids.vip).execute()
    expect(left).toHaveLength(0)
  })
})

describe('POST /api/checkout', () => {
  it('answers 401 signed out, 403 for brand staff, 400 for bad bodies, 409 sold out naming the item, 201 otherwise', async () => {
    expect((await checkoutVia('', [{ sessionItemSkuId: ids.a, quantity: 1 }], ids.own)).status).toBe(401)
    expect((await checkoutVia(cookies.staffA, [{ sessionItemSkuId: ids.a, quantity: 1 }], ids.own)).status).toBe(403)
    const bad = await settle(() =>
      checkoutApi({ request: jsonRequest('/api/checkout', '{not json', cookies.vip), params: {}, ...ctx }),
    )
    expect(bad.status).toBe(400)
    expect((await checkoutVia(cookies.vip, [{ sessionItemSkuId: ids.a, quantity: 0 }], ids.own)).status).toBe(400)
    expect((await checkoutVia(cookies.vip, [{ sessionItemSkuId: ids.a, quantity: 1 }], ids.otherAddress)).status).toBe(
      422,
    )
    const soldOut = await checkoutVia(cookies.other, [{ sessionItemSkuId: ids.b, quantity: 1 }], ids.otherAddress)
    expect(soldOut.status).toBe(409)
    expect(soldOut.body.error).toMatchObject({ code: 'sold_out', item: expect.stringContaining('运动鞋') })
    const closed = await checkoutVia(cookies.other, [{ sessionItemSkuId: ids.c, quantity: 1 }], ids.otherAddress)
    expect(closed.status).toBe(409)
    expect(closed.body.error.code).toBe('session_closed')
    const ok = await checkoutVia(cookies.vip, [{ sessionItemSkuId: ids.a, quantity: 1 }], ids.own)
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ checkoutId: expect.any(String), orderIds: [expect.any(String)], totalMinor: 9200 })
    ids.apiOrder = ok.body.orderIds[0]
  })

  it('the stock endpoint shows states, never counts to signed-out visitors', async () => {
    const anon = await (
      await settle(() =>
        stockApi({
          request: getRequest(`/api/stock/${ids.liveSession}`),
          params: { sessionId: ids.liveSession },
          ...ctx,
        }),
      )
    ).json()
    // States only (in stock, few left, sold out): no count anywhere in the answer.
    expect(
      Object.values(anon.skus).every((s) => ['in_stock', 'low', 'sold_out'].includes((s as { kind: string }).kind)),
    ).toBe(true)
    expect(JSON.stringify(anon)).not.toContain('"left"')
    const member = await (
      await settle(() =>
        stockApi({
          request: getRequest(`/api/stock/${ids.liveSession}`, cookies.vip),
          params: { sessionId: ids.liveSession },
          ...ctx,
        }),
      )
    ).json()
    expect(member.skus[ids.a]).toEqual({ kind: 'in_stock' })
    const few = await t.db
      .updateTable('session_item_skus')
      .set({ available: 3 })
      .where('id', '=', ids.a)
      .returning('id')
      .executeTakeFirstOrThrow()
    const again = await (
      await settle(() =>
        stockApi({
          request: getRequest(`/api/stock/${ids.liveSession}`, cookies.vip),
          params: { sessionId: ids.liveSession },
          ...ctx,
        }),
      )
    ).json()
    expect(again.skus[few.id]).toEqual({ kind: 'low', left: 3 })
    const anonAgain = await (
      await settle(() =>
        stockApi({
          request: getRequest(`/api/stock/${ids.liveSession}`),
          params: { sessionId: ids.liveSession },
          ...ctx,
        }),
      )
    ).json()
    expect(anonAgain.skus[few.id]).toEqual({ kind: 'low' })
    await t.db.updateTable('session_item_skus').set({ available: 17 }).where('id', '=', ids.a).execute()
  })
})

describe('member orders: access, cancel, pay, receive', () => {
  it("lists only the member's own orders; another member gets 404 on the detail", async () => {
    const list = await (
      await settle(() => ordersLoader({ request: getRequest('/orders', cookies.vip), params: {}, ...ctx }))
    ).json()
    expect(list.orders).toHaveLength(3)
    const theirs = await (
      await settle(() => ordersLoader({ request: getRequest('/orders', cookies.other), params: {}, ...ctx }))
    ).json()
    expect(theirs.orders).toHaveLength(0)
    const peek = await settle(() =>
      orderLoader({
        request: getRequest(`/orders/${ids.apiOrder}`, cookies.other),
        params: { orderId: ids.apiOrder },
        ...ctx,
      }),
    )
    expect(peek.status).toBe(404)
    const cancelOthers = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${ids.apiOrder}`, { intent: 'cancel' }, { cookie: cookies.other }),
        params: { orderId: ids.apiOrder },
        ...ctx,
      }),
    )
    expect(cancelOthers.status).toBe(404)
    const anon = await settle(() =>
      orderLoader({ request: getRequest(`/orders/${ids.apiOrder}`), params: { orderId: ids.apiOrder }, ...ctx }),
    )
    expect(anon.status).toBe(302)
  })

  it('cancels before payment and the stock comes back; a second cancel is a 409', async () => {
    const before = (
      await t.db.selectFrom('session_item_skus').select('available').where('id', '=', ids.a).executeTakeFirstOrThrow()
    ).available
    const res = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${ids.apiOrder}`, { intent: 'cancel' }, { cookie: cookies.vip }),
        params: { orderId: ids.apiOrder },
        ...ctx,
      }),
    )
    expect(res.status).toBe(200)
    const after = (
      await t.db.selectFrom('session_item_skus').select('available').where('id', '=', ids.a).executeTakeFirstOrThrow()
    ).available
    expect(after).toBe(before + 1)
    const again = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${ids.apiOrder}`, { intent: 'cancel' }, { cookie: cookies.vip }),
        params: { orderId: ids.apiOrder },
        ...ctx,
      }),
    )
    expect(again.status).toBe(409)
  })

  it('pay starts a payment after the checkout committed; approving it on the test provider marks the orders paid', async () => {
    const order = await t.db
      .selectFrom('orders')
      .select('id')
      .where('checkout_id', '=', ids.cartCheckout)
      .executeTakeFirstOrThrow()
    const res = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${order.id}`, { intent: 'pay' }, { cookie: cookies.vip }),
        params: { orderId: order.id },
        ...ctx,
      }),
    )
    expect(res.status).toBe(302)
    const location = res.headers.get('Location')!
    expect(location).toMatch(/\/pay\/test\/[0-9a-f-]{36}$/)
    const paymentId = location.split('/').pop()!
    const payment = await t.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow()
    expect(payment).toMatchObject({
      purpose: 'order',
      reference_id: ids.cartCheckout,
      amount_minor: 9200 * 2 + 4600,
      payer_user_id: ids.vip,
    })
    await decideTestPayment(t.db, paymentId, 'approve')
    const statuses = await t.db
      .selectFrom('orders')
      .select('status')
      .where('checkout_id', '=', ids.cartCheckout)
      .execute()
    expect(statuses.map((o) => o.status)).toEqual(['paid', 'paid'])
    expect(points).toEqual(expect.arrayContaining(['credit:18400', 'credit:4600']))
    const late = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${order.id}`, { intent: 'pay' }, { cookie: cookies.vip }),
        params: { orderId: order.id },
        ...ctx,
      }),
    )
    expect(late.status).toBe(409)
  })
})

describe('brands ship their own orders', () => {
  it("lists only the brand's own paid orders; the packing list has no prices", async () => {
    const a = await (
      await settle(() => brandLoader({ request: getRequest('/brand/orders', cookies.staffA), params: {}, ...ctx }))
    ).json()
    const b = await (
      await settle(() => brandLoader({ request: getRequest('/brand/orders', cookies.staffB), params: {}, ...ctx }))
    ).json()
    expect(a.orders).toHaveLength(1)
    expect(b.orders).toHaveLength(1)
    expect(a.orders[0].id).not.toBe(b.orders[0].id)
    ids.orderA = a.orders[0].id
    ids.orderB = b.orders[0].id
    const csv = await (
      await settle(() =>
        packingLoader({ request: getRequest('/brand/orders/packing-list', cookies.staffA), params: {}, ...ctx }),
      )
    ).text()
    expect(csv).toContain(ids.orderA)
    expect(csv).not.toContain(ids.orderB)
    // (Ids left out: a random one may hold the digits.)
    expect(csv.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '')).not.toMatch(
      /price|9200|92\.00/,
    )
    expect(
      (await settle(() => brandLoader({ request: getRequest('/brand/orders', cookies.vip), params: {}, ...ctx })))
        .status,
    ).toBe(403)
  })

  it("ships one by one (another brand's order is a 404), and by CSV with per-row errors", async () => {
    const cross = await settle(() =>
      brandAction({
        request: formRequest(
          '/brand/orders',
          { orderId: ids.orderB, carrier: '顺丰', trackingNo: 'SF1234567' },
          { cookie: cookies.staffA },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(cross.status).toBe(404)
    const bad = await settle(() =>
      brandAction({
        request: formRequest(
          '/brand/orders',
          { orderId: ids.orderA, carrier: '顺丰', trackingNo: '!' },
          { cookie: cookies.staffA },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(bad.status).toBe(400)
    const ok = await settle(() =>
      brandAction({
        request: formRequest(
          '/brand/orders',
          { orderId: ids.orderA, carrier: '顺丰', trackingNo: 'SF1234567' },
          { cookie: cookies.staffA },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(ok.status).toBe(200)
    const fd = new FormData()
    fd.set('intent', 'csv')
    fd.set(
      'csv',
      new File(
        [
          `order_id,carrier,tracking_no\n${ids.orderB},中通,ZT998877\n${ids.orderA},中通,ZT11112222\nnot-an-id,中通,ZT1\n${ids.orderB},,ZT1234\n`,
        ],
        'ship.csv',
        { type: 'text/csv' },
      ),
    )
    const res = await settle(() =>
      brandAction({
        request: new Request(BASE + '/brand/orders', { method: 'POST', body: fd, headers: { Cookie: cookies.staffB } }),
        params: {},
        ...ctx,
      }),
    )
    const body = await res.json()
    expect(body.csv.map((r: { ok: boolean; error?: string }) => r.error ?? 'ok')).toEqual([
      'ok',
      'not_found',
      'bad_order_id',
      'bad_carrier',
    ])
  })

  it('flags late orders once, for the brand and the operator', async () => {
    const paid = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('id', '=', ids.a)
      .executeTakeFirstOrThrow()
    const r = await checkoutVia(cookies.other, [{ sessionItemSkuId: paid.id, quantity: 1 }], ids.otherAddress)
    await payCheckout(r.body.checkoutId)
    const later = new Date(Date.now() + 25 * 3_600_000)
    expect(await flagLateOrders(t.db, later)).toBe(1)
    expect(await flagLateOrders(t.db, later)).toBe(0)
    const admin = await (
      await settle(() =>
        adminOrdersLoader({ request: getRequest('/admin/orders', cookies.operator), params: {}, ...ctx }),
      )
    ).json()
    expect(admin.late.map((o: { id: string }) => o.id)).toEqual([r.body.orderIds[0]])
    expect(
      (
        await settle(() =>
          adminOrdersLoader({ request: getRequest('/admin/orders', cookies.staffA), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(403)
  })
})

describe('receipt, after-sales and refunds', () => {
  it('the member confirms receipt; unconfirmed shipments are received automatically after 10 days', async () => {
    const res = await settle(() =>
      orderAction({
        request: formRequest(`/orders/${ids.orderA}`, { intent: 'receive' }, { cookie: cookies.vip }),
        params: { orderId: ids.orderA },
        ...ctx,
      }),
    )
    expect(res.status).toBe(200)
    expect(await autoReceiveOrders(t.db, new Date())).toBe(0)
    expect(await autoReceiveOrders(t.db, new Date(Date.now() + 10 * 86_400_000 + 1000))).toBe(1)
    const b = await t.db.selectFrom('orders').select('status').where('id', '=', ids.orderB).executeTakeFirstOrThrow()
    expect(b.status).toBe('received')
  })

  it('opens a request with photos (type checked), the operator approves a per-line refund through the provider', async () => {
    // A real picture with HTML after its end: the pixels are kept, re-encoded; nothing else is stored.
    const png = Buffer.concat([
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
        .png()
        .toBuffer(),
      Buffer.from('<html><script>alert(1)</script>'),
    ])
    const sendPhoto = (photo: File) => {
      const form = new FormData()
      form.set('intent', 'after-sale')
      form.set('kind', 'refund')
      form.set('reason', '有破洞')
      form.append('photos', photo)
      return settle(() =>
        orderAction({
          request: new Request(BASE + `/orders/${ids.orderA}`, {
            method: 'POST',
            body: form,
            headers: { Cookie: cookies.vip },
          }),
          params: { orderId: ids.orderA },
          ...ctx,
        }),
      )
    }
    expect((await sendPhoto(new File(['<script>'], 'x.png', { type: 'image/png' }))).status).toBe(400)
    // A JPEG header followed by HTML passes the magic-byte check but is no picture: refused, nothing stored.
    const fakeJpeg = Buffer.concat([
      Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ])
    expect((await sendPhoto(new File([fakeJpeg], 'x.jpg', { type: 'image/jpeg' }))).status).toBe(400)
    expect(await readdir(path.join(process.env.UPLOAD_DIR!, 'after-sales', ids.orderA)).catch(() => [])).toEqual([])
    const fd = new FormData()
    fd.set('intent', 'after-sale')
    fd.set('kind', 'return_refund')
    fd.set('reason', '有破洞')
    fd.append('photos', new File([png], 'hole.png', { type: 'image/png' }))
    const res = await settle(() =>
      orderAction({
        request: new Request(BASE + `/orders/${ids.orderA}`, {
          method: 'POST',
          body: fd,
          headers: { Cookie: cookies.vip },
        }),
        params: { orderId: ids.orderA },
        ...ctx,
      }),
    )
    expect(res.status).toBe(200)
    const stored = await readdir(path.join(process.env.UPLOAD_DIR!, 'after-sales', ids.orderA))
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatch(/\.webp$/)
    const bytes = await readFile(path.join(process.env.UPLOAD_DIR!, 'after-sales', ids.orderA, stored[0]!))
    expect(bytes.subarray(8, 12).toString()).toBe('WEBP')
    expect(bytes.includes('<script')).toBe(false)
    const list = await (
      await settle(() =>
        afterSalesLoader({ request: getRequest('/admin/after-sales', cookies.operator), params: {}, ...ctx }),
      )
    ).json()
    const req = list.requests[0]
    expect(req.photos).toHaveLength(1)
    expect(
      (
        await settle(() =>
          afterSalesLoader({ request: getRequest('/admin/after-sales', cookies.vip), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(403)
    const line = req.lines[0]
    const approve = await settle(() =>
      afterSalesAction({
        request: formRequest(
          '/admin/after-sales',
          { intent: 'approve', scope: 'lines', requestId: req.id, [`qty:${line.id}`]: '1' },
          { cookie: cookies.operator },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(approve.status).toBe(200)
    expect(refunds.at(-1)).toMatchObject({ amountMinor: 9200, idempotencyKey: expect.stringMatching(/^order-refund:/) })
    expect(points.at(-1)).toBe('revoke:9200')
    const order = await t.db
      .selectFrom('orders')
      .select(['status', 'refunded_minor'])
      .where('id', '=', ids.orderA)
      .executeTakeFirstOrThrow()
    expect(order).toEqual({ status: 'received', refunded_minor: 9200 })
    const twice = await settle(() =>
      afterSalesAction({
        request: formRequest(
          '/admin/after-sales',
          { intent: 'reject', requestId: req.id, note: '重复' },
          { cookie: cookies.operator },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(twice.status).toBe(409)
  })

  it('the operator rejects with a reason; a full refund marks the order refunded', async () => {
    const fd = new FormData()
    fd.set('intent', 'after-sale')
    fd.set('kind', 'refund')
    fd.set('reason', '不想要了')
    await settle(() =>
      orderAction({
        request: new Request(BASE + `/orders/${ids.orderA}`, {
          method: 'POST',
          body: fd,
          headers: { Cookie: cookies.vip },
        }),
        params: { orderId: ids.orderA },
        ...ctx,
      }),
    )
    let list = await (
      await settle(() =>
        afterSalesLoader({ request: getRequest('/admin/after-sales', cookies.operator), params: {}, ...ctx }),
      )
    ).json()
    const noReason = await settle(() =>
      afterSalesAction({
        request: formRequest(
          '/admin/after-sales',
          { intent: 'reject', requestId: list.requests[0].id, note: '' },
          { cookie: cookies.operator },
        ),
        params: {},
        ...ctx,
      }),
    )
    expect(noReason.status).toBe(400)
    await settle(() =>
      afterSalesAction({
        request: formRequest(
          '/admin/after-sales',
          { intent: 'reject', requestId: list.requests[0].id, note: '超出范围' },
          { cookie: cookies.operator },
        ),
        params: {},
        ...ctx,
      }),
    )
    await settle(() =>
      orderAction({
        request: new Request(BASE + `/orders/${ids.orderA}`, {
          method: 'POST',
          body: (() => {
            const f = new FormData()
            f.set('intent', 'after-sale')
            f.set('kind', 'refund')
            f.set('reason', '质量问题')
            return f
          })(),
          headers: { Cookie: cookies.vip },
        }),
        params: { orderId: ids.orderA },
        ...ctx,
      }),
    )
    list = await (
      await settle(() =>
        afterSalesLoader({ request: getRequest('/admin/after-sales', cookies.operator), params: {}, ...ctx }),
      )
    ).json()
    await settle(() =>
      afterSalesAction({
        request: formRequest(
          '/admin/after-sales',
          { intent: 'approve', scope: 'full', requestId: list.requests[0].id },
          { cookie: cookies.operator },
        ),
        params: {},
        ...ctx,
      }),
    )
    const order = await t.db
      .selectFrom('orders')
      .select(['status', 'refunded_minor', 'goods_minor'])
      .where('id', '=', ids.orderA)
      .executeTakeFirstOrThrow()
    expect(order.status).toBe('refunded')
    expect(order.refunded_minor).toBe(order.goods_minor)
  })
})

describe('settlement', () => {
  it('writes paid − refunds − commission per brand per session after the after-sale deadline, once', async () => {
    expect(await writeSettlements(t.db, new Date())).toBe(0)
    const after = new Date(Date.now() + 10 * 86_400_000)
    const written = await writeSettlements(t.db, after)
    expect(written).toBe(2)
    expect(await writeSettlements(t.db, after)).toBe(0)
    const a = await t.db
      .selectFrom('settlements')
      .selectAll()
      .where('session_id', '=', ids.liveSession)
      .executeTakeFirstOrThrow()
    // Brand A: paid 2 × 9200 (VIP3) + 1 × 10000 (trial, late order); refunded 18400; commission 10% of the net.
    expect(a).toMatchObject({ paid_minor: 28400, refunded_minor: 18400, commission_minor: 1000, payable_minor: 9000 })
    const csvA = await (
      await settle(() =>
        settlementsCsv({ request: getRequest('/settlements.csv', cookies.staffA), params: {}, ...ctx }),
      )
    ).text()
    expect(csvA.trim().split('\r\n')).toHaveLength(2)
    const csvAll = await (
      await settle(() =>
        settlementsCsv({ request: getRequest('/settlements.csv', cookies.operator), params: {}, ...ctx }),
      )
    ).text()
    expect(csvAll.trim().split('\r\n')).toHaveLength(3)
    expect(
      (await settle(() => settlementsCsv({ request: getRequest('/settlements.csv', cookies.vip), params: {}, ...ctx })))
        .status,
    ).toBe(403)
  })
})

describe('malformed input', () => {
  it('every orders action answers malformed bodies with 4xx, never 500', async () => {
    const garbage = [
      () =>
        new Request(BASE + '/x', {
          method: 'POST',
          body: 'a=%ZZ&&=',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      () =>
        new Request(BASE + '/x', {
          method: 'POST',
          body: '--nope\r\n',
          headers: { 'Content-Type': 'multipart/form-data; boundary=zzz' },
        }),
      () => new Request(BASE + '/x', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }),
    ]
    const cases: [string, (r: Request) => Promise<unknown>][] = [
      [cookies.vip, (request) => cartAction({ request, params: {}, ...ctx })],
      [cookies.vip, (request) => addressAction({ request, params: {}, ...ctx })],
      [cookies.vip, (request) => orderAction({ request, params: { orderId: ids.orderA }, ...ctx })],
      [cookies.vip, (request) => checkoutApi({ request, params: {}, ...ctx })],
      [cookies.staffA, (request) => brandAction({ request, params: {}, ...ctx })],
      [cookies.operator, (request) => afterSalesAction({ request, params: {}, ...ctx })],
    ]
    for (const [cookie, run] of cases) {
      for (const make of garbage) {
        const base = make()
        const request = new Request(base, { headers: { ...Object.fromEntries(base.headers), Cookie: cookie } })
        const res = await settle(() => run(request))
        expect(res.status, `${res.status}`).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
      }
    }
  })
})
