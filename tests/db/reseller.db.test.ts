import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '#app/domain/money'
import { DEFAULT_VIP_TIERS, memberUnitPrice } from '#app/domain/pricing'
import { applyMarkup } from '#app/domain/retail-pricing'
import { createI18n } from '#app/i18n'
import { loader as dashboardLoader } from '#app/routes/reseller._index'
import { action as linkAction, loader as linkLoader } from '#app/routes/reseller.links.$linkId'
import { action as profileAction, loader as profileLoader } from '#app/routes/reseller.profile'
import { action as forwardAction, loader as forwardLoader } from '#app/routes/reseller.sessions.$sessionId'
import SharePage, { loader as shareLoader, meta as shareMeta } from '#app/routes/s.$token'
import { loader as cardLoader } from '#app/routes/s.$token.card[.png]'
import { cardSvg, cachedCardPng } from '#app/services/reseller/cards.server'
import { shareCard } from '#app/services/reseller/forwarding.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date()
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}
// Prices and counts chosen so that a leak cannot hide behind a coincidence.
const BASES = { dress: 8990, cut: 5990, coat: 12990, gone: 7770 }
const MIN_RETAIL = { dress: 11900, coat: 15900, gone: 9990 }
const QTY = { dress: 173, cut: 219, coat: 347 }

beforeAll(async () => {
  process.env.CARDS_DIR = mkdtempSync(path.join(tmpdir(), 'cards-'))
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, {
    brandId: brand.id,
    startsAt: hours(-2),
    title: '沐岚 冬季清仓',
    titleEn: 'MULAN winter',
  })
  const ended = await createSession(t.db, { brandId: brand.id, startsAt: hours(-50), title: '已结束档期' })
  const dress = await createProduct(t.db, {
    brandId: brand.id,
    title: '真丝连衣裙',
    titleEn: 'Silk dress',
    tagPriceMinor: 39900,
    sizes: ['S', 'M', 'L'],
  })
  const cut = await createProduct(t.db, {
    brandId: brand.id,
    title: '剪标羊毛衫',
    titleEn: 'Wool sweater',
    tagPriceMinor: 45600,
    tagCut: true,
    sizes: ['M'],
  })
  const coat = await createProduct(t.db, {
    brandId: brand.id,
    title: '双面呢大衣',
    titleEn: 'Double-faced coat',
    tagPriceMinor: 89900,
    sizes: ['M', 'L'],
  })
  const gone = await createProduct(t.db, {
    brandId: brand.id,
    title: '已抢光短靴',
    titleEn: 'Ankle boots',
    tagPriceMinor: 29900,
    sizes: ['37'],
  })
  const endedProduct = await createProduct(t.db, { brandId: brand.id, title: '旧款', sizes: ['M'] })
  const dressItem = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: dress.product.id,
    skuIds: dress.skus.map((s) => s.id),
    basePriceMinor: BASES.dress,
    quantity: QTY.dress,
    minRetailPriceMinor: MIN_RETAIL.dress,
  })
  // One size of the dress is sold out: the card lists only the sizes with stock.
  await t.db
    .updateTable('session_item_skus')
    .set({ available: 0 })
    .where('session_item_id', '=', dressItem.id)
    .where('sku_id', '=', dress.skus.find((s) => s.size === 'L')!.id)
    .execute()
  const cutItem = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: cut.product.id,
    skuIds: cut.skus.map((s) => s.id),
    basePriceMinor: BASES.cut,
    quantity: QTY.cut,
    position: 1,
  })
  const coatItem = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: coat.product.id,
    skuIds: coat.skus.map((s) => s.id),
    basePriceMinor: BASES.coat,
    quantity: QTY.coat,
    minRetailPriceMinor: MIN_RETAIL.coat,
    position: 2,
  })
  const goneItem = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: gone.product.id,
    skuIds: gone.skus.map((s) => s.id),
    basePriceMinor: BASES.gone,
    quantity: 0,
    minRetailPriceMinor: MIN_RETAIL.gone,
    position: 3,
  })
  const endedItem = await addSessionItem(t.db, {
    sessionId: ended.id,
    productId: endedProduct.product.id,
    skuIds: endedProduct.skus.map((s) => s.id),
    basePriceMinor: 5000,
    quantity: 5,
  })
  const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily' })
  const other = await createUser(t.db, { vipLevel: 5 })
  const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
  Object.assign(ids, {
    live: live.id,
    ended: ended.id,
    dress: dressItem.id,
    cut: cutItem.id,
    coat: coatItem.id,
    gone: goneItem.id,
    endedItem: endedItem.id,
    lily: lily.id,
    other: other.id,
  })
  cookies.lily = await cookieFor(t.db, lily.id)
  cookies.other = await cookieFor(t.db, other.id)
  cookies.staff = await cookieFor(t.db, staff.id)
})
afterAll(() => t.drop())

