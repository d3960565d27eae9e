import { sql } from 'kysely'
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '#app/domain/money'
import { DEFAULT_VIP_TIERS, memberUnitPrice } from '#app/domain/pricing'
import { checkRetailPrice, suggestRetailPrice } from '#app/domain/retail-pricing'
import { createI18n } from '#app/i18n'
import { action as shopManageAction, loader as shopManageLoader } from '#app/routes/reseller.shop'
import { loader as shareLoader } from '#app/routes/s.$token'
import ShopPage, { loader as shopLoader, meta as shopMeta } from '#app/routes/shop.$handle'
import { updateItemPrices } from '#app/services/sessions/brand-sessions.server'
import { updateVipTiers } from '#app/services/membership/members.server'
import { invalidateVipTiers } from '#app/services/membership/pricing.server'
import { forwardItems } from '#app/services/reseller/forwarding.server'
import { priceIssues, resellerOffers } from '#app/services/reseller/offers.server'
import { runMonthlyRetention } from '#app/services/membership/retention.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date()
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}
// Odd amounts so that a leaked wholesale price or floor cannot hide behind a coincidence.
const BASES = { dress: 12340, cut: 8760, boots: 23450, upA: 10130, upB: 10170 }
const MIN_RETAIL = { dress: 16130, boots: 31370, upA: 11110 }
const QTY = { dress: 137, cut: 241, boots: 313, upA: 57, upB: 83 }
const rule = { kind: 'percent', value: 1000, rounding: 'none' } as const // +10%

beforeAll(async () => {
  t = await createTestDatabase()
  invalidateVipTiers()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, {
    brandId: brand.id,
    startsAt: hours(-3),
    title: '沐岚 冬季清仓',
    titleEn: 'MULAN winter',
  })
  const upcoming = await createSession(t.db, {
    brandId: brand.id,
    startsAt: hours(5),
    title: '沐岚 春季预告',
    titleEn: 'MULAN spring',
  })
  const ended = await createSession(t.db, { brandId: brand.id, startsAt: hours(-60), title: '已结束' })
  const dress = await createProduct(t.db, {
    brandId: brand.id,
    title: '真丝连衣裙',
    titleEn: 'Silk dress',
    category: 'womens',
    sizes: ['S', 'M', 'L'],
  })
  const cut = await createProduct(t.db, {
    brandId: brand.id,
    title: '剪标羊毛衫',
    titleEn: 'Wool sweater',
    category: 'mens',
    tagCut: true,
    tagPriceMinor: 45610,
    sizes: ['XL'],
  })
  const boots = await createProduct(t.db, {
    brandId: brand.id,
    title: '短靴',
    titleEn: 'Ankle boots',
    category: 'shoes_bags',
    sizes: ['37', '38'],
  })
  const upA = await createProduct(t.db, {
    brandId: brand.id,
    title: '风衣',
    titleEn: 'Trench coat',
    category: 'womens',
    sizes: ['M'],
  })
  const upB = await createProduct(t.db, {
    brandId: brand.id,
    title: '剪标衬衫',
    titleEn: 'Cut-label shirt',
    category: 'mens',
    tagCut: true,
    sizes: ['L'],
  })
  const old = await createProduct(t.db, { brandId: brand.id, title: '旧款', sizes: ['M'] })
  const item = (
    sessionId: string,
    p: Awaited<ReturnType<typeof createProduct>>,
    base: number,
    qty: number,
    min: number | null,
    position: number,
  ) =>
    addSessionItem(t.db, {
      sessionId,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: base,
      quantity: qty,
      minRetailPriceMinor: min,
      position,
    })
  const dressItem = await item(live.id, dress, BASES.dress, QTY.dress, MIN_RETAIL.dress, 0)
  await t.db
    .updateTable('session_item_skus')
    .set({ available: 0 })
    .where('session_item_id', '=', dressItem.id)
    .where('sku_id', '=', dress.skus.find((s) => s.size === 'L')!.id)
    .execute()
  const cutItem = await item(live.id, cut, BASES.cut, QTY.cut, null, 1)
  const bootsItem = await item(live.id, boots, BASES.boots, QTY.boots, MIN_RETAIL.boots, 2)
  const upAItem = await item(upcoming.id, upA, BASES.upA, QTY.upA, MIN_RETAIL.upA, 0)
  const upBItem = await item(upcoming.id, upB, BASES.upB, QTY.upB, null, 1)
  await item(ended.id, old, 5000, 5, null, 0)
  const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily', email: 'lily.hz@shop.test' })
  const amei = await createUser(t.db, { vipLevel: 1, displayName: '阿梅' })
  const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
  const ops = await createUser(t.db, { role: 'operator' })
  await t.db
    .insertInto('reseller_profiles')
    .values({
      user_id: lily.id,
      display_name: '杭州Lily',
      wechat_id: 'lily_hz_2026',
      phone: '13800000003',
      markup_kind: 'percent',
      markup_value: 1000,
      markup_rounding: 'none',
    })
    .execute()
  Object.assign(ids, {
    brand: brand.id,
    live: live.id,
    upcoming: upcoming.id,
    ended: ended.id,
    dress: dressItem.id,
    cut: cutItem.id,
    boots: bootsItem.id,
    upA: upAItem.id,
    upB: upBItem.id,
    lily: lily.id,
    amei: amei.id,
    ops: ops.id,
  })
  cookies.lily = await cookieFor(t.db, lily.id)
  cookies.amei = await cookieFor(t.db, amei.id)
  cookies.staff = await cookieFor(t.db, staff.id)
})
afterAll(() => t.drop())

