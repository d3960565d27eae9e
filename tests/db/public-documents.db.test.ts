// A reseller's share page and shop are kept whole for anonymous visitors (app/services/reseller/
// public-documents.server.ts): a kept page answers the next views, counted; her changes drop it at once; a render
// made from data read before a change is not kept; a page lives no longer than the data it was made from; visitors
// who miss together wait for one render. Her shop answering a refused order form is kept per address the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as shopManageAction } from '#app/routes/reseller.shop'
import { loader as dashboardLoader } from '#app/routes/reseller._index'
import { loader as shareLoader } from '#app/routes/s.$token'
import { loader as shopLoader } from '#app/routes/shop.$handle'
import { forwardItems } from '#app/services/reseller/forwarding.server'
import { PUBLIC_PAGE_TTL_MS } from '#app/services/reseller/public-page-cache.server'
import { keptPageData } from '#app/services/reseller/public-pages.server'
import {
  findPublicPage,
  findRefusalPage,
  keepRefusalRender,
  keepRendered,
} from '#app/services/reseller/public-documents.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const ids: Record<string, string> = {}
let lilyCookie = ''
const lily = { id: '', role: 'member' as const, vip_level: 3, display_name: '杭州Lily' }
const rule = { kind: 'percent', value: 1000, rounding: 'none' } as const
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  for (const name of ['coat', 'shirt']) {
    const p = await createProduct(t.db, { brandId: brand.id, title: name, sizes: ['M'] })
    const item = await addSessionItem(t.db, {
      sessionId: live.id,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: 10_000,
      quantity: 5,
    })
    ids[name] = item.id
  }
  ids.live = live.id
  const user = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
  lily.id = user.id
  lilyCookie = await cookieFor(t.db, user.id)
})
afterAll(() => t.drop())

const manage = (fields: Record<string, string>) =>
  settle(() =>
    shopManageAction({
      request: formRequest('/reseller/shop', fields, { cookie: lilyCookie }),
      params: {},
      context: {},
    }),
  )
const forward = async (itemIds: string[]) =>
  (
    await forwardItems(t.db, lily, {
      sessionId: ids.live,
      itemIds,
      prices: new Map(),
      rule,
      mode: 'list',
      now: new Date(),
    })
  )[0]!

type Kind = 'share' | 'shop'
const pathOf = (kind: Kind, slug: string) => (kind === 'share' ? `/s/${slug}` : `/shop/${slug}`)
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2d) NetType/WIFI Language/zh_CN'
const view = (kind: Kind, slug: string, cookie: string | null = null, userAgent: string | null = null) =>
  findPublicPage({ kind, slug, url: pathOf(kind, slug), cookie, userAgent })

/** A view that is not answered from a kept page: Remix renders it. */
async function missed(kind: Kind, slug: string, cookie: string | null = null, userAgent: string | null = null) {
  const found = await view(kind, slug, cookie, userAgent)
  if (!found || found.document) throw new Error(`expected ${pathOf(kind, slug)} to be rendered`)
  return found
}

/** What the server does on a miss: Remix runs the page's loader and renders, and the render is kept. */
async function render(kind: Kind, slug: string, marker: string) {
  const found = await missed(kind, slug)
  const request = getRequest(pathOf(kind, slug))
  const res = await settle(() =>
    kind === 'share'
      ? shareLoader({ request, params: { token: slug }, context: {} })
      : shopLoader({ request, params: { handle: slug }, context: {} }),
  )
  expect(res.status).toBe(200)
  keepRendered(
    found!.miss,
    request,
    200,
    new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': 'cid=someone-elses-device-id' }),
    Buffer.from(`<html>${marker}</html>`),
  )
  found!.rendered()
}
/** Views her share page every 50 ms, each sent `body`, until one is due to render it anew: that view. */
async function viewUntilRenderAhead(token: string, body: string) {
  for (const until = Date.now() + PUBLIC_PAGE_TTL_MS * 2; Date.now() < until; await sleep(50)) {
    const found = (await view('share', token))!
    if (!found.document) return found as Awaited<ReturnType<typeof missed>>
    expect(found.document.body.toString()).toBe(body)
  }
  throw new Error('no view rendered the page anew')
}
const keptBody = async (kind: Kind, slug: string) => (await view(kind, slug))?.document?.body.toString() ?? null

