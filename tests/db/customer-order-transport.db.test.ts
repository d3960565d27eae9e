import { randomUUID } from 'node:crypto'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertShareLink, upsertResellerPrices } from '#db/queries/reseller'
import { setShopHandle } from '#app/services/reseller/shop.server'
import { localeCookie } from '#app/utils/locale.server'
import { startServer, type BenchServer } from '#tests/bench/harness'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { freePort } from '#tests/setup/free-port'
import { requestLoopback } from '#tests/setup/loopback-server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The customers' order form on the built server: a valid order is answered before Express and Remix by the order
// transport (app/server/checkout-transport.ts), everything else by the share page's own action, with the same
// replies either way. Stripe is configured on a closed port here, so a pay step cannot reach the provider.

let t: TestDatabase
let server: BenchServer
let token = ''
let skuId = ''
let lastSku = ''
let handle = ''
let port = 0

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
    quantity: 20,
  })
  const rows = await t.db
    .selectFrom('session_item_skus')
    .select('id')
    .where('session_item_id', '=', item.id)
    .orderBy('id')
    .execute()
  skuId = rows[0]!.id
  lastSku = rows[1]!.id
  await t.db.updateTable('session_item_skus').set({ available: 0 }).where('id', '=', lastSku).execute()
  const reseller = await createUser(t.db, { vipLevel: 1, displayName: '杭州Lily' })
  await t.db
    .insertInto('reseller_profiles')
    .values({ user_id: reseller.id, display_name: '杭州Lily', wechat_id: 'lily_t', phone: '13800000009' })
    .execute()
  token = 'transport' + randomUUID().replace(/-/g, '')
  await insertShareLink(t.db, {
    token,
    userId: reseller.id,
    sessionId: session.id,
    kind: 'list',
    now: new Date(),
    items: [{ itemId: item.id, priceMinor: 15_900, currency: 'CNY' }],
  })
  // Her shop sells the same coat.
  handle = `shop-${randomUUID().slice(0, 8)}`
  await setShopHandle(t.db, reseller.id, handle, new Date())
  await t.db.insertInto('shop_items').values({ user_id: reseller.id, session_item_id: item.id, position: 1 }).execute()
  await upsertResellerPrices(t.db, reseller.id, [{ itemId: item.id, priceMinor: 16_900, currency: 'CNY' }], new Date())
  port = await freePort()
  server = await startServer({
    name: 'customer-order-transport',
    databaseUrl: t.url,
    port,
    env: { BENCH_ROUTES: '0', PUBLIC_URL: `http://127.0.0.1:${port}` },
  })
}, 240_000)
afterAll(async () => {
  await server?.kill()
  await t?.drop()
})