const manage = (fields: Record<string, string>, cookie = cookies.lily) =>
  settle(() =>
    shopManageAction({ request: formRequest('/reseller/shop', fields, { cookie }), params: {}, context: {} }),
  )
const shopGet = (handle: string, query = '', cookie?: string) =>
  settle(() => shopLoader({ request: getRequest(`/shop/${handle}${query}`, cookie), params: { handle }, context: {} }))
const own = (base: number, level = 3) => memberUnitPrice(base, level, DEFAULT_VIP_TIERS)
type ShopData = {
  sessions: {
    id: string
    phase: string
    items: { id: string; priceMinor: number; buyable: boolean; sizesLeft: string[]; availability: string }[]
  }[]
  facets: { categories: string[]; sizes: string[] }
  total: number
  shown: number
}
const shopData = async (handle: string, query = '') => (await (await shopGet(handle, query)).json()) as ShopData
const itemsOf = (d: ShopData) => d.sessions.flatMap((s) => s.items)

describe('handles', () => {
  it('refuses bad and reserved handles with the problem named, and a shop cannot be listed into before it has one', async () => {
    for (const [handle, problem] of [
      ['ab', 'too_short'],
      ['1lily', 'shape'],
      ['lily_hz', 'characters'],
      ['admin', 'reserved'],
      ['shop', 'reserved'],
      ['login', 'reserved'],
    ] as const) {
      const res = await manage({ intent: 'handle', handle })
      expect(res.status).toBe(422)
      expect(await res.json()).toMatchObject({
        formError: { code: 'invalid_handle', problem },
        result: { error: { '': [`shop.manage.handleErrors.${problem}`] } },
      })
    }
    const res = await manage({
      intent: 'addSession',
      sessionId: ids.live,
      markupKind: 'percent',
      markupValue: '10',
      rounding: 'none',
    })
    expect(res.status).toBe(409)
    expect((await res.json()).formError.code).toBe('no_shop')
    const long = await manage({ intent: 'handle', handle: 'x'.repeat(61) })
    expect(long.status).toBe(400)
    expect((await long.json()).result.error).toEqual({ handle: ['shop.manage.handleErrors.too_long'] })
    expect((await manage({ intent: 'nonsense' })).status).toBe(400)
  })

  it('takes a handle (normalised), keeps it unique, renames with a 301 from every former handle, and never gives a former one away', async () => {
    const page = await (
      await settle(() =>
        shopManageLoader({ request: getRequest('/reseller/shop', cookies.lily), params: {}, context: {} }),
      )
    ).json()
    expect(page.suggestedHandle).toBe('lily-hz')
    expect((await manage({ intent: 'handle', handle: '  Lily-HZ ' })).status).toBe(200)
    expect((await shopGet('lily-hz')).status).toBe(200)
    expect((await shopGet('LILY-HZ')).status).toBe(200)
    // Someone else cannot take it.
    const taken = await manage({ intent: 'handle', handle: 'lily-hz' }, cookies.amei)
    expect(taken.status).toBe(409)
    expect((await taken.json()).formError.code).toBe('handle_taken')
    // Rename: the old address answers 301 to the new one, keeping the query.
    expect((await manage({ intent: 'handle', handle: 'lily-shop' })).status).toBe(200)
    const moved = await shopGet('lily-hz', '?category=womens')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('Location')).toBe('/shop/lily-shop?category=womens')
    // Renamed twice: both former handles go straight to the current one.
    expect((await manage({ intent: 'handle', handle: 'lily2026' })).status).toBe(200)
    expect((await shopGet('lily-hz')).headers.get('Location')).toBe('/shop/lily2026')
    expect((await shopGet('lily-shop')).headers.get('Location')).toBe('/shop/lily2026')
    // A former handle stays hers: nobody else can claim it, she can go back to it.
    expect((await manage({ intent: 'handle', handle: 'lily-shop' }, cookies.amei)).status).toBe(409)
    expect((await manage({ intent: 'handle', handle: 'lily-hz' })).status).toBe(200)
    expect((await shopGet('lily-hz')).status).toBe(200)
    expect((await shopGet('lily2026')).headers.get('Location')).toBe('/shop/lily-hz')
    const rows = await t.db
      .selectFrom('shop_handles')
      .select(['handle', 'is_current'])
      .where('user_id', '=', ids.lily)
      .orderBy('handle')
      .execute()
    expect(rows).toEqual([
      { handle: 'lily-hz', is_current: true },
      { handle: 'lily-shop', is_current: false },
      { handle: 'lily2026', is_current: false },
    ])
    // Unknown and malformed handles are 404s.
    expect((await shopGet('nobody-here')).status).toBe(404)
    expect((await shopGet('../admin')).status).toBe(404)
  })

  it('settles two resellers racing for one new handle: exactly one gets it', async () => {
    const results = await Promise.all([
      manage({ intent: 'handle', handle: 'amei-race' }, cookies.amei),
      manage({ intent: 'handle', handle: 'amei-race' }, cookies.lily),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const winner = results[0].status === 200 ? ids.amei : ids.lily
    if (winner === ids.lily) expect((await manage({ intent: 'handle', handle: 'lily-hz' })).status).toBe(200)
    await manage({ intent: 'handle', handle: 'amei-shop' }, cookies.amei)
  })

  it('lets only members manage a shop', async () => {
    expect(
      (await settle(() => shopManageLoader({ request: getRequest('/reseller/shop'), params: {}, context: {} }))).status,
    ).toBe(302)
    expect(
      (
        await settle(() =>
          shopManageLoader({ request: getRequest('/reseller/shop', cookies.staff), params: {}, context: {} }),
        )
      ).status,
    ).toBe(403)
    expect((await manage({ intent: 'handle', handle: 'brand-shop' }, cookies.staff)).status).toBe(403)
  })
})

describe('one-click listing, remove, reorder, browse', () => {
  it('lists a whole live session by a markup rule, raising prices under a floor to it', async () => {
    const res = await manage({
      intent: 'addSession',
      sessionId: ids.live,
      markupKind: 'percent',
      markupValue: '10',
      rounding: 'none',
    })
    expect(res.status).toBe(200)
    expect((await res.json()).done).toEqual({ listed: 3, raised: 2 })
    const d = await shopData('lily-hz')
    expect(d.sessions.map((s) => [s.id, s.phase])).toEqual([[ids.live, 'live']])
    const prices = Object.fromEntries(itemsOf(d).map((i) => [i.id, i.priceMinor]))
    const item = (id: string, base: number, min: number | null, tagCut = false) => ({
      itemId: id,
      title: id,
      ownPriceMinor: own(base),
      minRetailPriceMinor: min,
      tagCut,
    })
    expect(prices).toEqual({
      [ids.dress]: MIN_RETAIL.dress, // +10% is under the brand's minimum: raised to it
      [ids.cut]: suggestRetailPrice(item(ids.cut, BASES.cut, null, true), rule).priceMinor,
      [ids.boots]: MIN_RETAIL.boots,
    })
    expect(prices[ids.cut]).toBe(own(BASES.cut) + Math.ceil(own(BASES.cut) / 10))
    for (const [id, base, min] of [
      [ids.dress, BASES.dress, MIN_RETAIL.dress],
      [ids.cut, BASES.cut, null],
      [ids.boots, BASES.boots, MIN_RETAIL.boots],
    ] as const) {
      expect(checkRetailPrice(item(id, base, min), prices[id])).toBeNull()
    }
    expect(itemsOf(d).every((i) => i.buyable)).toBe(true)
  })

  it('refuses ended and unknown sessions and bad markups', async () => {
    for (const sessionId of [ids.ended, '00000000-0000-0000-0000-000000000000']) {
      const res = await manage({
        intent: 'addSession',
        sessionId,
        markupKind: 'percent',
        markupValue: '10',
        rounding: 'none',
      })
      expect(res.status).toBe(422)
      expect((await res.json()).formError.code).toBe('session_not_listable')
    }
    expect(
      (
        await manage({
          intent: 'addSession',
          sessionId: ids.live,
          markupKind: 'percent',
          markupValue: '-5',
          rounding: 'none',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await manage({
          intent: 'addSession',
          sessionId: 'x',
          markupKind: 'percent',
          markupValue: '5',
          rounding: 'none',
        })
      ).status,
    ).toBe(400)
  })

  it('groups by session (live first) and filters by text, category and size', async () => {
    expect(
      (
        await manage({
          intent: 'addSession',
          sessionId: ids.upcoming,
          markupKind: 'percent',
          markupValue: '10',
          rounding: 'none',
        })
      ).status,
    ).toBe(200)
    const d = await shopData('lily-hz')
    expect(d.sessions.map((s) => s.phase)).toEqual(['live', 'upcoming'])
    expect(d.total).toBe(5)
    expect(d.facets.categories).toEqual(['mens', 'shoes_bags', 'womens'])
    // Each size with its English name (these read in English already).
    expect(d.facets.sizes).toEqual(['S', 'M', 'L', 'XL', '37', '38'].map((value) => ({ value, en: value })))
    expect(
      itemsOf(await shopData('lily-hz', '?category=womens'))
        .map((i) => i.id)
        .sort(),
    ).toEqual([ids.dress, ids.upA].sort())
    // The dress is sold out in L: a size filter shows what can be had in that size.
    expect(itemsOf(await shopData('lily-hz', '?size=L')).map((i) => i.id)).toEqual([ids.upB])
    expect(itemsOf(await shopData('lily-hz', '?q=连衣裙')).map((i) => i.id)).toEqual([ids.dress])
    expect(itemsOf(await shopData('lily-hz', '?q=boots')).map((i) => i.id)).toEqual([ids.boots])
    expect(
      itemsOf(await shopData('lily-hz', '?q=剪标'))
        .map((i) => i.id)
        .sort(),
    ).toEqual([ids.cut, ids.upB].sort())
    expect(itemsOf(await shopData('lily-hz', '?q=鞋包')).map((i) => i.id)).toEqual([ids.boots])
    const none = await shopData('lily-hz', '?q=nothing-like-this')
    expect([none.sessions.length, none.shown, none.total]).toEqual([0, 0, 5])
    expect((await shopGet('lily-hz', '?category=diapers')).status).toBe(400)
  })

  it('reorders within a session and removes items or a whole session; nobody else can touch her shelves', async () => {
    const order = async () => (await shopData('lily-hz')).sessions[0].items.map((i) => i.id)
    expect(await order()).toEqual([ids.dress, ids.cut, ids.boots])
    expect((await manage({ intent: 'move', itemId: ids.boots, direction: 'up' })).status).toBe(200)
    expect(await order()).toEqual([ids.dress, ids.boots, ids.cut])
    expect((await manage({ intent: 'move', itemId: ids.dress, direction: 'up' })).status).toBe(200) // already first
    expect((await manage({ intent: 'move', itemId: ids.dress, direction: 'down' })).status).toBe(200)
    expect(await order()).toEqual([ids.boots, ids.dress, ids.cut])
    // Another member's request about her items changes nothing.
    expect((await manage({ intent: 'move', itemId: ids.dress, direction: 'up' }, cookies.amei)).status).toBe(404)
    expect((await manage({ intent: 'remove', itemId: ids.cut }, cookies.amei)).status).toBe(404)
    expect((await manage({ intent: 'remove', itemId: ids.cut })).status).toBe(200)
    expect(await order()).toEqual([ids.boots, ids.dress])
    // Listing the session again brings the removed item back at the end and keeps the others' places.
    await manage({
      intent: 'addSession',
      sessionId: ids.live,
      markupKind: 'percent',
      markupValue: '10',
      rounding: 'none',
    })
    expect(await order()).toEqual([ids.boots, ids.dress, ids.cut])
    expect((await manage({ intent: 'removeSession', sessionId: ids.upcoming })).status).toBe(200)
    expect((await shopData('lily-hz')).sessions.map((s) => s.id)).toEqual([ids.live])
  })
})

describe('never leak', () => {
  it('no shop HTML, ?_data JSON, OG tag or error holds her level, a wholesale price, a floor or a count', async () => {
    const routes = [
      {
        id: 'shop',
        path: '/shop/:handle',
        loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) =>
          shopLoader({ request, params, context: {} }),
        Component: ShopPage,
      },
    ]
    const handler = createStaticHandler(routes)
    const htmls: string[] = []
    for (const [locale, query] of [
      ['zh-CN', ''],
      ['en', ''],
      ['zh-CN', '?q=剪标'],
      ['en', '?size=M'],
    ] as const) {
      const context = await handler.query(
        new Request(`${BASE}/shop/lily-hz${query}`, { headers: { Cookie: `lng=${locale}` } }),
      )
      if (context instanceof Response) throw new Error('unexpected response')
      const router = createStaticRouter(handler.dataRoutes, context)
      htmls.push(
        renderToString(
          h(I18nextProvider, { i18n: createI18n(locale) }, h(StaticRouterProvider, { router, context, hydrate: true })),
        ),
      )
    }
    expect(htmls[0]).toContain('杭州Lily')
    expect(htmls[0]).toContain('lily_hz_2026')
    expect(htmls[0]).toContain(
      formatMoney({ amountMinor: MIN_RETAIL.boots, currency: 'CNY' }, 'zh-CN').replace('.00', ''),
    )
    const data = await (await shopGet('lily-hz')).json()
    const metaTags = JSON.stringify(
      shopMeta({
        data,
        params: { handle: 'lily-hz' },
        location: { pathname: '', search: '', hash: '', state: null, key: '' },
        matches: [],
      } as unknown as Parameters<typeof shopMeta>[0]),
    )
    expect(metaTags).toContain('og:title')
    const missing = await shopGet('no-such-shop')
    const errors = `${await missing.text()} ${await (await shopGet('lily-hz', '?category=x')).text()}`

    const haystacks = { html: htmls.join('\n'), data: JSON.stringify(data), meta: metaTags, errors }
    const forbidden: string[] = []
    for (const base of [BASES.dress, BASES.cut, BASES.boots]) {
      for (const level of DEFAULT_VIP_TIERS.map((tier) => tier.level)) {
        const fen = memberUnitPrice(base, level, DEFAULT_VIP_TIERS)
        for (const locale of ['zh-CN', 'en']) forbidden.push(formatMoney({ amountMinor: fen, currency: 'CNY' }, locale))
        forbidden.push((fen / 100).toFixed(2), String(fen))
      }
    }
    // Her prices here are the floors for two items, so the floors are checked as the brand's own numbers elsewhere;
    // the tag price of the tag-cut item and every count must not appear.
    forbidden.push('456.10', '45610')
    for (const q of Object.values(QTY)) forbidden.push(String(q), String(q * 2), String(q * 3))
    const numberAt = (hay: string, needle: string) =>
      new RegExp(`(?<![\\w.])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w]|\\.\\d)`).test(hay)
    const leaks: string[] = []
    for (const [where, hay] of Object.entries(haystacks)) {
      for (const needle of forbidden) if (numberAt(hay, needle)) leaks.push(`${where}: ${needle}`)
      for (const word of [
        'VIP',
        'vipLevel',
        'vip_level',
        'base_price',
        'min_retail',
        'minRetail',
        'ownPrice',
        'floor',
        'available',
        'retail_price_minor',
        '拿货价',
        '吊牌价',
        '限价',
        'user_id',
        ids.lily,
      ]) {
        if (hay.includes(word)) leaks.push(`${where}: ${word}`)
      }
      // No way from her page into the marketplace: no links but her contact.
      for (const m of hay.matchAll(/href="([^"]*)"/g))
        if (
          !/^(tel:|\/build\/|\/favicon|\/art\/|#|\/shop\/lily-hz$|http:\/\/localhost:3000\/shop\/lily-hz$)/.test(m[1])
        )
          leaks.push(`${where}: link ${m[1]}`)
    }
    expect(leaks).toEqual([])
  })
})

describe('prices that a later change breaks are marked, unbuyable, and fixed in one step', () => {
  const offers = async (itemIds: string[], shareLinkId?: string) =>
    resellerOffers(t.db, { resellerId: ids.lily, itemIds, shareLinkId }, new Date())
  let link: { id: string; token: string }

  beforeAll(async () => {
    await manage({
      intent: 'addSession',
      sessionId: ids.upcoming,
      markupKind: 'percent',
      markupValue: '10',
      rounding: 'none',
    })
    const member = { id: ids.lily, role: 'member' as const, vip_level: 3, display_name: '杭州Lily' }
    ;[link] = await forwardItems(t.db, member, {
      sessionId: ids.upcoming,
      itemIds: [ids.upA, ids.upB],
      prices: new Map(),
      rule,
      raiseToFloor: true,
      mode: 'list',
      now: new Date(),
    })
  })
  const shareData = async () =>
    (await (
      await settle(() =>
        shareLoader({ request: getRequest(`/s/${link.token}`), params: { token: link.token }, context: {} }),
      )
    ).json()) as { items: { id: string; buyable: boolean; priceMinor: number }[] }
  const shopItem = async (id: string) => itemsOf(await shopData('lily-hz')).find((i) => i.id === id)!

  it('starts with every price valid', async () => {
    expect(await priceIssues(t.db, ids.lily, new Date())).toEqual([])
    expect([...(await offers([ids.upA, ids.upB])).values()].every((o) => o.buyable)).toBe(true)
    expect((await shareData()).items.every((i) => i.buyable)).toBe(true)
  })

  it('a brand raising its minimum retail before the start marks the item on her shop and links', async () => {
    const newMin = 13370
    await updateItemPrices(
      t.db,
      ids.brand,
      ids.upcoming,
      { itemId: ids.upA, basePriceMinor: BASES.upA, minRetailPriceMinor: newMin, perMemberCap: null },
      new Date(),
    )
    expect((await shopItem(ids.upA)).buyable).toBe(false)
    expect((await shopItem(ids.upB)).buyable).toBe(true)
    expect((await shareData()).items.find((i) => i.id === ids.upA)!.buyable).toBe(false)
    expect((await offers([ids.upA])).get(ids.upA)!.buyable).toBe(false)
    expect((await offers([ids.upA], link.id)).get(ids.upA)!.buyable).toBe(false)
    const issues = await priceIssues(t.db, ids.lily, new Date())
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      itemId: ids.upA,
      priceMinor: MIN_RETAIL.upA,
      violation: { floor: 'min_retail', floorMinor: newMin },
      repricedMinor: newMin,
      inShop: true,
      shareLinkIds: [link.id],
    })
    // She sees what to fix on her pages; one step re-prices shop and link.
    const page = await (
      await settle(() =>
        shopManageLoader({ request: getRequest('/reseller/shop', cookies.lily), params: {}, context: {} }),
      )
    ).json()
    expect(page.issues).toHaveLength(1)
    const res = await manage({ intent: 'reprice' })
    expect((await res.json()).done).toEqual({ count: 1 })
    expect(await priceIssues(t.db, ids.lily, new Date())).toEqual([])
    expect(await shopItem(ids.upA)).toMatchObject({ buyable: true, priceMinor: newMin })
    expect((await shareData()).items.find((i) => i.id === ids.upA)).toMatchObject({ buyable: true, priceMinor: newMin })
  })

  it('an operator editing the VIP table marks prices under her new own price', async () => {
    // A tight price she set herself (valid at 8% off), then the table cuts every discount (VIP3: 3%).
    const tight = own(BASES.upB) + 10
    await t.db
      .updateTable('reseller_prices')
      .set({ retail_price_minor: tight })
      .where('user_id', '=', ids.lily)
      .where('session_item_id', '=', ids.upB)
      .execute()
    await t.db
      .updateTable('share_link_items')
      .set({ retail_price_minor: tight })
      .where('share_link_id', '=', link.id)
      .where('session_item_id', '=', ids.upB)
      .execute()
    expect((await shopItem(ids.upB)).buyable).toBe(true)
    const tiers = DEFAULT_VIP_TIERS.map((tier) => ({ ...tier, discountBps: tier.level * 100 }))
    const ownNow = memberUnitPrice(BASES.upB, 3, tiers)
    expect(ownNow).toBeGreaterThan(tight)
    expect(await updateVipTiers(t.db, { operatorId: ids.ops, tiers, note: 'test', now: new Date() })).toEqual({
      ok: true,
    })
    invalidateVipTiers()
    try {
      expect((await shopItem(ids.upB)).buyable).toBe(false)
      expect((await shareData()).items.find((i) => i.id === ids.upB)!.buyable).toBe(false)
      const issues = await priceIssues(t.db, ids.lily, new Date())
      expect(
        issues.map((i) => [i.itemId, i.violation.floor, i.violation.floorMinor, i.inShop, i.shareLinkIds]),
      ).toEqual([[ids.upB, 'own_price', ownNow, true, [link.id]]])
      expect(issues[0].repricedMinor).toBe(ownNow + Math.ceil(ownNow / 10))
      await manage({ intent: 'reprice' })
      expect(await shopItem(ids.upB)).toMatchObject({ buyable: true, priceMinor: ownNow + Math.ceil(ownNow / 10) })
      expect((await shareData()).items.find((i) => i.id === ids.upB)).toMatchObject({
        buyable: true,
        priceMinor: ownNow + Math.ceil(ownNow / 10),
      })
    } finally {
      await updateVipTiers(t.db, {
        operatorId: ids.ops,
        tiers: [...DEFAULT_VIP_TIERS],
        note: 'restore',
        now: new Date(),
      })
      invalidateVipTiers()
    }
  })

  it('a level drop at the end of a month marks prices under her new own price', async () => {
    // A tight price she set herself (valid at VIP3), then a month without purchases.
    const tight = own(BASES.upB, 3) + 10
    expect(tight).toBeLessThan(own(BASES.upB, 1))
    await t.db
      .updateTable('reseller_prices')
      .set({ retail_price_minor: tight })
      .where('user_id', '=', ids.lily)
      .where('session_item_id', '=', ids.upB)
      .execute()
    expect((await shopItem(ids.upB)).buyable).toBe(true)
    const longAgo = new Date('2026-09-01T00:00:00Z')
    await sql`update users set created_at = ${longAgo} where id = ${ids.lily}`.execute(t.db)
    await t.db.updateTable('memberships').set({ level_since: longAgo }).where('member_id', '=', ids.lily).execute()
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7)
    await runMonthlyRetention(t.db, { now: new Date(), month })
    const level = (
      await t.db.selectFrom('users').select('vip_level').where('id', '=', ids.lily).executeTakeFirstOrThrow()
    ).vip_level
    expect(level).toBe(1)
    expect((await shopItem(ids.upB)).buyable).toBe(false)
    expect((await offers([ids.upB])).get(ids.upB)!.buyable).toBe(false)
    const issues = await priceIssues(t.db, ids.lily, new Date())
    expect(issues.find((i) => i.itemId === ids.upB && i.priceMinor === tight)).toMatchObject({
      violation: { floor: 'own_price', floorMinor: own(BASES.upB, 1) },
      inShop: true,
    })
    await manage({ intent: 'reprice' })
    expect(await priceIssues(t.db, ids.lily, new Date())).toEqual([])
    const fixed = await shopItem(ids.upB)
    expect(fixed.buyable).toBe(true)
    expect(fixed.priceMinor).toBeGreaterThanOrEqual(own(BASES.upB, 1))
  })
})
