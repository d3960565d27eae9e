// The reseller's public pages are kept for a moment (app/services/reseller/public-page-cache.server.ts): her own
// changes show on the very next view, stock states within the cache's lifetime, and views are all counted.
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderSharePostersTask } from '#jobs/tasks/render_share_posters'
import { loader as cardLoader } from '#app/routes/s.$token.card[.png]'
import { action as shopManageAction } from '#app/routes/reseller.shop'
import { loader as dashboardLoader } from '#app/routes/reseller._index'
import { loader as shareLoader } from '#app/routes/s.$token'
import { loader as shopLoader } from '#app/routes/shop.$handle'
import { loader as shopOptionsLoader } from '#app/routes/shop.$handle.options.$itemId'
import { loader as shareOptionsLoader } from '#app/routes/s.$token.options.$itemId'
import { updateItemPrices } from '#app/services/sessions/brand-sessions.server'
import { forwardItems, revokeLink } from '#app/services/reseller/forwarding.server'
import { PUBLIC_PAGE_TTL_MS } from '#app/services/reseller/public-page-cache.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date()
const ids: Record<string, string> = {}
let lilyCookie = ''
const lily = { id: '', role: 'member' as const, vip_level: 3, display_name: '杭州Lily' }
const rule = { kind: 'percent', value: 1000, rounding: 'none' } as const

const cards = mkdtempSync(path.join(tmpdir(), 'cards-'))

beforeAll(async () => {
  process.env.CARDS_DIR = cards
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() - 3_600_000) })
  const upcoming = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() + 5 * 3_600_000) })
  for (const [name, sessionId, sizes] of [
    ['coat', live.id, ['M', 'L']],
    ['shirt', live.id, ['S']],
    ['later', upcoming.id, ['M']],
  ] as const) {
    const p = await createProduct(t.db, { brandId: brand.id, title: name, sizes: [...sizes] })
    const item = await addSessionItem(t.db, {
      sessionId,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: 10_000,
      quantity: 5,
      position: Object.keys(ids).length,
    })
    ids[name] = item.id
  }
  ids.live = live.id
  ids.upcoming = upcoming.id
  ids.brand = brand.id
  const user = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
  lily.id = user.id
  lilyCookie = await cookieFor(t.db, user.id)
})
afterAll(async () => {
  delete process.env.CARDS_DIR
  await t.drop()
})

const manage = (fields: Record<string, string>) =>
  settle(() =>
    shopManageAction({
      request: formRequest('/reseller/shop', fields, { cookie: lilyCookie }),
      params: {},
      context: {},
    }),
  )
const shareGet = (token: string, cookie?: string) =>
  settle(() => shareLoader({ request: getRequest(`/s/${token}`, cookie), params: { token }, context: {} }))
type Item = { id: string; priceMinor: number; buyable: boolean; availability: string; sizesLeft: string[] }
const shareItems = async (token: string) => ((await (await shareGet(token)).json()) as { items: Item[] }).items
const shopItems = async (handle: string) => {
  const res = await settle(() =>
    shopLoader({ request: getRequest(`/shop/${handle}`), params: { handle }, context: {} }),
  )
  expect(res.status).toBe(200)
  return ((await res.json()) as { sessions: { items: Item[] }[] }).sessions.flatMap((s) => s.items)
}
const forward = (itemIds: string[], prices: Record<string, number>) =>
  forwardItems(t.db, lily, {
    sessionId: ids.live,
    itemIds,
    prices: new Map(Object.entries(prices)),
    rule,
    mode: 'list',
    now: new Date(),
  })

