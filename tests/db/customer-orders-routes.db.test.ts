import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertShareLink } from '#db/queries/reseller'
import { action as shareAction } from '#app/routes/s.$token'
import { action as orderAction, loader as orderLoader } from '#app/routes/o.$token'
import { loader as payLoader } from '#app/routes/o.$token.pay'
import { loader as customersLoader } from '#app/routes/reseller.customers'
import { loader as earningsLoader } from '#app/routes/reseller.earnings'
import { loader as brandOrdersLoader } from '#app/routes/brand.orders'
import { decideTestPayment } from '#app/services/payments/index.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} })
let shareToken = ''
let skuId = ''
let lastSku = ''
let brandStaffCookie = ''
let resellerCookie = ''
let otherMemberCookie = ''
const RETAIL = 15_900
const OWN = 9_700

const good = (over: Record<string, string | string[]> = {}) => ({
  line: [`${skuId}:1`],
  name: '王小姐',
  phone: '13912345678',
  provinceCode: '310000',
  cityCode: '310100',
  districtCode: '310104',
  address: '漕溪北路 88 号',
  idempotencyKey: randomUUID(),
  ...over,
})
const order = (fields: Record<string, string | string[]>, token = shareToken, cookie?: string) =>
  settle(() => shareAction(args(formRequest(`/s/${token}`, fields, { cookie }), { token })))
/** An order from a device of its own (each device has its own limit of unpaid orders). */
const orderFromNewDevice = (fields: Record<string, string | string[]>) =>
  order(fields, shareToken, `cid=${randomUUID().replace(/-/g, '')}`)
const payStep = (token: string) => settle(() => payLoader(args(getRequest(`/o/${token}/pay`), { token })))
/** The order's token from the order form's redirect to her pay step. */
const tokenOf = (res: Response) => /^\/o\/([A-Za-z0-9_-]{32})\/pay$/.exec(res.headers.get('Location') ?? '')?.[1] ?? ''
const paymentsOf = async (token: string) => {
  const co = await t.db
    .selectFrom('customer_orders')
    .select('checkout_id')
    .where('token', '=', token)
    .executeTakeFirst()
  return t.db
    .selectFrom('payments')
    .select(['id', 'status'])
    .where('purpose', '=', 'customer_order')
    .where('reference_id', '=', co?.checkout_id ?? '')
    .execute()
}

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, {
    brandId: brand.id,
    sizes: ['M', 'L'],
    colours: ['黑色'],
    title: '羊毛大衣',
  })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: 10_000,
    quantity: 5,
  })
  const rows = await t.db
    .selectFrom('session_item_skus')
    .select('id')
    .where('session_item_id', '=', item.id)
    .orderBy('id')
    .execute()
  skuId = rows[0]!.id
  lastSku = rows[1]!.id
  await t.db.updateTable('session_item_skus').set({ available: 1, allocated: 1 }).where('id', '=', lastSku).execute()
  const reseller = await createUser(t.db, { vipLevel: 1, displayName: '杭州Lily' })
  shareToken = 'routes' + randomUUID().replace(/-/g, '')
  await insertShareLink(t.db, {
    token: shareToken,
    userId: reseller.id,
    sessionId: session.id,
    kind: 'list',
    now: new Date(),
    items: [{ itemId: item.id, priceMinor: RETAIL, currency: 'CNY' }],
  })
  resellerCookie = await cookieFor(t.db, reseller.id)
  otherMemberCookie = await cookieFor(t.db, (await createUser(t.db)).id)
  brandStaffCookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brand.id })).id)
})
afterAll(() => t.drop())

