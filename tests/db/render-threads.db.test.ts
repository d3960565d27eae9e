import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFor } from '#tests/bench/fixtures'
import { startServer, type BenchServer } from '#tests/bench/harness'
import { addSessionItem, createBrand, createBuyer, createProduct, createSession } from '#tests/fixtures/factories'
import { freePort } from '#tests/setup/free-port'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// app/server/main.ts with a render thread (RENDER_THREADS=1) against a test database: pages are rendered on the
// thread, orders commit on the main thread, and the session page a member loads right after her 201 shows the
// stock she took although the thread kept the page's reads a moment before (the drop crosses threads). Uses the
// production build, rebuilt first when a source under app/ is newer.

const DATA = `?_data=${encodeURIComponent('routes/sessions.$sessionId')}`

describe('pages on a render thread (RENDER_THREADS=1)', () => {
  let t: TestDatabase
  let server: BenchServer | null = null
  let sessionId: string
  let skuId: string
  let buyer: { id: string; addressId: string }
  let cookie: string
  beforeAll(async () => {
    t = await createTestDatabase()
    const brand = await createBrand(t.db)
    sessionId = (await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })).id
    const p = await createProduct(t.db, { brandId: brand.id })
    await addSessionItem(t.db, {
      sessionId,
      productId: p.product.id,
      skuIds: [p.skus[0].id],
      basePriceMinor: 10_000,
      quantity: 3,
    })
    skuId = (await t.db.selectFrom('session_item_skus').select('id').executeTakeFirstOrThrow()).id
    buyer = await createBuyer(t.db, { vipLevel: 3 })
    cookie = await cookieFor(t.db, buyer.id)
    server = await startServer({
      name: 'render-threads-test',
      databaseUrl: t.url,
      port: await freePort(),
      env: { RENDER_THREADS: '1', BENCH_ROUTES: '0' },
    })
  }, 120_000)
  afterAll(async () => {
    await server?.kill()
    await t.drop()
  })

  const stockLeft = async () => {
    const res = await fetch(`${server!.baseUrl}/sessions/${sessionId}${DATA}`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const data = (await res.json()) as { items: { stock: { kind: string; left?: number } }[] }
    return data.items[0]!.stock
  }

  it('renders pages, shows a sale on the very next view, compresses, and stops cleanly on SIGTERM', async () => {
    const s = server!
    // The server listens at once and renders on the main thread until the thread has loaded the build.
    let live = '0'
    for (let i = 0; i < 100 && live !== '1'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100))
      live = (await fetch(`${s.baseUrl}/healthz`)).headers.get('x-render-threads') ?? 'none'
    }
    expect(live).toBe('1')
    const home = await fetch(`${s.baseUrl}/`, { headers: { 'accept-encoding': 'gzip' } })
    expect(home.status).toBe(200)
    expect(home.headers.get('content-encoding')).toBe('gzip')
    expect(home.headers.get('content-security-policy')).toMatch(/nonce-/)
    expect(home.headers.get('x-frame-options')).toBe('DENY')
    expect(await home.text()).toMatch(/<html/)

    // The thread keeps the session's reads for a second; the sale commits on the main thread.
    expect(await stockLeft()).toEqual({ kind: 'low', left: 3 })
    const checkout = await fetch(`${s.baseUrl}/api/checkout`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: s.baseUrl },
      body: JSON.stringify({ addressId: buyer.addressId, lines: [{ sessionItemSkuId: skuId, quantity: 1 }] }),
    })
    expect(checkout.status).toBe(201)
    expect(await stockLeft()).toEqual({ kind: 'low', left: 2 })

    // Signed-out visitors' and members' pages, and a page that does not exist, all from the thread.
    expect((await fetch(`${s.baseUrl}/sessions/${sessionId}`)).status).toBe(200)
    expect((await fetch(`${s.baseUrl}/sessions/${sessionId}`, { headers: { cookie } })).status).toBe(200)
    expect((await fetch(`${s.baseUrl}/no-such-page`)).status).toBe(404)

    const stopped = await s.stop()
    expect(stopped).toEqual({ code: 0, signal: null })
    server = null
  }, 60_000)
})