let phone = 13_500_000_000
const form = (over: Record<string, string> = {}) => {
  const body = new URLSearchParams({
    line: `${skuId}:1`,
    name: '王小姐',
    phone: String(phone++),
    provinceCode: '310000',
    cityCode: '310100',
    districtCode: '310104',
    address: '漕溪北路 88 号',
    idempotencyKey: randomUUID(),
    ...over,
  })
  return body
}
const post = (
  body: URLSearchParams,
  { data = false, headers = {} as Record<string, string>, page = `/s/${token}` } = {},
) =>
  fetch(`${server.baseUrl}${page}${data ? `?_data=${encodeURIComponent('routes/s.$token')}` : ''}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { cookie: `cid=${randomUUID().replace(/-/g, '')}`, ...headers },
  })
const ordersWith = async (key: string) =>
  (await t.db.selectFrom('customer_orders').select('token').where('idempotency_key', '=', key).execute()).map(
    (r) => r.token,
  )

describe('the order form on the server', () => {
  it('answers a valid order with her pay step, as a form and as the page’s data request', async () => {
    const body = form()
    const res = await post(body)
    expect(res.status).toBe(302)
    const [placed] = await ordersWith(body.get('idempotencyKey')!)
    expect(res.headers.get('location')).toBe(`/o/${placed}/pay`)
    // The answer carries the server's security headers like every other.
    expect(res.headers.get('x-frame-options')).toBe('DENY')

    const viaScript = form()
    const data = await post(viaScript, { data: true })
    expect(data.status).toBe(204)
    const [second] = await ordersWith(viaScript.get('idempotencyKey')!)
    expect(data.headers.get('x-remix-redirect')).toBe(`/o/${second}/pay`)
    expect(data.headers.get('x-remix-status')).toBe('302')
    // The same key again: the same order, no second one.
    expect((await post(viaScript, { data: true })).headers.get('x-remix-redirect')).toBe(`/o/${second}/pay`)
    expect(await ordersWith(viaScript.get('idempotencyKey')!)).toHaveLength(1)
  })

  it('hands invalid input to the page, which answers 400 with the field messages in place', async () => {
    const data = await post(form({ phone: 'abc', name: '' }), { data: true })
    expect(data.status).toBe(400)
    const { result } = (await data.json()) as { result: { error: Record<string, string[]> } }
    expect(result.error).toMatchObject({
      phone: ['customerOrders.errors.phone'],
      name: ['customerOrders.errors.required'],
    })
    const page = await post(form({ phone: 'abc' }))
    expect(page.status).toBe(400)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('请填写正确的手机号。')
  })

  it('answers a refusal naming the item, to the script as JSON and to a form as the page', async () => {
    const data = await post(form({ line: `${lastSku}:1` }), { data: true })
    expect(data.status).toBe(409)
    expect(await data.json()).toMatchObject({
      formError: { code: 'sold_out', item: expect.stringMatching(/^羊毛大衣 黑色\/[ML]$/) },
    })
    const page = await post(form({ line: `${lastSku}:1` }))
    expect(page.status).toBe(409)
    expect(await page.text()).toMatch(/羊毛大衣 黑色\/[ML] 已抢光或库存不足。/)
  })

  it('answers every customer refused the same way with one render of the page, without her details, in her language', async () => {
    // A sold-out tail at once: the page is rendered once (each render has its own nonce) and sent to all of them.
    const refused = (name: string, cookie = `cid=${randomUUID().replace(/-/g, '')}`) =>
      post(form({ line: `${lastSku}:1`, name, address: `${name}的地址` }), { headers: { cookie } }).then(async (r) => ({
        status: r.status,
        cookies: r.headers.getSetCookie(),
        html: await r.text(),
      }))
    const names = Array.from({ length: 12 }, (_, i) => `顾客甲${i}`)
    const answers = await Promise.all(names.map((name) => refused(name)))
    for (const a of answers) {
      expect(a.status).toBe(409)
      expect(a.html).toMatch(/羊毛大衣 黑色\/[ML] 已抢光或库存不足。/)
      // What one customer typed is never on a page another is sent.
      for (const name of names) expect(a.html).not.toContain(name)
    }
    expect(new Set(answers.map((a) => a.html)).size).toBe(1)
    // A device without its cookies still gets them with the kept page.
    const fresh = await refused('顾客乙', '')
    expect(fresh.html).toBe(answers[0]!.html)
    expect(fresh.cookies.some((c) => c.startsWith('cid='))).toBe(true)
    // In English, her page in English.
    const en = (await localeCookie.serialize('en')).split(';')[0]!
    const english = await Promise.all([0, 1].map((i) => refused(`Customer ${i}`, en)))
    for (const a of english) expect(a.html).toMatch(/is sold out or not enough left\./)
    expect(english[0]!.html).toBe(english[1]!.html)
    expect(english[0]!.html).not.toBe(answers[0]!.html)
  })

  it('answers her shop’s refusals the same way: one render per page address and language, without her details', async () => {
    const refused = (name: string, page: string, cookie = `cid=${randomUUID().replace(/-/g, '')}`) =>
      post(form({ line: `${lastSku}:1`, name, address: `${name}的地址` }), {
        page,
        headers: { cookie },
      }).then(async (r) => ({ status: r.status, cookies: r.headers.getSetCookie(), html: await r.text() }))
    const shop = `/shop/${handle}`
    const names = Array.from({ length: 12 }, (_, i) => `店铺顾客${i}`)
    const answers = await Promise.all(names.map((name) => refused(name, shop)))
    for (const a of answers) {
      expect(a.status).toBe(409)
      expect(a.html).toMatch(/羊毛大衣 黑色\/[ML] 已抢光或库存不足。/)
      for (const name of names) expect(a.html).not.toContain(name)
    }
    // One render (each has its own nonce) for all of them.
    expect(new Set(answers.map((a) => a.html)).size).toBe(1)
    const fresh = await refused('店铺顾客乙', shop, '')
    expect(fresh.html).toBe(answers[0]!.html)
    expect(fresh.cookies.some((c) => c.startsWith('cid='))).toBe(true)
    // Her shop filtered is another page (its filters are in it): its own render, kept for that address alone.
    const filtered = await Promise.all(
      [0, 1, 2].map((i) => refused(`筛选顾客${i}`, `${shop}?q=${encodeURIComponent('大衣')}`)),
    )
    expect(new Set(filtered.map((a) => a.html)).size).toBe(1)
    expect(filtered[0]!.html).not.toBe(answers[0]!.html)
    expect(filtered[0]!.html).toContain('value="大衣"')
    // In English, her shop in English.
    const en = (await localeCookie.serialize('en')).split(';')[0]!
    const english = await Promise.all([0, 1].map((i) => refused(`Shopper ${i}`, shop, en)))
    for (const a of english) expect(a.html).toMatch(/is sold out or not enough left\./)
    expect(english[0]!.html).toBe(english[1]!.html)
    expect(english[0]!.html).not.toBe(answers[0]!.html)
  })

  it('sends a kept refusal page compressed as the client takes it, the same page decoded', async () => {
    for (const page of [`/s/${token}`, `/shop/${handle}`]) {
      const refused = (acceptEncoding?: string) =>
        requestLoopback(port, {
          method: 'POST',
          path: page,
          body: form({ line: `${lastSku}:1` }).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `cid=${randomUUID().replace(/-/g, '')}`,
            ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
          },
        })
      // The first is rendered and kept; the others are sent from the kept page.
      const first = await refused()
      expect(first.status).toBe(409)
      const [plain, brotli, gzip, refusesBoth] = await Promise.all([
        refused(),
        refused('gzip, deflate, br'),
        refused('gzip, deflate'),
        refused('br;q=0, gzip;q=0'),
      ])
      for (const a of [plain, brotli, gzip, refusesBoth]) {
        expect(a.status).toBe(409)
        expect(a.headers.vary).toMatch(/Accept-Encoding/)
      }
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(refusesBoth.headers['content-encoding']).toBeUndefined()
      expect(brotli.headers['content-encoding']).toBe('br')
      expect(gzip.headers['content-encoding']).toBe('gzip')
      expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length)
      expect(brotli.body.length).toBeLessThan(plain.body.length / 3)
      const html = plain.body.toString()
      expect(html).toMatch(/羊毛大衣 黑色\/[ML] 已抢光或库存不足。/)
      expect(first.body.toString()).toBe(html)
      expect(refusesBoth.body.toString()).toBe(html)
      expect(brotliDecompressSync(brotli.body).toString()).toBe(html)
      expect(gunzipSync(gzip.body).toString()).toBe(html)
    }
  })

  it('refuses a cross-site order', async () => {
    const body = form()
    const res = await post(body, { headers: { origin: 'https://evil.example' } })
    expect(res.status).toBe(403)
    expect(await ordersWith(body.get('idempotencyKey')!)).toEqual([])
  })

  it('sends her to her order page, saying so, when the payment provider cannot be reached', async () => {
    const body = form()
    await post(body)
    const [placed] = await ordersWith(body.get('idempotencyKey')!)
    const pay = await fetch(`${server.baseUrl}/o/${placed}/pay`, { redirect: 'manual' })
    expect(pay.status).toBe(302)
    expect(pay.headers.get('location')).toBe(`/o/${placed}?payment=unavailable`)
    const page = await fetch(`${server.baseUrl}/o/${placed}?payment=unavailable`)
    expect(await page.text()).toContain('暂时无法发起支付')
    expect((await fetch(`${server.baseUrl}/o/${'a'.repeat(32)}/pay`, { redirect: 'manual' })).status).toBe(404)
  })

  it('answers every order and every refusal while admission control turns pages away busy', async () => {
    // One page at a time and none queued: pages asked at once beyond that are answered 503. Orders wait in the
    // checkout's own queue, and an order refused on a page without JavaScript is re-rendered at once: never a 503.
    port = await freePort()
    const busy = await startServer({
      name: 'customer-order-transport-busy',
      databaseUrl: t.url,
      port,
      env: {
        BENCH_ROUTES: '0',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        MAX_CONCURRENT_REQUESTS: '1',
        MAX_QUEUED_REQUESTS: '0',
      },
    })
    try {
      const at = (path: string, init?: RequestInit) =>
        fetch(`${busy.baseUrl}${path}`, { redirect: 'manual', ...init }).then(async (r) => {
          await r.arrayBuffer()
          return r.status
        })
      const order = (body: URLSearchParams) =>
        at(`/s/${token}`, { method: 'POST', body, headers: { cookie: `cid=${randomUUID().replace(/-/g, '')}` } })
      const placed = Array.from({ length: 6 }, () => form())
      const [pages, orders, refusals] = await Promise.all([
        Promise.all(Array.from({ length: 24 }, () => at('/'))),
        Promise.all(placed.map(order)),
        Promise.all(Array.from({ length: 4 }, () => order(form({ line: `${lastSku}:1` })))),
      ])
      expect(pages).toContain(503)
      expect(orders).toEqual(placed.map(() => 302))
      expect(refusals).toEqual([409, 409, 409, 409])
      for (const body of placed) expect(await ordersWith(body.get('idempotencyKey')!)).toHaveLength(1)
    } finally {
      await busy.kill()
    }
  }, 120_000)
})
