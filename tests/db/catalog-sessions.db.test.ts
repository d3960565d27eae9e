import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as sessionAction, loader as sessionLoader } from '#app/routes/brand.sessions.$sessionId'
import { action as newSessionAction } from '#app/routes/brand.sessions.new'
import { loader as dashboardLoader } from '#app/routes/brand._index'
import {
  addSessionItem as addItem,
  brandSessionDetail,
  cancelBrandSession,
  createBrandSession,
  scheduleBrandSession,
  topUpSessionSku,
  updateItemPrices,
} from '#app/services/sessions/brand-sessions.server'
import { recordSessionBoundary } from '#app/services/sessions/boundaries.server'
import { homeSessions } from '#app/services/catalog/storefront.server'
import { setFollow } from '#app/services/catalog/follows.server'
import { recordStockMovements } from '#app/services/catalog/stock-movements.server'
import { AllocationExceededError, SessionLockedError } from '#app/domain/catalog-errors'
import { FieldRuleError } from '#app/domain/errors'
import { createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let brand: string
let other: string
let cookie: string
const now = new Date('2026-12-01T00:00:00Z')
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)

beforeAll(async () => {
  t = await createTestDatabase()
  brand = (await createBrand(t.db)).id
  other = (await createBrand(t.db)).id
  cookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brand })).id)
})
afterAll(() => t.drop())

async function product(stock = 10, tagCut = false) {
  return createProduct(t.db, {
    brandId: brand,
    tagPriceMinor: 29900,
    tagCut,
    sizes: ['S', 'M'],
    colours: ['black'],
    stockPerSku: stock,
  })
}
const prices: { basePriceMinor: number; minRetailPriceMinor: number | null; perMemberCap: number | null } = {
  basePriceMinor: 9900,
  minRetailPriceMinor: 15900,
  perMemberCap: null,
}

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a refusal')
}

describe('creating and scheduling sessions', () => {
  it('creates a 48-hour draft at least an hour ahead with after-sales until end + 7 days', async () => {
    const id = await createBrandSession(t.db, brand, { title: '冬季清仓', titleEn: 'Winter', startsAt: hours(2) }, now)
    const s = await t.db.selectFrom('clearance_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(s.status).toBe('draft')
    expect(s.ends_at.getTime() - s.starts_at.getTime()).toBe(48 * 3_600_000)
    expect(s.after_sale_deadline_at.getTime() - s.ends_at.getTime()).toBe(7 * 24 * 3_600_000)
    const e = await refusal(
      createBrandSession(
        t.db,
        brand,
        { title: 'x', titleEn: '', startsAt: new Date(now.getTime() + 59 * 60_000) },
        now,
      ),
    )
    expect(e).toBeInstanceOf(FieldRuleError)
    expect((e as FieldRuleError).fields).toEqual({ startsAt: 'too_soon' })
  })

  it('answers the new-session form with 400 for malformed input and 422 for a start too soon', async () => {
    const bad = await settle(() =>
      newSessionAction({
        request: formRequest('/brand/sessions/new', { title: '', startsAt: 'tomorrow' }, { cookie }),
        params: {},
        context: {},
      }),
    )
    expect(bad.status).toBe(400)
    expect((await bad.json()).result.error).toMatchObject({
      title: ['catalog.errors.required'],
      startsAt: ['catalog.errors.invalid_time'],
    })
    const soon = new Date(Date.now() + 30 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16)
    const tooSoon = await settle(() =>
      newSessionAction({
        request: formRequest('/brand/sessions/new', { title: 'x', startsAt: soon }, { cookie }),
        params: {},
        context: {},
      }),
    )
    expect(tooSoon.status).toBe(422)
    expect((await tooSoon.json()).result.error.startsAt).toEqual(['catalog.errors.too_soon'])
    const later = new Date(Date.now() + 3 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16)
    const ok = await settle(() =>
      newSessionAction({
        request: formRequest('/brand/sessions/new', { title: '好', startsAt: later }, { cookie }),
        params: {},
        context: {},
      }),
    )
    expect(ok.status).toBe(302)
  })

  it('edits a draft’s title and window (start still ≥ 1 h ahead), not after scheduling', async () => {
    const rn = new Date()
    const id = await createBrandSession(
      t.db,
      brand,
      { title: 'D', titleEn: '', startsAt: new Date(rn.getTime() + 5 * 3_600_000) },
      rn,
    )
    const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16)
    const post = (fields: Record<string, string>) =>
      settle(() =>
        sessionAction({
          request: formRequest(`/brand/sessions/${id}`, { intent: 'edit_details', ...fields }, { cookie }),
          params: { sessionId: id },
          context: {},
        }),
      )
    const soon = await post({ title: 'D2', startsAt: local(new Date(rn.getTime() + 10 * 60_000)) })
    expect(soon.status).toBe(422)
    expect(await soon.json()).toMatchObject({
      result: { error: { '': ['catalog.errors.field_rule'], startsAt: ['catalog.errors.too_soon'] } },
      row: { intent: 'edit_details' },
    })
    expect((await post({ title: '', startsAt: 'x' })).status).toBe(400)
    const target = new Date(Math.ceil((rn.getTime() + 30 * 3_600_000) / 60_000) * 60_000)
    expect((await post({ title: 'D2', titleEn: 'D2 en', startsAt: local(target) })).status).toBe(302)
    const s = await t.db.selectFrom('clearance_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(s).toMatchObject({ title: 'D2', title_en: 'D2 en' })
    expect(s.starts_at.getTime()).toBe(target.getTime())
    expect(s.ends_at.getTime() - s.starts_at.getTime()).toBe(48 * 3_600_000)
  })

  it('schedules only with stock, enqueuing the boundary jobs in the same transaction', async () => {
    const id = await createBrandSession(t.db, brand, { title: 'S', titleEn: '', startsAt: hours(3) }, now)
    expect(await refusal(scheduleBrandSession(t.db, brand, id, now))).toMatchObject({ fields: { items: 'no_items' } })
    const { product: p, skus } = await product()
    await addItem(t.db, brand, id, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 4 }] }, now)
    await scheduleBrandSession(t.db, brand, id, now)
    const jobs = (await t.db
      .withSchema('graphile_worker')
      .selectFrom('jobs' as never)
      .select(['key' as never])
      .execute()) as Array<{ key: string }>
    expect(
      jobs
        .map((j) => j.key)
        .filter((k) => k.includes(id))
        .sort(),
    ).toEqual([`session_boundary:${id}:ended`, `session_boundary:${id}:started`])
    expect(await refusal(scheduleBrandSession(t.db, brand, id, now))).toBeInstanceOf(SessionLockedError)
  })
})