const own = (base: number) => memberUnitPrice(base, 3, DEFAULT_VIP_TIERS)
const forward = (fields: Record<string, string | string[]>, cookie = cookies.lily, sessionId = ids.live) =>
  settle(() =>
    forwardAction({
      request: formRequest(`/reseller/sessions/${sessionId}`, fields, { cookie }),
      params: { sessionId },
      context: {},
    }),
  )
const shareGet = (token: string, cookie?: string) =>
  settle(() => shareLoader({ request: getRequest(`/s/${token}`, cookie), params: { token }, context: {} }))
const cardGet = (token: string, query = '') =>
  settle(() => cardLoader({ request: getRequest(`/s/${token}/card.png${query}`), params: { token }, context: {} }))
const linkGet = (linkId: string, cookie: string) =>
  settle(() =>
    linkLoader({ request: getRequest(`/reseller/links/${linkId}`, cookie), params: { linkId }, context: {} }),
  )
const yuan = (fen: number) => (fen / 100).toFixed(2)

async function forwardList(itemIds: string[], prices: Record<string, number>) {
  const fields: Record<string, string | string[]> = { intent: 'list', item: itemIds }
  for (const [id, p] of Object.entries(prices)) fields[`price_${id}`] = yuan(p)
  const res = await forward(fields)
  expect(res.status).toBe(302)
  const linkId = res.headers.get('Location')!.split('/').pop()!
  const link = await t.db.selectFrom('share_links').selectAll().where('id', '=', linkId).executeTakeFirstOrThrow()
  return link
}