describe('the share page checkout (no account)', () => {
  it('answers malformed orders with 400 and field messages, never 5xx', async () => {
    const cases: Record<string, string | string[]>[] = [
      {},
      good({ line: [] }),
      good({ line: ['not-a-line'] }),
      good({ line: [`${skuId}:0`] }),
      good({ phone: 'abc' }),
      good({ name: '' }),
      good({ email: 'nope' }),
      good({ idempotencyKey: 'x' }),
      good({ address: 'x'.repeat(500) }),
      good({ provinceCode: '' }),
      good({ districtCode: '3101' }),
    ]
    for (const fields of cases) {
      const res = await order(fields)
      expect(res.status, JSON.stringify(fields)).toBe(400)
      // The app's one form contract: Conform's reply, field messages by field name.
      const { result } = (await res.json()) as { result: { status: string; error: Record<string, string[]> } }
      expect(result.status).toBe('error')
      expect(Object.keys(result.error).length).toBeGreaterThan(0)
    }
  })

  it('places an order and sends the customer to the payment; refusals carry no count and no price', async () => {
    // Province, city and district must belong together: a Hangzhou district under Shanghai is refused.
    const mixed = await order(good({ districtCode: '330106' }))
    expect(mixed.status).toBe(400)
    expect(((await mixed.json()) as { result: { error: object } }).result.error).toEqual({
      region: ['addresses.errors.region'],
    })

    const fields = good()
    const res = await order(fields)
    expect(res.status).toBe(302)
    // The order's answer is her pay step; no payment exists until she gets there.
    expect(res.headers.get('Location')).toMatch(/^\/o\/[A-Za-z0-9_-]{32}\/pay$/)
    expect(await paymentsOf(tokenOf(res))).toEqual([])
    const pay = await payStep(tokenOf(res))
    expect(pay.status).toBe(302)
    expect(pay.headers.get('Location')).toMatch(/^\/pay\/test\/[0-9a-f-]{36}$/)
    const stored = await t.db
      .selectFrom('customer_orders')
      .select(['region', 'line'])
      .where('idempotency_key', '=', fields.idempotencyKey as string)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ region: '上海市 徐汇区', line: '漕溪北路 88 号' })

    const first = await order(good({ line: [`${lastSku}:1`], phone: '13700000001' }))
    expect(first.status).toBe(302)
    const soldOut = await order(good({ line: [`${lastSku}:1`], phone: '13700000002' }))
    expect(soldOut.status).toBe(409)
    const refusal = (await soldOut.json()) as { result: { error: Record<string, string[]> }; formError: object }
    expect(refusal.result.error['']).toEqual(['customerOrders.refusal.sold_out'])
    expect(refusal.formError).toEqual({ code: 'sold_out', item: expect.stringMatching(/^羊毛大衣 黑色\/[ML]$/) })
    // What the refusal says names no count and no price, and it does not echo her details: it reads the same for
    // everyone refused the same way (her share page with it is rendered once for all of them).
    const body = JSON.stringify(refusal)
    expect(body).not.toMatch(/available|only|left|\d{4,}/)
    expect(body).not.toContain('13700000002')

    const unknown = await order(good({ line: [`${randomUUID()}:1`] }))
    expect(unknown.status).toBe(409)
    expect(JSON.stringify(await unknown.json())).toContain('unknown_item')
    expect((await order(good(), 'no-such-share-token-xxxxxxxx')).status).toBe(409)
  })
})

describe('the pay step', () => {
  it('opens one payment per order: a reload or a second tab takes up the same one', async () => {
    const token = tokenOf(await orderFromNewDevice(good({ phone: '13600000011' })))
    const [a, b] = await Promise.all([payStep(token), payStep(token)])
    const again = await payStep(token)
    const where = [a, b, again].map((r) => r.headers.get('Location'))
    expect(where[0]).toMatch(/^\/pay\/test\/[0-9a-f-]{36}$/)
    expect(new Set(where).size).toBe(1)
    expect(a.headers.get('Cache-Control')).toBe('no-store')
    expect(await paymentsOf(token)).toHaveLength(1)
    // The order page's pay button leads to the same step.
    const button = await settle(() => orderAction(args(formRequest(`/o/${token}`, { intent: 'pay' }), { token })))
    expect(button.headers.get('Location')).toBe(`/o/${token}/pay`)
  })

  it('opens a new payment after a declined one', async () => {
    const token = tokenOf(await orderFromNewDevice(good({ phone: '13600000012' })))
    const first = (await payStep(token)).headers.get('Location')!.split('/').pop()!
    await decideTestPayment(t.db, first, 'decline')
    const second = (await payStep(token)).headers.get('Location')!.split('/').pop()!
    expect(second).not.toBe(first)
    expect((await paymentsOf(token)).map((p) => p.status).sort()).toEqual(['failed', 'pending'])
  })

  it('never pays an order past its deadline, and is 404 for a token that names no order', async () => {
    const token = tokenOf(await orderFromNewDevice(good({ phone: '13600000013' })))
    await t.db
      .updateTable('checkouts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', (qb) =>
        qb.selectFrom('customer_orders').select('checkout_id').where('token', '=', token).limit(1),
      )
      .execute()
    const expired = await payStep(token)
    expect(expired.status).toBe(302)
    expect(expired.headers.get('Location')).toBe(`/o/${token}`)
    expect(await paymentsOf(token)).toEqual([])
    for (const wrong of ['a'.repeat(32), 'x', token.slice(1) + '_'])
      expect((await payStep(wrong)).status, wrong).toBe(404)
  })
})