describe("a reseller's pages kept whole for anonymous visitors", () => {
  it('answers the next views from the kept page, counts them, and never keeps a visitor’s cookies', async () => {
    const link = await forward([ids.coat!])
    await render('share', link.token, 'share one')
    const found = await view('share', link.token)
    expect(found!.document!.body.toString()).toBe('<html>share one</html>')
    expect(found!.document!.headers.some(([name]) => name === 'set-cookie')).toBe(false)
    // Her own cookies per visitor: a new device gets its client id, one that has it gets nothing.
    expect(found!.setCookies.some((c) => c.startsWith('cid='))).toBe(true)
    // Her browser has the stylesheets: the page that links them is another page, not kept yet.
    const returning = await missed('share', link.token, `cid=${'a'.repeat(24)}; ${found!.setCookies[0]!.split(';')[0]}`)
    expect(returning.setCookies).toEqual([])
    returning.rendered()
    // A signed-in visitor (her own look among them) is never answered from the kept page.
    expect(await view('share', link.token, lilyCookie)).toBeNull()
    // Inside WeChat her page carries its share card: another page, rendered for WeChat's browser.
    const inWechat = await missed('share', link.token, null, WECHAT_UA)
    inWechat.rendered()
    // The gzip is the same page.
    const { gunzipSync } = await import('node:zlib')
    expect(gunzipSync(found!.document!.gzip).toString()).toBe('<html>share one</html>')

    // Every view counts: the render's own, and the one answered from the kept page.
    const dashboard = await (
      await settle(() => dashboardLoader({ request: getRequest('/reseller', lilyCookie), params: {}, context: {} }))
    ).json()
    expect(dashboard.links.find((l: { id: string }) => l.id === link.id).views).toBe(2)
  })

  it('drops the kept shop when she changes it, and the share page when she makes a new link', async () => {
    expect((await manage({ intent: 'handle', handle: 'lily-kept' })).status).toBe(200)
    expect(
      (
        await manage({
          intent: 'addSession',
          sessionId: ids.live!,
          markupKind: 'percent',
          markupValue: '10',
          rounding: 'none',
        })
      ).status,
    ).toBe(200)
    const link = await forward([ids.shirt!])
    await render('shop', 'lily-kept', 'shop one')
    await render('share', link.token, 'share two')
    expect(await keptBody('shop', 'lily-kept')).toBe('<html>shop one</html>')

    expect((await manage({ intent: 'remove', itemId: ids.shirt! })).status).toBe(200)
    expect(await keptBody('shop', 'lily-kept')).toBeNull()
    expect(await keptBody('share', link.token)).toBeNull()
    await render('shop', 'lily-kept', 'shop two')
    expect(await keptBody('shop', 'lily-kept')).toBe('<html>shop two</html>')
    // A new link of hers (her prices may have changed) drops it too.
    await forward([ids.coat!])
    expect(await keptBody('shop', 'lily-kept')).toBeNull()
  })

  it('does not keep a render made from data read before one of her changes', async () => {
    const link = await forward([ids.coat!])
    const found = await missed('share', link.token)
    const request = getRequest(`/s/${link.token}`)
    await settle(() => shareLoader({ request, params: { token: link.token }, context: {} }))
    // Her change commits while the page is being rendered.
    await forward([ids.shirt!])
    keepRendered(found.miss, request, 200, new Headers(), Buffer.from('<html>stale</html>'))
    found.rendered()
    expect(await keptBody('share', link.token)).toBeNull()
  })

  it('keeps a page no longer than the data it was rendered from, and never a page that is not a 200', async () => {
    const link = await forward([ids.coat!])
    const request = getRequest(`/s/${link.token}`)
    // The data is read now; the page is rendered a while later (its data not yet due to be read again).
    await settle(() => shareLoader({ request, params: { token: link.token }, context: {} }))
    await sleep(PUBLIC_PAGE_TTL_MS * 0.3)
    const found = await missed('share', link.token)
    keepRendered(found.miss, request, 200, new Headers(), Buffer.from('<html>late</html>'))
    found.rendered()
    expect(await keptBody('share', link.token)).toBe('<html>late</html>')
    // Nobody asked for it since: its data was not read again, and the page expired with it.
    await sleep(PUBLIC_PAGE_TTL_MS * 0.8)
    expect(await keptBody('share', link.token)).toBeNull()

    const again = await missed('share', link.token)
    await settle(() => shareLoader({ request, params: { token: link.token }, context: {} }))
    keepRendered(again.miss, request, 500, new Headers(), Buffer.from('<html>error</html>'))
    again.rendered()
    expect(await keptBody('share', link.token)).toBeNull()
  })

  it('reads a busy page’s data ahead: unchanged, the page lives on; changed, one view renders it anew meanwhile', async () => {
    const link = await forward([ids.coat!])
    await render('share', link.token, 'first')
    // Viewed all along, its data is read again before it expires, unchanged: the page lives on past that lifetime.
    for (const until = Date.now() + PUBLIC_PAGE_TTL_MS * 1.5; Date.now() < until; await sleep(50))
      expect(await keptBody('share', link.token)).toBe('<html>first</html>')

    // The brand renames the session (no change of hers drops her pages): a read ahead finds new data, and the next
    // view renders the page from it.
    await t.db.updateTable('clearance_sessions').set({ title: '换季清仓' }).where('id', '=', ids.live!).execute()
    const renderer = await viewUntilRenderAhead(link.token, '<html>first</html>')
    // The others have the kept page meanwhile.
    expect(await keptBody('share', link.token)).toBe('<html>first</html>')
    const request = getRequest(`/s/${link.token}`)
    const res = await settle(() => shareLoader({ request, params: { token: link.token }, context: {} }))
    expect(JSON.stringify(await res.json())).toContain('换季清仓')
    keepRendered(renderer.miss, request, 200, new Headers(), Buffer.from('<html>renamed</html>'))
    renderer.rendered()
    expect(await keptBody('share', link.token)).toBe('<html>renamed</html>')
  })

  it('drops data read ahead, or being read ahead, when one of her changes commits', async () => {
    const link = await forward([ids.coat!])
    await render('share', link.token, 'read ahead')
    await sleep(PUBLIC_PAGE_TTL_MS / 2 + 50)
    // This view starts the read ahead; her new link commits about then.
    expect(await keptBody('share', link.token)).toBe('<html>read ahead</html>')
    await forward([ids.shirt!])
    await sleep(200)
    expect(keptPageData('share', link.token)).toBeNull()
    expect(await keptBody('share', link.token)).toBeNull()
  })

  it('sends the page from before a change no longer than that data was fresh', async () => {
    const link = await forward([ids.shirt!])
    await render('share', link.token, 'before')
    await t.db.updateTable('clearance_sessions').set({ title: '最后一天' }).where('id', '=', ids.live!).execute()
    const renderer = await viewUntilRenderAhead(link.token, '<html>before</html>')
    expect(await keptBody('share', link.token)).toBe('<html>before</html>')
    // The render takes longer than the old data had left: past it, a view waits for the render, not the old page.
    await sleep(PUBLIC_PAGE_TTL_MS)
    const late = view('share', link.token)
    renderer.rendered()
    expect((await late)!.document).toBeNull()
  })

  it('keeps her shop answering a refused order form per address, and drops it when she changes her shop', async () => {
    const refusal = { code: 'sold_out', item: 'coat 黑色/M' }
    const url = '/shop/lily-kept?q=coat'
    const refusedAt = (at: string, cookie: string | null = null, userAgent: string | null = null) =>
      findRefusalPage({ url: at, cookie, userAgent }, refusal)
    /** What the server does for a refusal not kept yet: Remix reads her shop and renders it with the refusal. */
    const renderRefusal = async (marker: string, change?: () => Promise<unknown>) => {
      expect(await refusedAt(url)).toBeNull()
      const request = new Request(`http://localhost${url}`, { method: 'POST' })
      const res = await settle(() => shopLoader({ request, params: { handle: 'lily-kept' }, context: {} }))
      expect(res.status).toBe(200)
      await change?.()
      const headers = new Headers({ 'Content-Type': 'text/html', 'Set-Cookie': 'cid=someone-elses-device-id' })
      keepRefusalRender(request, 'zh-CN', 409, headers, Buffer.from(`<html>${marker}</html>`), refusal)
    }
    await renderRefusal('refused one')
    const kept = (await refusedAt(url))!.document
    expect(kept.body.toString()).toBe('<html>refused one</html>')
    expect(kept.headers.some(([name]) => name === 'set-cookie')).toBe(false)
    // Compressed once, when kept.
    expect(gunzipSync(kept.gzip).toString()).toBe('<html>refused one</html>')
    expect(brotliDecompressSync(kept.br).toString()).toBe('<html>refused one</html>')
    // Her shop unfiltered is another page; a signed-in customer's is her own; inside WeChat, her shop with its share
    // card is another page.
    expect(await refusedAt('/shop/lily-kept')).toBeNull()
    expect(await refusedAt(url, lilyCookie)).toBeNull()
    expect(await refusedAt(url, null, WECHAT_UA)).toBeNull()

    // Her change drops it.
    expect((await manage({ intent: 'move', itemId: ids.coat!, direction: 'down' })).status).toBe(200)
    expect(await refusedAt(url)).toBeNull()
    // (That miss waits for a render that will not come; past its wait, the next miss renders.)
    await sleep(1_100)
    // Nor is a page kept that was rendered from her shop as it was before her change, even when her shop has been
    // read again since.
    await renderRefusal('stale', async () => {
      expect((await manage({ intent: 'reprice' })).status).toBe(200)
      await settle(() =>
        shopLoader({ request: getRequest('/shop/lily-kept'), params: { handle: 'lily-kept' }, context: {} }),
      )
    })
    expect(await refusedAt(url)).toBeNull()
  })

  it('visitors who miss together wait for one render', async () => {
    const link = await forward([ids.shirt!])
    const first = await missed('share', link.token)
    const waiting = Promise.all([view('share', link.token), view('share', link.token)])
    await sleep(50)
    const request = getRequest(`/s/${link.token}`)
    await settle(() => shareLoader({ request, params: { token: link.token }, context: {} }))
    keepRendered(first.miss, request, 200, new Headers(), Buffer.from('<html>once</html>'))
    first.rendered()
    for (const found of await waiting) expect(found!.document!.body.toString()).toBe('<html>once</html>')
  })
})