describe('profile and default markup', () => {
  it('refuses bad input with field messages', async () => {
    const res = await settle(() =>
      profileAction({
        request: formRequest(
          '/reseller/profile',
          { displayName: '', wechatId: '1bad', phone: 'x', markupKind: 'percent', markupValue: '-3', rounding: 'nine' },
          { cookie: cookies.lily },
        ),
        params: {},
        context: {},
      }),
    )
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.result.error).toMatchObject({
      displayName: ['reseller.profile.errors.displayName'],
      wechatId: ['reseller.profile.errors.wechatId'],
      phone: ['reseller.profile.errors.phone'],
    })
    const noContact = await settle(() =>
      profileAction({
        request: formRequest(
          '/reseller/profile',
          { displayName: 'Lily', wechatId: '', phone: '' },
          { cookie: cookies.lily },
        ),
        params: {},
        context: {},
      }),
    )
    expect(noContact.status).toBe(400)
    expect((await noContact.json()).result.error).toEqual({ contact: ['reseller.profile.errors.contact'] })
    const badMarkup = await settle(() =>
      profileAction({
        request: formRequest(
          '/reseller/profile',
          { displayName: 'Lily', phone: '13800000003', markupKind: 'percent', markupValue: '2000' },
          { cookie: cookies.lily },
        ),
        params: {},
        context: {},
      }),
    )
    expect(badMarkup.status).toBe(400)
    expect((await badMarkup.json()).result.error).toEqual({ markup: ['reseller.profile.errors.markup'] })
  })

  it('saves the profile, and the default markup prefills newly forwarded items', async () => {
    const res = await settle(() =>
      profileAction({
        request: formRequest(
          '/reseller/profile',
          {
            displayName: '杭州Lily',
            wechatId: 'lily_hz_2026',
            phone: '13800000003',
            markupKind: 'percent',
            markupValue: '30',
            rounding: 'nine',
          },
          { cookie: cookies.lily },
        ),
        params: {},
        context: {},
      }),
    )
    expect(res.status).toBe(200)
    const profile = await (
      await settle(() =>
        profileLoader({ request: getRequest('/reseller/profile', cookies.lily), params: {}, context: {} }),
      )
    ).json()
    expect(profile.profile).toMatchObject({
      displayName: '杭州Lily',
      wechatId: 'lily_hz_2026',
      markup: { kind: 'percent', value: 3000, rounding: 'nine' },
    })
    const page = await (
      await settle(() =>
        forwardLoader({
          request: getRequest(`/reseller/sessions/${ids.live}`, cookies.lily),
          params: { sessionId: ids.live },
          context: {},
        }),
      )
    ).json()
    const dress = page.items.find((i: { id: string }) => i.id === ids.dress)
    expect(dress.ownPriceMinor).toBe(own(BASES.dress))
    // +30% ending in 9 would be ¥109 here, under the brand's ¥119 minimum: the prefill is the floor (rounded by the
    // rule) and says so.
    expect(applyMarkup(own(BASES.dress), { kind: 'percent', value: 3000, rounding: 'nine' })).toBeLessThan(
      MIN_RETAIL.dress,
    )
    expect(dress.suggestedRetailMinor).toBe(11900)
    expect(dress.prefillRaised).toBe(true)
    const coat = page.items.find((i: { id: string }) => i.id === ids.coat)
    expect(coat.suggestedRetailMinor).toBe(
      applyMarkup(own(BASES.coat), { kind: 'percent', value: 3000, rounding: 'nine' }),
    )
    expect(coat.prefillRaised).toBe(false)
    expect(dress.sizesLeft).toEqual(['S', 'M'])
  })
})