describe('the private order page', () => {
  it('is 404 for unknown or malformed tokens and shows the customer only retail prices', async () => {
    expect(await settle(() => orderLoader(args(getRequest('/o/x'), { token: 'x' })))).toMatchObject({ status: 404 })
    const unknown = 'a'.repeat(32)
    expect(await settle(() => orderLoader(args(getRequest(`/o/${unknown}`), { token: unknown })))).toMatchObject({
      status: 404,
    })

    const res = await order(good({ phone: '13600000003' }))
    const paymentId = (await payStep(tokenOf(res))).headers.get('Location')!.split('/').pop()!
    await decideTestPayment(t.db, paymentId, 'approve')
    const co = await t.db
      .selectFrom('customer_orders')
      .select('token')
      .where('phone', '=', '13600000003')
      .executeTakeFirstOrThrow()
    const page = await settle(() => orderLoader(args(getRequest(`/o/${co.token}`), { token: co.token })))
    expect(page.status).toBe(200)
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer')
    const text = await page.text()
    expect(text).toContain(String(RETAIL))
    expect(text).not.toContain(String(OWN))
    // Field names only: the random token and test names may spell anything.
    const fields: string[] = []
    JSON.parse(text, (key: string, value: unknown) => (fields.push(key), value))
    expect(fields.filter((f) => /vip|level|own|unit_?price|goods/i.test(f))).toEqual([])
    expect(fields).toContain('retailUnitMinor')

    const bad = await settle(() =>
      orderAction(args(formRequest(`/o/${co.token}`, { intent: 'dance' }), { token: co.token })),
    )
    expect(bad.status).toBe(400)
    const notUuid = await settle(() =>
      orderAction(args(formRequest(`/o/${co.token}`, { intent: 'receive', orderId: 'x' }), { token: co.token })),
    )
    expect(notUuid.status).toBe(400)
    const notHers = await settle(() =>
      orderAction(
        args(formRequest(`/o/${co.token}`, { intent: 'receive', orderId: randomUUID() }), { token: co.token }),
      ),
    )
    expect(notHers.status).toBe(404)
    const orderId = (
      await t.db
        .selectFrom('orders as o')
        .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
        .select('o.id')
        .where('co.token', '=', co.token)
        .executeTakeFirstOrThrow()
    ).id
    const notShipped = await settle(() =>
      orderAction(args(formRequest(`/o/${co.token}`, { intent: 'receive', orderId }), { token: co.token })),
    )
    expect(notShipped.status).toBe(409)
    const noReason = await settle(() =>
      orderAction(
        args(formRequest(`/o/${co.token}`, { intent: 'after-sale', orderId, kind: 'refund', reason: '' }), {
          token: co.token,
        }),
      ),
    )
    expect(noReason.status).toBe(400)
  })
})

describe('who sees what', () => {
  it('the reseller pages are hers: anonymous → sign in, brand staff → 403, another member sees none of hers', async () => {
    for (const loader of [customersLoader, earningsLoader]) {
      const anon = await settle(() => loader(args(getRequest('/reseller/customers'))))
      expect(anon.status).toBe(302)
      expect((await settle(() => loader(args(getRequest('/reseller/customers', brandStaffCookie))))).status).toBe(403)
    }
    const mine = await (
      await settle(() => customersLoader(args(getRequest('/reseller/customers', resellerCookie))))
    ).text()
    expect(mine).toContain('136****0003')
    expect(mine).not.toContain('13600000003')
    const other = await (
      await settle(() => customersLoader(args(getRequest('/reseller/customers', otherMemberCookie))))
    ).text()
    expect(other).not.toContain('王小姐')
    const earnings = (await (
      await settle(() => earningsLoader(args(getRequest('/reseller/earnings', resellerCookie))))
    ).json()) as { balance: { pendingMinor: number } }
    expect(earnings.balance.pendingMinor).toBe(RETAIL - OWN)
  })

  it('the brand sees the customer parcel with the shop as sender and never the retail price', async () => {
    const res = await settle(() => brandOrdersLoader(args(getRequest('/brand/orders', brandStaffCookie))))
    const text = await res.text()
    expect(text).toContain('杭州Lily')
    expect(text).toContain('王小姐')
    expect(text).not.toContain(String(RETAIL))
  })
})
