import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertShareLink, revokeShareLink } from '#db/queries/reseller'
import { PUBLIC_PAGE_TTL_MS } from '#app/services/reseller/public-page-cache.server'
import { startServer, type BenchServer } from '#tests/bench/harness'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { freePort } from '#tests/setup/free-port'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Share posters on the built server: answered before admission control and Remix (app/server/posters.ts), so a
// server that turns pages away busy still sends posters, with the route's answers (200/304/400/404/410) unchanged.

let t: TestDatabase
let server: BenchServer
let cards = ''
let resellerId = ''
const links: { id: string; token: string }[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  cards = mkdtempSync(path.join(os.tmpdir(), 'poster-transport-'))
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, { brandId: brand.id, sizes: ['M'], colours: ['黑色'] })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: 10_000,
    quantity: 20,
  })
  const reseller = await createUser(t.db, { vipLevel: 1, displayName: '杭州Lily' })
  resellerId = reseller.id
  for (let i = 0; i < 2; i++) {
    const token = 'poster' + randomUUID().replace(/-/g, '')
    const link = await insertShareLink(t.db, {
      token,
      userId: reseller.id,
      sessionId: session.id,
      kind: 'item',
      now: new Date(),
      items: [{ itemId: item.id, priceMinor: 15_900 + i * 100, currency: 'CNY' }],
    })
    links.push({ id: link.id, token })
  }
  const port = await freePort()
  // One page at a time and none queued: pages asked at once beyond that are answered 503.
  server = await startServer({
    name: 'poster-transport',
    databaseUrl: t.url,
    port,
    env: {
      BENCH_ROUTES: '0',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CARDS_DIR: cards,
      MAX_CONCURRENT_REQUESTS: '1',
      MAX_QUEUED_REQUESTS: '0',
    },
  })
}, 240_000)
afterAll(async () => {
  await server?.kill()
  await t?.drop()
  rmSync(cards, { recursive: true, force: true })
})

const get = async (p: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.baseUrl}${p}`, { headers })
  return { res, body: Buffer.from(await res.arrayBuffer()) }
}

describe('share posters on the server', () => {
  it('sends posters, drawn or not, while admission control turns pages away busy', async () => {
    const [drawn, fresh] = links
    const first = await get(`/s/${drawn!.token}/card.png`)
    expect(first.res.status).toBe(200)
    const [pages, again, firstRender] = await Promise.all([
      Promise.all(Array.from({ length: 24 }, () => get('/').then((r) => r.res.status))),
      Promise.all(Array.from({ length: 6 }, () => get(`/s/${drawn!.token}/card.png`))),
      get(`/s/${fresh!.token}/card.png?lang=en`),
    ])
    expect(pages).toContain(503)
    for (const { res, body } of again) {
      expect(res.status).toBe(200)
      expect(res.headers.get('etag')).toBe(first.res.headers.get('etag'))
      expect(body.equals(first.body)).toBe(true)
    }
    expect(firstRender.res.status).toBe(200)
    expect(firstRender.res.headers.get('content-type')).toBe('image/png')
    expect(firstRender.body.subarray(1, 4).toString()).toBe('PNG')
    // Drawn once each, into the cache the job worker fills too.
    expect(readdirSync(cards).filter((f) => f.endsWith('.png'))).toHaveLength(2)
  })

  it('answers as the route does: cache headers, 304, 400, 404, and 410 once the link is revoked', async () => {
    const [link] = links
    const { res, body } = await get(`/s/${link!.token}/card.png`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate')
    expect(res.headers.get('content-length')).toBe(String(body.length))
    // The server's security headers, as on every answer.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const etag = res.headers.get('etag')!
    expect((await get(`/s/${link!.token}/card.png`, { 'If-None-Match': etag })).res.status).toBe(304)
    expect((await get(`/s/${link!.token}/card.png?lang=xx`)).res.status).toBe(400)
    expect((await get(`/s/${link!.token}/card.png?item=nope`)).res.status).toBe(400)
    expect((await get(`/s/${link!.token}/card.png?item=${randomUUID()}`)).res.status).toBe(404)
    expect((await get(`/s/${'x'.repeat(30)}/card.png`)).res.status).toBe(404)
    // Revoked in the database by another process: this one follows within the public pages' lifetime.
    await revokeShareLink(t.db, link!.id, resellerId, new Date())
    await new Promise((r) => setTimeout(r, PUBLIC_PAGE_TTL_MS + 200))
    expect((await get(`/s/${link!.token}/card.png`)).res.status).toBe(410)
  })
})