describe('forwarding', () => {
  it('previews a markup rule for the selected items, naming each violation', async () => {
    const res = await forward({
      intent: 'preview',
      item: [ids.dress, ids.cut],
      markupKind: 'percent',
      markupValue: '10',
      rounding: 'yuan',
    })
    expect(res.status).toBe(200)
    const { preview } = await res.json()
    const dressPrice = Math.ceil((own(BASES.dress) + Math.ceil(own(BASES.dress) * 0.1)) / 100) * 100
    expect(preview.map((l: { retailPriceMinor: number }) => l.retailPriceMinor)).toEqual([
      dressPrice,
      Math.ceil((own(BASES.cut) * 1.1) / 100) * 100,
    ])
    expect(preview[0].violation).toMatchObject({
      title: '真丝连衣裙',
      floor: 'min_retail',
      floorMinor: MIN_RETAIL.dress,
    })
    expect(preview[1].violation).toBeNull()
    const raised = await (
      await forward({
        intent: 'preview',
        item: [ids.dress],
        markupKind: 'percent',
        markupValue: '10',
        rounding: 'nine',
        raiseToFloor: 'on',
      })
    ).json()
    expect(raised.preview[0]).toMatchObject({ retailPriceMinor: 11900, raised: true, violation: null })
    expect(await t.db.selectFrom('share_links').selectAll().execute()).toHaveLength(0)
  })

  it('refuses prices below the brand minimum (non tag-cut) or below the own price, and saves nothing', async () => {
    const res = await forward({
      intent: 'list',
      item: [ids.dress, ids.cut],
      [`price_${ids.dress}`]: yuan(MIN_RETAIL.dress - 1),
      [`price_${ids.cut}`]: yuan(own(BASES.cut) - 1),
    })
    expect(res.status).toBe(422)
    const { result, formError } = await res.json()
    expect(result.error).toEqual({ '': ['shop.forward.firstError'] })
    expect(formError.violations).toEqual([
      {
        itemId: ids.dress,
        title: '真丝连衣裙',
        priceMinor: MIN_RETAIL.dress - 1,
        floor: 'min_retail',
        floorMinor: MIN_RETAIL.dress,
      },
      {
        itemId: ids.cut,
        title: '剪标羊毛衫',
        priceMinor: own(BASES.cut) - 1,
        floor: 'own_price',
        floorMinor: own(BASES.cut),
      },
    ])
    expect(await t.db.selectFrom('share_links').selectAll().execute()).toHaveLength(0)
    expect(await t.db.selectFrom('reseller_prices').selectAll().execute()).toHaveLength(0)
  })

  it('answers 400 for malformed input and 404/409 for items or sessions that cannot be forwarded', async () => {
    // Every answer is the one form reply: the messages are i18n keys, at the field or the form.
    const errorsOf = async (res: Response, status: number) => {
      expect(res.status).toBe(status)
      return (await res.json()).result.error
    }
    expect(await errorsOf(await forward({ intent: 'list' }), 400)).toEqual({
      item: ['reseller.session.nothingSelected'],
    })
    expect((await forward({ intent: 'list', item: ['nope'] })).status).toBe(400)
    const badPrice = await forward({ intent: 'list', item: [ids.dress], [`price_${ids.dress}`]: '12.345' })
    expect(await errorsOf(badPrice, 400)).toEqual({ [`price_${ids.dress}`]: ['reseller.session.badPrice'] })
    const badMarkup = await forward({ intent: 'preview', item: [ids.dress], markupKind: 'percent', markupValue: 'x' })
    expect(await errorsOf(badMarkup, 400)).toEqual({ markupValue: ['reseller.profile.errors.markup'] })
    expect((await forward({ intent: 'destroy', item: [ids.dress] })).status).toBe(400)
    expect((await forward({ intent: 'list', item: [ids.endedItem] })).status).toBe(422)
    const ended = await forward({ intent: 'list', item: [ids.endedItem] }, cookies.lily, ids.ended)
    expect(await errorsOf(ended, 409)).toEqual({ '': ['reseller.session.ended'] })
    const missing = '00000000-0000-0000-0000-000000000000'
    expect(
      (
        await settle(() =>
          forwardLoader({
            request: getRequest(`/reseller/sessions/${missing}`, cookies.lily),
            params: { sessionId: missing },
            context: {},
          }),
        )
      ).status,
    ).toBe(404)
  })

  it('forwards single cards, one link per item, and saves the prices', async () => {
    const res = await forward({
      intent: 'single',
      item: [ids.dress, ids.coat],
      [`price_${ids.dress}`]: '129',
      [`price_${ids.coat}`]: '189.9',
    })
    expect(res.status).toBe(302)
    const links = await t.db.selectFrom('share_links').selectAll().where('user_id', '=', ids.lily).execute()
    expect(links.map((l) => l.kind)).toEqual(['item', 'item'])
    for (const l of links) expect(l.token).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const prices = await t.db
      .selectFrom('reseller_prices')
      .select(['session_item_id', 'retail_price_minor'])
      .where('user_id', '=', ids.lily)
      .execute()
    expect(Object.fromEntries(prices.map((p) => [p.session_item_id, p.retail_price_minor]))).toEqual({
      [ids.dress]: 12900,
      [ids.coat]: 18990,
    })
  })

  it('forwards a list; blank prices take the default markup', async () => {
    const link = await forwardList([ids.dress, ids.cut, ids.gone], { [ids.dress]: 13900, [ids.gone]: 9990 })
    expect(link.kind).toBe('list')
    const items = await t.db
      .selectFrom('share_link_items')
      .select(['session_item_id', 'retail_price_minor'])
      .where('share_link_id', '=', link.id)
      .orderBy('position')
      .execute()
    expect(items).toEqual([
      { session_item_id: ids.dress, retail_price_minor: 13900 },
      {
        session_item_id: ids.cut,
        retail_price_minor: applyMarkup(own(BASES.cut), { kind: 'percent', value: 3000, rounding: 'nine' }),
      },
      { session_item_id: ids.gone, retail_price_minor: 9990 },
    ])
    const tooMany = await forward({
      intent: 'list',
      item: Array.from({ length: 10 }, () => ids.dress).map((id, i) => (i ? crypto.randomUUID() : id)),
    })
    expect(tooMany.status).toBe(422)
  })
})