describe('items: prices and ring-fenced allocation', () => {
  it('refuses every price-rule violation with field errors', async () => {
    const id = await createBrandSession(t.db, brand, { title: 'P', titleEn: '', startsAt: hours(3) }, now)
    const { product: p, skus } = await product()
    const add = (patch: Partial<typeof prices>) =>
      refusal(
        addItem(
          t.db,
          brand,
          id,
          { productId: p.id, ...prices, ...patch, skus: [{ skuId: skus[0].id, quantity: 1 }] },
          now,
        ),
      )
    expect(await add({ basePriceMinor: 29900 })).toMatchObject({ fields: { basePrice: 'not_below_tag' } })
    expect(await add({ minRetailPriceMinor: null })).toMatchObject({ fields: { minRetailPrice: 'required' } })
    expect(await add({ minRetailPriceMinor: 9800 })).toMatchObject({ fields: { minRetailPrice: 'below_base' } })
    expect(await add({ minRetailPriceMinor: 30000 })).toMatchObject({ fields: { minRetailPrice: 'above_tag' } })
    const cut = await product(10, true)
    expect(
      await refusal(
        addItem(
          t.db,
          brand,
          id,
          { productId: cut.product.id, ...prices, skus: [{ skuId: cut.skus[0].id, quantity: 1 }] },
          now,
        ),
      ),
    ).toMatchObject({ fields: { minRetailPrice: 'not_allowed_tag_cut' } })
    await addItem(
      t.db,
      brand,
      id,
      {
        productId: cut.product.id,
        ...prices,
        minRetailPriceMinor: null,
        skus: [{ skuId: cut.skus[0].id, quantity: 1 }],
      },
      now,
    )
  })

  it('answers the add-item form with the field and the rule it broke, and how many units are free', async () => {
    const rn = new Date()
    const id = await createBrandSession(
      t.db,
      brand,
      { title: 'R', titleEn: '', startsAt: new Date(rn.getTime() + 5 * 3_600_000) },
      rn,
    )
    const { product: p, skus } = await product(10)
    const post = (fields: Record<string, string>) =>
      settle(() =>
        sessionAction({
          request: formRequest(
            `/brand/sessions/${id}`,
            { intent: 'add_item', productId: p.id, 'skus[0].skuId': skus[0].id, ...fields },
            { cookie },
          ),
          params: { sessionId: id },
          context: {},
        }),
      )
    const atTag = await post({ basePrice: '299', minRetailPrice: '299', 'skus[0].quantity': '1' })
    expect(atTag.status).toBe(422)
    expect(await atTag.json()).toMatchObject({
      result: { error: { basePrice: ['catalog.errors.not_below_tag'] } },
      row: { intent: 'add_item' },
    })
    const floor = await post({ basePrice: '99', minRetailPrice: '98', 'skus[0].quantity': '1' })
    expect((await floor.json()).result.error.minRetailPrice).toEqual(['catalog.errors.below_base'])
    const tooMany = await post({ basePrice: '99', minRetailPrice: '159', 'skus[0].quantity': '11' })
    expect(tooMany.status).toBe(409)
    expect(await tooMany.json()).toMatchObject({
      result: {
        error: { '': ['catalog.errors.allocation_exceeded'], 'skus[0].quantity': ['catalog.errors.exceeds_free'] },
      },
      formError: { code: 'allocation_exceeded', values: { 'skus[0].quantity': { free: 10 } } },
    })
    expect((await post({ basePrice: '99', minRetailPrice: '159', 'skus[0].quantity': '10' })).status).toBe(302)
  })

  it('never allocates more than stock on hand across sessions that are not ended or cancelled', async () => {
    const { product: p, skus } = await product(10)
    const a = await createBrandSession(t.db, brand, { title: 'A', titleEn: '', startsAt: hours(3) }, now)
    const b = await createBrandSession(t.db, brand, { title: 'B', titleEn: '', startsAt: hours(100) }, now)
    await addItem(t.db, brand, a, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 7 }] }, now)
    const e = await refusal(
      addItem(t.db, brand, b, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 4 }] }, now),
    )
    expect(e).toBeInstanceOf(AllocationExceededError)
    expect((e as AllocationExceededError).fields).toEqual({ 'skus[0].quantity': 'exceeds_free' })
    expect((e as AllocationExceededError).values).toEqual({ 'skus[0].quantity': { free: 3 } })
    await addItem(t.db, brand, b, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 3 }] }, now)
    // Cancelling A frees its 7 units.
    await cancelBrandSession(t.db, brand, a, now)
    const c = await createBrandSession(t.db, brand, { title: 'C', titleEn: '', startsAt: hours(200) }, now)
    await addItem(t.db, brand, c, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 7 }] }, now)
    const moves = await t.db
      .selectFrom('stock_movements')
      .select(['kind', 'quantity'])
      .where('session_id', '=', a)
      .orderBy('id')
      .execute()
    expect(moves).toEqual([
      { kind: 'allocate', quantity: 7 },
      { kind: 'release', quantity: -7 },
    ])
  })

  it('holds under concurrency: two sessions racing for the same units get no more than the stock', async () => {
    const { product: p, skus } = await product(10)
    const ids = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        createBrandSession(t.db, brand, { title: `R${i}`, titleEn: '', startsAt: hours(5) }, now),
      ),
    )
    const results = await Promise.allSettled(
      ids.map((id) =>
        addItem(t.db, brand, id, { productId: p.id, ...prices, skus: [{ skuId: skus[1].id, quantity: 4 }] }, now),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    const total = await t.db
      .selectFrom('session_item_skus')
      .select((eb) => eb.fn.sum<number>('allocated').as('n'))
      .where('sku_id', '=', skus[1].id)
      .executeTakeFirstOrThrow()
    expect(Number(total.n)).toBe(8)
  })
})

