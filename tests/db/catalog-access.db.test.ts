import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as dashboard from '#app/routes/brand._index'
import * as products from '#app/routes/brand.products._index'
import * as productNew from '#app/routes/brand.products.new'
import * as productEdit from '#app/routes/brand.products.$productId'
import * as importIndex from '#app/routes/brand.products.import._index'
import * as importProgress from '#app/routes/brand.products.import.$importId'
import * as importErrors from '#app/routes/brand.products.import.$importId.errors[.]csv'
import * as template from '#app/routes/brand.products.import.template[.]csv'
import * as sessions from '#app/routes/brand.sessions._index'
import * as sessionNew from '#app/routes/brand.sessions.new'
import * as sessionDetail from '#app/routes/brand.sessions.$sessionId'
import * as follow from '#app/routes/brands.$brandId.follow'
import { startCatalogImport } from '#app/services/catalog/import.server'
import { CSV_TEMPLATE } from '#app/domain/catalog-csv'
import { createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  const a = await createBrand(t.db)
  const b = await createBrand(t.db)
  const staffA = await createUser(t.db, { role: 'brand_staff', brandId: a.id })
  cookies.brandB = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: b.id })).id)
  cookies.member = await cookieFor(t.db, (await createUser(t.db, { role: 'member', vipLevel: 3 })).id)
  cookies.operator = await cookieFor(t.db, (await createUser(t.db, { role: 'operator' })).id)
  cookies.brandA = await cookieFor(t.db, staffA.id)
  const { product } = await createProduct(t.db, { brandId: a.id, title: 'A 的秘密商品' })
  const session = await createSession(t.db, {
    brandId: a.id,
    startsAt: new Date(Date.now() + 86_400_000),
    status: 'draft',
    title: 'A 的秘密档期',
  })
  ids.product = product.id
  ids.session = session.id
  ids.import = await startCatalogImport(t.db, {
    brandId: a.id,
    userId: staffA.id,
    fileName: 'a.csv',
    csvText: CSV_TEMPLATE,
  })
  ids.brandA = a.id
  // A paid, unshipped order of brand A: B's dashboard must not count its revenue or its shipping deadline.
  const member = await createUser(t.db, { role: 'member', vipLevel: 1 })
  const shipTo = JSON.stringify({ recipient: 'A', phone: '13800000000', region: '上海', line: 'x', kind: 'own' })
  const checkout = await t.db
    .insertInto('checkouts')
    .values({
      member_id: member.id,
      total_minor: 123400,
      ship_to: shipTo,
      expires_at: new Date(),
      status: 'paid',
      paid_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.db
    .insertInto('orders')
    .values({
      checkout_id: checkout.id,
      member_id: member.id,
      brand_id: a.id,
      status: 'paid',
      goods_minor: 123400,
      ship_to: shipTo,
      paid_at: new Date(),
      ship_by_at: new Date(Date.now() + 3_600_000),
    })
    .execute()
})
afterAll(() => t.drop())

type Mod = { loader?: (args: never) => unknown; action?: (args: never) => unknown }
const routes: Array<[string, Mod, Record<string, string>]> = [
  ['/brand', dashboard, {}],
  ['/brand/products', products, {}],
  ['/brand/products/new', productNew, {}],
  ['/brand/products/:productId', productEdit, { productId: 'product' }],
  ['/brand/products/import', importIndex, {}],
  ['/brand/products/import/:importId', importProgress, { importId: 'import' }],
  ['/brand/products/import/:importId/errors.csv', importErrors, { importId: 'import' }],
  ['/brand/products/import/template.csv', template, {}],
  ['/brand/sessions', sessions, {}],
  ['/brand/sessions/new', sessionNew, {}],
  ['/brand/sessions/:sessionId', sessionDetail, { sessionId: 'session' }],
]

function call(mod: Mod, kind: 'loader' | 'action', path: string, params: Record<string, string>, cookie?: string) {
  const url = Object.entries(params).reduce((p, [k, v]) => p.replace(`:${k}`, v), path)
  const request =
    kind === 'loader'
      ? getRequest(url, cookie)
      : formRequest(url, { intent: 'cancel', title: 'x', styleCode: 'x' }, { cookie })
  return settle(() => (mod[kind] as (a: unknown) => Promise<unknown>)({ request, params, context: {} }))
}

describe('brand routes refuse everyone but the brand\u2019s own staff', () => {
  for (const [path, mod, p] of routes) {
    for (const kind of ['loader', 'action'] as const) {
      if (!mod[kind]) continue
      it(`${kind} ${path}: signed out → sign-in, member/operator → 403, brand B → 404 or only B\u2019s own data`, async () => {
        const params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, ids[v]]))
        const anon = await call(mod, kind, path, params)
        expect(anon.status).toBe(302)
        expect(anon.headers.get('Location')).toMatch(/^\/login/)
        for (const who of ['member', 'operator'])
          expect((await call(mod, kind, path, params, cookies[who])).status).toBe(403)
        const asB = await call(mod, kind, path, params, cookies.brandB)
        if (Object.keys(p).length) expect(asB.status).toBe(404)
        const body = asB.status < 400 && asB.headers.get('Content-Type')?.includes('json') ? await asB.text() : ''
        expect(body).not.toContain('A 的秘密')
        expect(body).not.toContain(ids.product)
        expect(body).not.toContain(ids.session)
      })
    }
  }

  it('brand B\u2019s dashboard shows none of A\u2019s revenue or orders to ship', async () => {
    const res = await call(dashboard, 'loader', '/brand', {}, cookies.brandB)
    const data = await res.json()
    expect(data.totals.revenueMinor).toBe(0)
    expect(data.toShip).toMatchObject({ count: 0, late: 0, nearestShipByAt: null, nextShipByAt: null })
    const asA = await (await call(dashboard, 'loader', '/brand', {}, cookies.brandA)).json()
    expect(asA.toShip.count).toBe(1)
  })

  it('brand B\u2019s actions left A\u2019s things untouched', async () => {
    expect(
      (
        await t.db
          .selectFrom('clearance_sessions')
          .select('status')
          .where('id', '=', ids.session)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('draft')
    expect(
      (await t.db.selectFrom('products').select('title').where('id', '=', ids.product).executeTakeFirstOrThrow()).title,
    ).toBe('A 的秘密商品')
  })

  it('follow is for members only; unknown brands 404', async () => {
    const req = (cookie?: string, brandId = ids.brandA) =>
      settle(() =>
        follow.action({
          request: formRequest(`/brands/${brandId}/follow`, { intent: 'follow', redirectTo: '/' }, { cookie }),
          params: { brandId },
          context: {},
        }),
      )
    expect((await req()).status).toBe(302)
    expect((await req(cookies.brandB)).status).toBe(403)
    expect((await req(cookies.member)).status).toBe(302)
    expect((await req(cookies.member, '00000000-0000-0000-0000-000000000000')).status).toBe(404)
    expect((await req(cookies.member, 'nope')).status).toBe(404)
    const bad = await settle(() =>
      follow.action({
        request: formRequest(`/brands/${ids.brandA}/follow`, { intent: 'explode' }, { cookie: cookies.member }),
        params: { brandId: ids.brandA },
        context: {},
      }),
    )
    expect(bad.status).toBe(400)
  })
})