describe("a reseller's public pages, kept for a moment", () => {
  it('shows her new price, a revoked link and a removed item on the very next view', async () => {
    const [link] = await forward([ids.coat, ids.shirt], { [ids.coat]: 15_000, [ids.shirt]: 12_000 })
    expect((await shareItems(link!.token)).map((i) => i.priceMinor)).toEqual([15_000, 12_000])
    expect((await manage({ intent: 'handle', handle: 'lily-cache' })).status).toBe(200)
    expect(
      (
        await manage({
          intent: 'addSession',
          sessionId: ids.live,
          markupKind: 'percent',
          markupValue: '10',
          rounding: 'none',
        })
      ).status,
    ).toBe(200)
    const before = await shopItems('lily-cache')
    expect(before.map((i) => i.id).sort()).toEqual([ids.coat, ids.shirt].sort())

    // A new price through a new link: the shop shows it at once (the old link keeps its own price).
    await forward([ids.coat], { [ids.coat]: 16_600 })
    expect((await shopItems('lily-cache')).find((i) => i.id === ids.coat)!.priceMinor).toBe(16_600)

    // Removing an item from her shop.
    expect((await manage({ intent: 'remove', itemId: ids.shirt })).status).toBe(200)
    expect((await shopItems('lily-cache')).map((i) => i.id)).toEqual([ids.coat])

    // A new handle: the old one redirects, the new one answers, at once.
    expect((await manage({ intent: 'handle', handle: 'lily-moved' })).status).toBe(200)
    const moved = await settle(() =>
      shopLoader({ request: getRequest('/shop/lily-cache'), params: { handle: 'lily-cache' }, context: {} }),
    )
    expect([moved.status, moved.headers.get('Location')]).toEqual([301, '/shop/lily-moved'])
    expect((await shopItems('lily-moved')).map((i) => i.id)).toEqual([ids.coat])

    // Revoking the link.
    expect(await revokeLink(t.db, lily, link!.id, new Date())).toBe(true)
    expect((await shareGet(link!.token)).status).toBe(410)
  })

  it("shows the brand's new floor on the next view: her price under it is no longer buyable", async () => {
    const [link] = await forwardItems(t.db, lily, {
      sessionId: ids.upcoming,
      itemIds: [ids.later],
      prices: new Map([[ids.later, 12_000]]),
      rule,
      mode: 'list',
      now: new Date(),
    })
    expect((await shareItems(link!.token))[0]!.buyable).toBe(true)
    await updateItemPrices(
      t.db,
      ids.brand,
      ids.upcoming,
      { itemId: ids.later, basePriceMinor: 10_000, minRetailPriceMinor: 14_000, perMemberCap: null },
      new Date(),
    )
    expect((await shareItems(link!.token))[0]!.buyable).toBe(false)
  })

  it('keeps a stock state no longer than its lifetime, and counts every view', async () => {
    const [link] = await forward([ids.shirt], { [ids.shirt]: 12_500 })
    const first = await shareItems(link!.token)
    expect(first[0]).toMatchObject({ availability: 'in_stock', sizesLeft: ['S'] })
    // Sold out behind the page's back (another process's checkout): within the lifetime a view may still say
    // in stock; after it, every view says sold out.
    await t.db.updateTable('session_item_skus').set({ available: 0 }).where('session_item_id', '=', ids.shirt).execute()
    await new Promise((r) => setTimeout(r, PUBLIC_PAGE_TTL_MS + 100))
    expect((await shareItems(link!.token))[0]).toMatchObject({ availability: 'sold_out', sizesLeft: [] })

    // 30 visitors at once, and her own look: 30 views, all written once she opens her dashboard.
    await Promise.all(Array.from({ length: 30 }, () => shareGet(link!.token)))
    await shareGet(link!.token, lilyCookie)
    const dashboard = await (
      await settle(() => dashboardLoader({ request: getRequest('/reseller', lilyCookie), params: {}, context: {} }))
    ).json()
    const mine = dashboard.links.find((l: { id: string }) => l.id === link!.id)
    // Two looks above, then 30 at once.
    expect(mine.views).toBe(32)
  })
})

