import http from 'node:http'
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { KeptDocument, PublicPageView } from '#app/services/reseller/public-documents.server'
import { listenOnLoopback, requestLoopback } from '#tests/setup/loopback-server'
import { giveWay } from './give-way'
import { guardRequests, securityHeaders } from './guards'
import { publicPageContext, publicPagesFirst, type FindPublicPage } from './public-pages'

const page = Buffer.from('<html>her shop</html>')
const kept: KeptDocument = {
  headers: [
    ['content-type', 'text/html; charset=utf-8'],
    ['content-security-policy', "script-src 'nonce-abc'"],
  ],
  body: page,
  gzip: gzipSync(page),
  br: brotliCompressSync(page),
  etag: '"v1"',
  linkId: null,
}

/** The transport in front of a stand-in for admission control and Remix, which answers "rendered". */
async function start(find: FindPublicPage, pace?: Parameters<typeof publicPagesFirst>[2]) {
  const seen: { url: string; context: ReturnType<typeof publicPageContext> }[] = []
  const rest: http.RequestListener = (req, res) => {
    seen.push({ url: req.url ?? '', context: publicPageContext(req) })
    res.end('rendered')
  }
  const port = await listenOnLoopback(publicPagesFirst(find, rest, pace))
  const request = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    requestLoopback(port, { path, headers, method })
  return { request, seen }
}

describe("a reseller's kept public pages on node:http", () => {
  it('sends a kept page with its headers, the visitor’s own cookies, compressed as taken, and 304 when she has it', async () => {
    const views: PublicPageView[] = []
    const { request, seen } = await start(async (view) => {
      views.push(view)
      return { document: kept, setCookies: ['cid=new-device'], miss: null!, rendered: () => {} }
    })
    const plain = await request('/shop/lily?category=womens')
    expect(plain.status).toBe(200)
    expect(plain.body.toString()).toBe('<html>her shop</html>')
    expect(plain.headers['content-security-policy']).toBe("script-src 'nonce-abc'")
    expect(plain.headers['set-cookie']).toEqual(['cid=new-device'])
    expect(plain.headers.etag).toBe('"v1"')
    expect(plain.headers['cache-control']).toBe('private, no-cache')
    expect(views[0]).toMatchObject({ kind: 'shop', slug: 'lily', url: '/shop/lily?category=womens' })

    const zipped = await request('/s/abc', { 'accept-encoding': 'gzip, deflate' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(zipped.body).toString()).toBe('<html>her shop</html>')
    // Brotli first when taken, as `compression` chooses.
    const brotli = await request('/s/abc', { 'accept-encoding': 'gzip, deflate, br' })
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(brotli.body).toString()).toBe('<html>her shop</html>')
    expect((await request('/s/abc', { 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined()

    const again = await request('/s/abc', { 'if-none-match': '"v1"' })
    expect([again.status, again.body.length]).toEqual([304, 0])
    expect(seen).toEqual([])
  })

  it('sends the security headers every response carries once, made with the page, the page’s own CSP kept', async () => {
    let guarded: http.RequestListener = () => {}
    const port = await listenOnLoopback((req, res) => guarded(req, res))
    const env = { PORT: port, NODE_ENV: 'production', PUBLIC_URL: undefined, ALLOWED_HOSTS: `127.0.0.1:${port}` }
    const pages = publicPagesFirst(
      async () => ({ document: kept, setCookies: ['cid=new-device', 'styles=2'] }),
      (_req, res) => res.end('rendered'),
      undefined,
      securityHeaders(true),
    )
    guarded = guardRequests(env as Parameters<typeof guardRequests>[0], pages)
    const names = (raw: string[]) => raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
    for (const headers of [{}, { 'accept-encoding': 'br' }, { 'if-none-match': '"v1"' }]) {
      const answer = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get({ port, host: '127.0.0.1', path: '/s/abc', headers }, resolve).on('error', reject),
      )
      answer.resume()
      const sent = names(answer.rawHeaders)
      for (const [name] of securityHeaders(true)) expect(sent.filter((n) => n === name.toLowerCase())).toHaveLength(1)
      expect(sent.filter((n) => n === 'set-cookie')).toHaveLength(2)
      expect(answer.headers['content-security-policy']).toBe("script-src 'nonce-abc'")
      expect(answer.headers['strict-transport-security']).toMatch(/max-age=/)
    }
    // What is not a kept page gets them from the guard.
    const other = await requestLoopback(port, { path: '/s/abc/options/x', headers: {}, method: 'GET' })
    expect(other.headers['x-frame-options']).toBe('DENY')
  })

  it('hands a miss on with where to keep its render, and tells waiting visitors when it is answered', async () => {
    let rendered = 0
    const miss = { key: 'k', kind: 'share' as const, slug: 'abc', url: '/s/abc', readAt: 0, dataStamp: null, at: 0 }
    const { request, seen } = await start(async () => ({
      document: null,
      setCookies: [],
      miss,
      rendered: () => rendered++,
    }))
    expect((await request('/s/abc')).body.toString()).toBe('rendered')
    expect(seen).toEqual([{ url: '/s/abc', context: { publicPage: miss } }])
    await new Promise((r) => setTimeout(r, 20))
    expect(rendered).toBe(1)
  })

  it('leaves everything else to Remix unmarked: other paths, data requests, posts, signed-in visitors', async () => {
    let asked = 0
    const { request, seen } = await start(async (view) => {
      asked++
      // The build answers null for a signed-in visitor.
      return view.cookie?.includes('__session=')
        ? null
        : { document: kept, setCookies: [], miss: null!, rendered: () => {} }
    })
    for (const path of ['/sessions/1', '/s/abc/card.png', '/s/abc?_data=routes%2Fs.%24token', '/s/%E0%A4%A'])
      expect((await request(path)).body.toString()).toBe('rendered')
    expect((await request('/s/abc', {}, 'POST')).body.toString()).toBe('rendered')
    expect((await request('/s/abc', { cookie: '__session=x' })).body.toString()).toBe('rendered')
    expect(asked).toBe(1)
    expect(seen.every((s) => s.context.publicPage === null)).toBe(true)
  })

  it('lets an order in flight and other requests go before a crowd of kept pages, and still sends every page', async () => {
    let held = 1
    const pace = giveWay({ perTick: 1, windowMs: 100, maxQueued: 1_000, held: () => held })
    const { request } = await start(
      async () => ({ document: kept, setCookies: [], miss: null!, rendered: () => {} }),
      pace,
    )
    const answered: string[] = []
    const pages = Array.from({ length: 40 }, (_, i) =>
      request(`/s/abc?v=${i}`).then((r) => answered.push(`page ${r.status}`)),
    )
    await new Promise((r) => setTimeout(r, 5))
    const other = request('/sessions/1').then((r) => answered.push(r.body.toString()))
    await other
    // One page a tick while the order is held: most of the crowd is still waiting when the other request is answered.
    expect(answered.filter((a) => a.startsWith('page')).length).toBeLessThan(30)
    held = 0
    await Promise.all(pages)
    expect(answered.filter((a) => a === 'page 200')).toHaveLength(40)
    expect(pace.stats().paced).toBeGreaterThanOrEqual(30)
  })
})