describe('share pages', () => {
  it('shows the retail price, availability, contact, and counts views per page and item', async () => {
    const link = await forwardList([ids.dress, ids.gone], { [ids.dress]: 14900, [ids.gone]: 9990 })
    const first = await shareGet(link.token)
    expect(first.status).toBe(200)
    const data = await first.json()
    expect(data.items.map((i: { priceMinor: number; availability: string }) => [i.priceMinor, i.availability])).toEqual(
      [
        [14900, 'in_stock'],
        [9990, 'sold_out'],
      ],
    )
    expect(data.reseller).toEqual({ name: '杭州Lily', wechatId: 'lily_hz_2026', phone: '13800000003' })
    expect(data.og.image).toBe(`${BASE}/s/${link.token}/card.png`)
    await shareGet(link.token)
    await shareGet(link.token, cookies.lily) // the reseller's own look is not a view
    const dashboard = await (
      await settle(() => dashboardLoader({ request: getRequest('/reseller', cookies.lily), params: {}, context: {} }))
    ).json()
    const mine = dashboard.links.find((l: { id: string }) => l.id === link.id)
    expect(mine.views).toBe(2)
    expect(mine.items.map((i: { views: number }) => i.views)).toEqual([2, 2])
  })

  it('says the sale has ended after the end', async () => {
    const link = await forwardList([ids.coat], { [ids.coat]: 19900 })
    await t.db
      .updateTable('clearance_sessions')
      .set({ starts_at: hours(-49), ends_at: hours(-1), after_sale_deadline_at: hours(200) })
      .where('id', '=', ids.live)
      .execute()
    try {
      const data = await (await shareGet(link.token)).json()
      expect(data.session.phase).toBe('ended')
      const card = await shareCard(t.db, link.token, { locale: 'zh-CN', origin: BASE, now: new Date() })
      expect(card.status === 'ok' && card.content.ended).toBe(true)
      expect(card.status === 'ok' && cardSvg(card.content)).toContain('本场特卖已结束')
      expect((await forward({ intent: 'list', item: [ids.coat] })).status).toBe(409)
    } finally {
      await t.db
        .updateTable('clearance_sessions')
        .set({ starts_at: hours(-2), ends_at: hours(46), after_sale_deadline_at: hours(200) })
        .where('id', '=', ids.live)
        .execute()
    }
  })

  it('answers 404 for unknown tokens and 410 for the page and card of a revoked link', async () => {
    expect((await shareGet('AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404)
    expect((await shareGet("x' or 1=1")).status).toBe(404)
    const link = await forwardList([ids.dress], { [ids.dress]: 15900 })
    expect((await cardGet(link.token)).status).toBe(200)
    const revoke = await settle(() =>
      linkAction({
        request: formRequest(`/reseller/links/${link.id}`, { intent: 'revoke' }, { cookie: cookies.lily }),
        params: { linkId: link.id },
        context: {},
      }),
    )
    expect(revoke.status).toBe(302)
    expect((await shareGet(link.token)).status).toBe(410)
    expect((await cardGet(link.token)).status).toBe(410)
    const page = await (await linkGet(link.id, cookies.lily)).json()
    expect(page.revoked).toBe(true)
  })
})

describe('access', () => {
  it('another member can neither see nor revoke my links; signed-out visitors see only /s/', async () => {
    const link = await forwardList([ids.dress], { [ids.dress]: 16900 })
    expect((await linkGet(link.id, cookies.other)).status).toBe(404)
    const revoke = await settle(() =>
      linkAction({
        request: formRequest(`/reseller/links/${link.id}`, { intent: 'revoke' }, { cookie: cookies.other }),
        params: { linkId: link.id },
        context: {},
      }),
    )
    expect(revoke.status).toBe(404)
    expect(
      (await t.db.selectFrom('share_links').select('revoked_at').where('id', '=', link.id).executeTakeFirstOrThrow())
        .revoked_at,
    ).toBeNull()
    const theirs = await (
      await settle(() => dashboardLoader({ request: getRequest('/reseller', cookies.other), params: {}, context: {} }))
    ).json()
    expect(theirs.links).toEqual([])

    for (const [path, run] of [
      ['/reseller', () => dashboardLoader({ request: getRequest('/reseller'), params: {}, context: {} })],
      [
        `/reseller/links/${link.id}`,
        () =>
          linkLoader({ request: getRequest(`/reseller/links/${link.id}`), params: { linkId: link.id }, context: {} }),
      ],
      ['/reseller/profile', () => profileLoader({ request: getRequest('/reseller/profile'), params: {}, context: {} })],
      [
        `/reseller/sessions/${ids.live}`,
        () =>
          forwardLoader({
            request: getRequest(`/reseller/sessions/${ids.live}`),
            params: { sessionId: ids.live },
            context: {},
          }),
      ],
    ] as const) {
      const res = await settle(run)
      expect(res.status, path).toBe(302)
      expect(res.headers.get('Location')).toContain('/login')
    }
    const signedOutRevoke = await settle(() =>
      linkAction({
        request: formRequest(`/reseller/links/${link.id}`, { intent: 'revoke' }),
        params: { linkId: link.id },
        context: {},
      }),
    )
    expect(signedOutRevoke.status).toBe(302)
    expect(
      (
        await settle(() =>
          dashboardLoader({ request: getRequest('/reseller', cookies.staff), params: {}, context: {} }),
        )
      ).status,
    ).toBe(403)
    expect((await shareGet(link.token)).status).toBe(200)
  })
})

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png)
  return (
    jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ??
    null
  )
}

describe('card images', () => {
  it('renders a 1080×1440 PNG whose QR code decodes to the share URL, for single cards and grids', async () => {
    const single = await forwardList([ids.cut], { [ids.cut]: 8800 })
    const res = await cardGet(single.token)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    const png = Buffer.from(await res.arrayBuffer())
    const img = PNG.sync.read(png)
    expect([img.width, img.height]).toEqual([1080, 1440])
    expect(decodeQr(png)).toBe(`${BASE}/s/${single.token}`)

    const list = await forwardList([ids.dress, ids.cut, ids.coat], {
      [ids.dress]: 16900,
      [ids.cut]: 8800,
      [ids.coat]: 19900,
    })
    const grid = Buffer.from(await (await cardGet(list.token, '?lang=en')).arrayBuffer())
    expect(decodeQr(grid)).toBe(`${BASE}/s/${list.token}`)
    const one = await cardGet(list.token, `?item=${ids.coat}`)
    expect(one.status).toBe(200)
    expect((await cardGet(list.token, `?item=${ids.gone}`)).status).toBe(404)
    expect((await cardGet(list.token, '?lang=fr')).status).toBe(400)
  })

  it('caches by content and draws a new card when the stock state changes', async () => {
    const link = await forwardList([ids.coat], { [ids.coat]: 20900 })
    const a = await shareCard(t.db, link.token, { locale: 'zh-CN', origin: BASE, now: new Date() })
    const again = await shareCard(t.db, link.token, { locale: 'zh-CN', origin: BASE, now: new Date() })
    expect(a.status === 'ok' && again.status === 'ok' && a.hash === again.hash).toBe(true)
    await t.db.updateTable('session_item_skus').set({ available: 0 }).where('session_item_id', '=', ids.coat).execute()
    try {
      const b = await shareCard(t.db, link.token, { locale: 'zh-CN', origin: BASE, now: new Date() })
      expect(b.status === 'ok' && a.status === 'ok' && b.hash !== a.hash).toBe(true)
    } finally {
      await t.db
        .updateTable('session_item_skus')
        .set({ available: QTY.coat })
        .where('session_item_id', '=', ids.coat)
        .execute()
    }
  })
})

describe('never leak', () => {
  it('no share page, OG tag, copy text or card holds a wholesale price, level, stock count or floor', async () => {
    const items = [ids.dress, ids.cut, ids.coat, ids.gone]
    const link = await forwardList(items, { [ids.dress]: 16900, [ids.cut]: 8800, [ids.coat]: 22900, [ids.gone]: 10900 })

    // The rendered page, as a signed-out consumer sees it.
    const routes = [
      {
        id: 'share',
        path: '/s/:token',
        loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) =>
          shareLoader({ request, params, context: {} }),
        Component: SharePage,
      },
    ]
    const handler = createStaticHandler(routes)
    const htmls: string[] = []
    for (const locale of ['zh-CN', 'en'] as const) {
      const context = await handler.query(
        new Request(`${BASE}/s/${link.token}`, { headers: { Cookie: `lng=${locale}` } }),
      )
      if (context instanceof Response) throw new Error('unexpected response')
      const router = createStaticRouter(handler.dataRoutes, context)
      htmls.push(
        renderToString(
          h(I18nextProvider, { i18n: createI18n(locale) }, h(StaticRouterProvider, { router, context, hydrate: true })),
        ),
      )
    }
    expect(htmls[0]).toContain('¥169')
    expect(htmls[0]).toContain('剪标')
    const data = await (await shareGet(link.token)).json()
    const metaTags = JSON.stringify(
      shareMeta({
        data,
        params: { token: link.token },
        location: { pathname: '', search: '', hash: '', state: null, key: '' },
        matches: [],
      } as unknown as Parameters<typeof shareMeta>[0]),
    )
    const page = await (await linkGet(link.id, cookies.lily)).json()
    const copy = `${page.copyText['zh-CN']}\n${page.copyText.en}`
    expect(copy).toContain('¥169')
    const card = await shareCard(t.db, link.token, { locale: 'zh-CN', origin: BASE, now: new Date() })
    if (card.status !== 'ok') throw new Error('no card')
    const svgText = cardSvg(card.content).replace(/href="data:[^"]+"/g, '')
    await cachedCardPng(card.content)

    const haystacks = { html: htmls.join('\n'), data: JSON.stringify(data), meta: metaTags, copy, card: svgText }
    const forbidden: string[] = []
    for (const base of Object.values(BASES)) {
      for (const level of DEFAULT_VIP_TIERS.map((tier) => tier.level)) {
        const fen = memberUnitPrice(base, level, DEFAULT_VIP_TIERS)
        for (const locale of ['zh-CN', 'en']) forbidden.push(formatMoney({ amountMinor: fen, currency: 'CNY' }, locale))
        forbidden.push((fen / 100).toFixed(2), String(fen))
        if (fen % 100 === 0) forbidden.push(String(fen / 100))
      }
    }
    for (const min of Object.values(MIN_RETAIL))
      forbidden.push((min / 100).toFixed(2), String(min), formatMoney({ amountMinor: min, currency: 'CNY' }, 'zh-CN'))
    for (const q of Object.values(QTY)) forbidden.push(String(q), String(q * 2), String(q * 3))
    // The tag-cut item's tag price (¥456), as a number: ids on the page (item and SKU uuids) may hold the digits.
    forbidden.push('456', '45600', '456.00')
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
        'available',
        '拿货价',
        '吊牌价',
      ]) {
        if (hay.includes(word)) leaks.push(`${where}: ${word}`)
      }
      // The cut-label sweater's tag price, as a number of its own (a random id may well contain the digits 456).
      if (numberAt(hay, '456')) leaks.push(`${where}: 456`)
    }
    expect(leaks).toEqual([])
  })
})