describe("the picker's colours and sizes, fetched apart from her pages", () => {
  const shopOptions = (handle: string, itemId: string, etag?: string) =>
    settle(() =>
      shopOptionsLoader({
        request: new Request(`http://localhost/shop/${handle}/options/${itemId}`, {
          headers: etag ? { 'If-None-Match': etag } : {},
        }),
        params: { handle, itemId },
        context: {},
      }),
    )
  const shareOptions = (token: string, itemId: string) =>
    settle(() =>
      shareOptionsLoader({
        request: getRequest(`/s/${token}/options/${itemId}`),
        params: { token, itemId },
        context: {},
      }),
    )
  type Option = { skuId: string; size: string; inStock: boolean }
  const optionsOf = async (res: Response) => {
    expect(res.status).toBe(200)
    return ((await res.json()) as { options: Option[] }).options
  }
  const skusOf = async (itemId: string) =>
    (
      await t.db
        .selectFrom('session_item_skus')
        .select('id')
        .where('session_item_id', '=', itemId)
        .orderBy('id')
        .execute()
    ).map((r) => r.id)

  it('are not in the page; each item answers its own, public and short-lived, and follow her changes at once', async () => {
    const user = await createUser(t.db, { vipLevel: 3, displayName: '宁波Mei' })
    const mei = { id: user.id, role: 'member' as const, vip_level: 3, display_name: '宁波Mei' }
    const cookie = await cookieFor(t.db, user.id)
    const act = (fields: Record<string, string>) =>
      settle(() =>
        shopManageAction({ request: formRequest('/reseller/shop', fields, { cookie }), params: {}, context: {} }),
      )
    expect((await act({ intent: 'handle', handle: 'mei-options' })).status).toBe(200)
    expect(
      (
        await act({
          intent: 'addSession',
          sessionId: ids.live,
          markupKind: 'percent',
          markupValue: '10',
          rounding: 'none',
        })
      ).status,
    ).toBe(200)

    // The page says which items go in the bag and their limit; no colour, size or SKU of any item.
    const page = await settle(() =>
      shopLoader({ request: getRequest('/shop/mei-options'), params: { handle: 'mei-options' }, context: {} }),
    )
    const text = await page.text()
    const data = JSON.parse(text) as { bag: Record<string, unknown> }
    expect(Object.keys(data.bag).sort()).toEqual([ids.coat, ids.shirt].sort())
    expect(data.bag[ids.coat]).toEqual({ cap: null })
    for (const sku of [...(await skusOf(ids.coat)), ...(await skusOf(ids.shirt))]) expect(text).not.toContain(sku)

    // Each item's options from its own address: every SKU of it, in stock, cacheable by anyone for a second.
    const coat = await shopOptions('mei-options', ids.coat)
    expect(coat.headers.get('Cache-Control')).toBe('public, max-age=1')
    const etag = coat.headers.get('ETag')!
    expect((await optionsOf(coat)).map((o) => o.skuId).sort()).toEqual(await skusOf(ids.coat))
    expect((await shopOptions('mei-options', ids.coat, etag)).status).toBe(304)
    // An item that is not a live one of her shop, and a shop that is not there, have none.
    expect((await shopOptions('mei-options', ids.later)).status).toBe(404)
    expect((await shopOptions('nobody-here', ids.coat)).status).toBe(404)

    // Her removing an item drops it at once, as the page's kept reads are.
    expect((await act({ intent: 'remove', itemId: ids.coat })).status).toBe(200)
    expect((await shopOptions('mei-options', ids.coat)).status).toBe(404)

    // A share link's items: the same options; revoked, none.
    const [link] = await forwardItems(t.db, mei, {
      sessionId: ids.live,
      itemIds: [ids.shirt],
      prices: new Map([[ids.shirt, 13_000]]),
      rule,
      mode: 'list',
      now: new Date(),
    })
    const share = await settle(() =>
      shareLoader({ request: getRequest(`/s/${link!.token}`), params: { token: link!.token }, context: {} }),
    )
    const shareText = await share.text()
    for (const sku of await skusOf(ids.shirt)) expect(shareText).not.toContain(sku)
    expect((await optionsOf(await shareOptions(link!.token, ids.shirt))).map((o) => o.skuId)).toEqual(
      await skusOf(ids.shirt),
    )
    expect((await shareOptions(link!.token, ids.coat)).status).toBe(404)
    expect(await revokeLink(t.db, mei, link!.id, new Date())).toBe(true)
    expect((await shareOptions(link!.token, ids.shirt)).status).toBe(404)
  })
})

describe('posters drawn when a link is made', () => {
  it("queues a render with the new link, and the job leaves both languages' posters in the cache the card route serves", async () => {
    const [link] = await forward([ids.coat], { [ids.coat]: 15_500 })
    const queued = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
      where k.identifier = 'render_share_posters' and j.payload::jsonb -> 'tokens' ? ${link!.token}::text`.execute(t.db)
    expect(queued.rows[0]!.n).toBe(1)
    const pngs = () => readdirSync(cards).filter((f) => f.endsWith('.png'))
    const before = pngs()
    await renderSharePostersTask(t.db)({ tokens: [link!.token] }, {} as never)
    const drawn = pngs().filter((f) => !before.includes(f))
    expect(drawn).toHaveLength(2)
    for (const lang of ['zh-CN', 'en']) {
      const res = await settle(() =>
        cardLoader({
          request: getRequest(`/s/${link!.token}/card.png?lang=${lang}`),
          params: { token: link!.token },
          context: {},
        }),
      )
      expect(res.status).toBe(200)
      expect(drawn).toContain(`${res.headers.get('ETag')!.replaceAll('"', '')}.png`)
    }
    // Served from the cache: nothing new was drawn.
    expect(pngs()).toHaveLength(before.length + 2)
  })
})