describe('lifecycle: live freeze, top-up, end release', () => {
  it('freezes prices while live (409), allows top-ups within free stock, and releases unsold units exactly once at the end', async () => {
    // Route actions use the real clock, so this session is live now.
    const rn = new Date()
    const { product: p, skus } = await product(20)
    const session = await createSession(t.db, {
      brandId: brand,
      startsAt: new Date(rn.getTime() - 3_600_000),
      status: 'scheduled',
    })
    // The items were added before it went live.
    await addItem(
      t.db,
      brand,
      session.id,
      {
        productId: p.id,
        ...prices,
        skus: [
          { skuId: skus[0].id, quantity: 10 },
          { skuId: skus[1].id, quantity: 5 },
        ],
      },
      new Date(rn.getTime() - 2 * 3_600_000),
    )
    const detail = await brandSessionDetail(t.db, brand, session.id, rn)
    expect(detail!.session.phase).toBe('live')
    expect(detail!.session.actions).toEqual(['top_up'])
    const item = detail!.items[0]
    expect(
      await refusal(
        updateItemPrices(
          t.db,
          brand,
          session.id,
          { itemId: item.id, basePriceMinor: 100, minRetailPriceMinor: 200, perMemberCap: null },
          rn,
        ),
      ),
    ).toBeInstanceOf(SessionLockedError)
    const res = await settle(() =>
      sessionAction({
        request: formRequest(
          `/brand/sessions/${session.id}`,
          { intent: 'update_prices', itemId: item.id, basePrice: '1', minRetailPrice: '2' },
          { cookie },
        ),
        params: { sessionId: session.id },
        context: {},
      }),
    )
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      result: { error: { '': ['catalog.errors.session_locked'] } },
      formError: { code: 'session_locked' },
      row: { intent: 'update_prices', itemId: item.id },
    })
    const cancel = await settle(() =>
      sessionAction({
        request: formRequest(`/brand/sessions/${session.id}`, { intent: 'cancel' }, { cookie }),
        params: { sessionId: session.id },
        context: {},
      }),
    )
    expect(cancel.status).toBe(409)
    expect(
      (
        await t.db
          .selectFrom('session_items')
          .select('base_price_minor')
          .where('id', '=', item.id)
          .executeTakeFirstOrThrow()
      ).base_price_minor,
    ).toBe(9900)
    const small = item.skus.find((k) => k.skuId === skus[1].id)!
    const viaRoute = await settle(() =>
      sessionAction({
        request: formRequest(
          `/brand/sessions/${session.id}`,
          { intent: 'top_up', sessionItemSkuId: small.id, quantity: '1' },
          { cookie },
        ),
        params: { sessionId: session.id },
        context: {},
      }),
    )
    expect(viaRoute.status).toBe(302)
    const now = rn
    const skuRow = item.skus.find((k) => k.skuId === skus[0].id)!
    await topUpSessionSku(t.db, brand, session.id, { sessionItemSkuId: skuRow.id, quantity: 5 }, now)
    expect(
      await refusal(topUpSessionSku(t.db, brand, session.id, { sessionItemSkuId: skuRow.id, quantity: 6 }, now)),
    ).toBeInstanceOf(AllocationExceededError)

    // Checkout (another feature) sells 4 units and records it.
    await t.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('session_item_skus')
        .set((eb) => ({ available: eb('available', '-', 4) }))
        .where('id', '=', skuRow.id)
        .execute()
      await recordStockMovements(trx, [
        { brandId: brand, sessionId: session.id, sessionItemSkuId: skuRow.id, kind: 'sale', quantity: -4 },
      ])
    })

    const end = new Date(session.ends_at.getTime() + 1000)
    expect(await recordSessionBoundary(t.db, { sessionId: session.id, kind: 'ended', now: end })).toBe('recorded')
    expect(await recordSessionBoundary(t.db, { sessionId: session.id, kind: 'ended', now: end })).toBe(
      'already_recorded',
    )
    const rows = await t.db
      .selectFrom('session_item_skus')
      .select(['sku_id', 'allocated', 'available', 'released'])
      .where('session_item_id', '=', item.id)
      .orderBy('allocated')
      .execute()
    expect(rows).toEqual([
      { sku_id: skus[1].id, allocated: 6, available: 0, released: 6 },
      { sku_id: skus[0].id, allocated: 15, available: 0, released: 11 },
    ])
    const releases = await t.db
      .selectFrom('stock_movements')
      .select(['quantity'])
      .where('session_id', '=', session.id)
      .where('kind', '=', 'release')
      .orderBy('quantity')
      .execute()
    expect(releases.map((r) => r.quantity)).toEqual([-11, -6])
    const after = await brandSessionDetail(t.db, brand, session.id, end)
    expect(after!.items[0].skus.find((k) => k.skuId === skus[0].id)!.sold).toBe(4)
    expect(after!.session.releasedAt).not.toBeNull()
    // The released units are free again for a new session; the 4 sold ones are gone.
    const next = await createBrandSession(
      t.db,
      brand,
      { title: 'N', titleEn: '', startsAt: new Date(end.getTime() + 2 * 3_600_000) },
      end,
    )
    expect(
      await refusal(
        addItem(t.db, brand, next, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 17 }] }, end),
      ),
    ).toBeInstanceOf(AllocationExceededError)
    await addItem(t.db, brand, next, { productId: p.id, ...prices, skus: [{ skuId: skus[0].id, quantity: 16 }] }, end)
  })

  it('shows the dashboard with sell-through and per-hour sales from paid orders, only for the own brand', async () => {
    const res = await settle(() => dashboardLoader({ request: getRequest('/brand', cookie), params: {}, context: {} }))
    const data = await res.json()
    // The lifecycle test above moved 4 units out without an order: no paid order, so no sale on the dashboard.
    const ended = data.sessions.find((s: { allocated: number }) => s.allocated === 21)
    expect(ended).toMatchObject({ allocated: 21, sold: 0, sellThroughBps: 0, soldValueMinor: 0, revenueMinor: 0 })
    expect(data.chart.perHour.reduce((s: number, v: number) => s + v, 0)).toBe(
      data.sessions.find((s: { id: string }) => s.id === data.chart.sessionId).sold,
    )
    const chartRes = await settle(() =>
      dashboardLoader({ request: getRequest(`/brand?session=${ended.id}`, cookie), params: {}, context: {} }),
    )
    expect((await chartRes.json()).chart.sessionId).toBe(ended.id)
    const otherBrandSessions = await t.db
      .selectFrom('clearance_sessions')
      .select('id')
      .where('brand_id', '=', other)
      .execute()
    expect(data.sessions.some((s: { id: string }) => otherBrandSessions.some((o) => o.id === s.id))).toBe(false)
  })

  it('the session detail 404s for another brand and unknown ids; malformed forms are 400', async () => {
    const theirs = await createSession(t.db, { brandId: other, startsAt: hours(10), status: 'draft' })
    for (const id of [theirs.id, '00000000-0000-0000-0000-000000000000', 'nope']) {
      expect(
        (
          await settle(() =>
            sessionLoader({
              request: getRequest(`/brand/sessions/${id}`, cookie),
              params: { sessionId: id },
              context: {},
            }),
          )
        ).status,
      ).toBe(404)
    }
    const cancel = await settle(() =>
      sessionAction({
        request: formRequest(`/brand/sessions/${theirs.id}`, { intent: 'cancel' }, { cookie }),
        params: { sessionId: theirs.id },
        context: {},
      }),
    )
    expect(cancel.status).toBe(404)
    expect(
      (
        await t.db
          .selectFrom('clearance_sessions')
          .select('status')
          .where('id', '=', theirs.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('draft')
    const mine = await createSession(t.db, { brandId: brand, startsAt: hours(10), status: 'draft' })
    for (const fields of [
      {},
      { intent: 'explode' },
      { intent: 'add_item', productId: 'x', basePrice: 'abc' },
      { intent: 'top_up', sessionItemSkuId: 'x', quantity: '-1' },
    ] as Record<string, string>[]) {
      const r = await settle(() =>
        sessionAction({
          request: formRequest(`/brand/sessions/${mine.id}`, fields, { cookie }),
          params: { sessionId: mine.id },
          context: {},
        }),
      )
      expect(r.status).toBe(400)
    }
    const garbage = new Request(`${BASE}/brand/sessions/${mine.id}`, {
      method: 'POST',
      body: '%%%',
      headers: { Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=x' },
    })
    expect(
      (await settle(() => sessionAction({ request: garbage, params: { sessionId: mine.id }, context: {} }))).status,
    ).toBe(400)
  })
})

describe('following brands', () => {
  it('puts followed brands\u2019 upcoming sessions first on the home page', async () => {
    const member = await createUser(t.db, { role: 'member' })
    const early = await createSession(t.db, { brandId: other, startsAt: hours(2) })
    const late = await createSession(t.db, { brandId: brand, startsAt: hours(30) })
    const before = await homeSessions(t.db, now, { memberId: member.id, level: 0 })
    expect(before.upcoming.findIndex((s) => s.id === early.id)).toBeLessThan(
      before.upcoming.findIndex((s) => s.id === late.id),
    )
    expect(await setFollow(t.db, member.id, brand, true, new Date())).toBe(true)
    const after = await homeSessions(t.db, now, { memberId: member.id, level: 0 })
    const followed = after.upcoming.filter((s) => s.followed)
    expect(followed.length).toBeGreaterThan(0)
    expect(after.upcoming.slice(0, followed.length).every((s) => s.followed)).toBe(true)
    expect(after.upcoming.findIndex((s) => s.id === late.id)).toBeLessThan(
      after.upcoming.findIndex((s) => s.id === early.id),
    )
    await setFollow(t.db, member.id, brand, false, new Date())
    expect((await homeSessions(t.db, now, { memberId: member.id, level: 0 })).upcoming.some((s) => s.followed)).toBe(
      false,
    )
    expect(await setFollow(t.db, member.id, '00000000-0000-0000-0000-000000000000', true, new Date())).toBe(false)
  })
})
