import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as rootLoader } from '#app/root'
import { action as newProductAction } from '#app/routes/brand.products.new'
import { action as newSessionAction } from '#app/routes/brand.sessions.new'
import { action as sessionAction } from '#app/routes/brand.sessions.$sessionId'
import { addSessionItem } from '#app/services/sessions/brand-sessions.server'
import { decideTestPayment, startPayment } from '#app/services/payments/index.server'
import { createBrand, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let brandId: string
let staffId: string
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  brandId = (await createBrand(t.db, { status: 'awaiting_deposit' })).id
  staffId = (await createUser(t.db, { role: 'brand_staff', brandId })).id
  cookie = await cookieFor(t.db, staffId)
})
afterAll(() => t.drop())

const shanghaiLocal = (msAhead: number) => new Date(Date.now() + msAhead + 8 * 3_600_000).toISOString().slice(0, 16)
const schedule = (sessionId: string) =>
  settle(() =>
    sessionAction({
      request: formRequest(`/brand/sessions/${sessionId}`, { intent: 'schedule' }, { cookie }),
      params: { sessionId },
      context: {},
    }),
  )
const brandStatusSeen = async () =>
  (
    (await (
      await settle(() => rootLoader({ request: getRequest('/brand', cookie), params: {}, context: {} }))
    ).json()) as { user: { brandStatus: string } }
  ).user.brandStatus

describe('a brand awaiting its deposit', () => {
  it('prepares its catalog and a draft, is refused scheduling with 422 until the deposit is paid, then schedules', async () => {
    expect(await brandStatusSeen()).toBe('awaiting_deposit')

    // Catalog preparation is open: a product through the form, a draft session, an item with stock.
    const fd = new FormData()
    for (const [k, v] of Object.entries({
      styleCode: 'DG-001',
      title: '押金前的大衣',
      titleEn: 'Coat',
      category: 'womens',
      tagPrice: '599',
      description: '双排扣',
      'skus[0].size': 'M',
      'skus[0].colour': '黑色',
      'skus[0].barcode': 'DG-0001',
      'skus[0].stock': '20',
    }))
      fd.append(k, v)
    const created = await settle(() =>
      newProductAction({
        request: new Request(`${BASE}/brand/products/new`, { method: 'POST', body: fd, headers: { Cookie: cookie } }),
        params: {},
        context: {},
      }),
    )
    expect(created.status).toBe(302)
    const draft = await settle(() =>
      newSessionAction({
        request: formRequest(
          '/brand/sessions/new',
          { title: '押金前的档期', startsAt: shanghaiLocal(3 * 3_600_000) },
          { cookie },
        ),
        params: {},
        context: {},
      }),
    )
    expect(draft.status).toBe(302)
    const sessionId = draft.headers.get('Location')!.match(/sessions\/([0-9a-f-]{36})/)![1]
    const product = await t.db
      .selectFrom('products')
      .select('id')
      .where('brand_id', '=', brandId)
      .executeTakeFirstOrThrow()
    const sku = await t.db
      .selectFrom('skus')
      .select('id')
      .where('product_id', '=', product.id)
      .executeTakeFirstOrThrow()
    await addSessionItem(
      t.db,
      brandId,
      sessionId,
      {
        productId: product.id,
        basePriceMinor: 19900,
        minRetailPriceMinor: 29900,
        perMemberCap: null,
        skus: [{ skuId: sku.id, quantity: 10 }],
      },
      new Date(),
    )

    // Scheduling is refused with the reason; nothing changes and no boundary job is queued.
    const refused = await schedule(sessionId)
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({
      formError: { code: 'deposit_required' },
      result: { error: { '': ['catalog.errors.deposit_required'] } },
      row: { intent: 'schedule' },
    })
    expect(
      (
        await t.db
          .selectFrom('clearance_sessions')
          .select('status')
          .where('id', '=', sessionId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('draft')
    const jobs = (await t.db
      .selectFrom('graphile_worker.jobs' as never)
      .select('key' as never)
      .execute()) as { key: string | null }[]
    expect(jobs.filter((j) => j.key?.includes(sessionId))).toEqual([])

    // The deposit is paid through the test provider: the brand goes live and the same request schedules.
    const payment = await startPayment(t.db, {
      purpose: 'brand_deposit',
      referenceId: brandId,
      amountMinor: 1_000_000,
      currency: 'CNY',
      description: 'deposit',
      payerUserId: staffId,
      successPath: '/brand/deposit',
      cancelPath: '/brand/deposit',
      origin: BASE,
    })
    await decideTestPayment(t.db, payment.paymentId, 'approve')
    expect(await brandStatusSeen()).toBe('live')
    const ok = await schedule(sessionId)
    expect(ok.status).toBe(302)
    expect(
      (
        await t.db
          .selectFrom('clearance_sessions')
          .select('status')
          .where('id', '=', sessionId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('scheduled')
  })
})
