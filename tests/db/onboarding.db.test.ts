import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as applyAction } from '#app/routes/apply'
import { loader as statusLoader } from '#app/routes/apply_.status.$token'
import { loader as appsLoader } from '#app/routes/admin.applications._index'
import { action as appAction, loader as appLoader } from '#app/routes/admin.applications.$applicationId'
import { loader as brandsLoader } from '#app/routes/admin.brands._index'
import { action as brandAction, loader as brandLoader } from '#app/routes/admin.brands.$brandId'
import { loader as auditLoader } from '#app/routes/admin.audit'
import { loader as adminLoader } from '#app/routes/admin._index'
import { action as depositAction, loader as depositLoader } from '#app/routes/brand.deposit'
import { action as setPasswordAction, loader as setPasswordLoader } from '#app/routes/set-password.$token'
import { action as testPayAction } from '#app/routes/pay.test.$paymentId'
import { signIn } from '#app/services/auth.server'
import { recordAudit } from '#app/services/onboarding/audit.server'
import { homeSessions, sessionPage } from '#app/services/catalog/storefront.server'
import { depositPaymentHandler } from '#app/services/onboarding/deposits.server'
import { tokenHash } from '#app/services/onboarding/applications.server'
import { createBrand, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let operator: Awaited<ReturnType<typeof createUser>>
let member: Awaited<ReturnType<typeof createUser>>
let staff: Awaited<ReturnType<typeof createUser>>
let opsCookie: string
const ctx = { context: {} }

const good = {
  companyName: '杭州云织服饰有限公司',
  brandName: '云织',
  contactName: '陈晓',
  contactPhone: '139 0000 1111',
  contactEmail: 'Chen@Yunzhi.example',
  annualSalesYuan: '56000000',
  offlineStores: '86',
  categories: ['womens', 'mens'],
}
let seq = 0
const uniqueGood = () => ({ ...good, contactEmail: `applicant${++seq}@brand.example`, brandName: `Brand ${seq}` })

async function apply(fields: Record<string, string | string[]>) {
  return settle(() => applyAction({ request: formRequest('/apply', fields), params: {}, ...ctx }))
}
async function applyOk(fields: Record<string, string | string[]> = uniqueGood()) {
  const res = await apply(fields)
  expect(res.status).toBe(302)
  const token = res.headers.get('Location')!.replace('/apply/status/', '')
  const row = await t.db
    .selectFrom('brand_applications')
    .selectAll()
    .where('status_token_hash', '=', tokenHash(token))
    .executeTakeFirstOrThrow()
  return { token, id: row.id, row }
}
async function status(token: string) {
  return settle(() => statusLoader({ request: getRequest(`/apply/status/${token}`), params: { token }, ...ctx }))
}
async function review(id: string, fields: Record<string, string>, cookie = opsCookie) {
  return settle(() =>
    appAction({
      request: formRequest(`/admin/applications/${id}`, fields, { cookie }),
      params: { applicationId: id },
      ...ctx,
    }),
  )
}
async function brandPost(id: string, fields: Record<string, string>, cookie = opsCookie) {
  return settle(() =>
    brandAction({ request: formRequest(`/admin/brands/${id}`, fields, { cookie }), params: { brandId: id }, ...ctx }),
  )
}
const auditRows = (targetId: string) =>
  t.db.selectFrom('audit_log').selectAll().where('target_id', '=', targetId).orderBy('id').execute()

beforeAll(async () => {
  t = await createTestDatabase()
  operator = await createUser(t.db, { role: 'operator', displayName: '运营小王' })
  member = await createUser(t.db, { role: 'member' })
  const brand = await createBrand(t.db)
  staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
  opsCookie = await cookieFor(t.db, operator.id)
})
afterAll(() => t.drop())

describe('the public application form', () => {
  it('stores a good application and sends the applicant to an unguessable status link (only its hash is stored)', async () => {
    const { token, row } = await applyOk({ ...good })
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(row).toMatchObject({
      status: 'pending',
      company_name: good.companyName,
      brand_name: '云织',
      contact_phone: '13900001111',
      contact_email: 'chen@yunzhi.example',
      annual_sales_minor: 5_600_000_000,
      offline_stores: 86,
      categories: ['womens', 'mens'],
    })
    expect(row.status_token_hash).not.toContain(token)
    const res = await status(token)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'pending', brandName: '云织', rejectReason: null })
  })

  it('refuses an applicant below the thresholds with 422, explains both thresholds, and stores nothing', async () => {
    const before = await t.db
      .selectFrom('brand_applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const res = await apply({ ...uniqueGood(), annualSalesYuan: '19999999', offlineStores: '49' })
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.refusals).toEqual([
      { code: 'annual_sales_below_threshold', minimumMinor: 2_000_000_000, actualMinor: 1_999_999_900 },
      { code: 'offline_stores_below_threshold', minimum: 50, actual: 49 },
    ])
    expect(body.result.initialValue.companyName).toBe(good.companyName) // the form keeps what was typed
    const after = await t.db
      .selectFrom('brand_applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('accepts exactly ¥20,000,000 and 50 stores', async () => {
    await applyOk({ ...uniqueGood(), annualSalesYuan: '20000000', offlineStores: '50' })
  })

  it('refuses the categories the platform does not accept, naming them', async () => {
    const res = await apply({ ...uniqueGood(), categories: ['womens', 'infant_formula', 'diapers'] })
    expect(res.status).toBe(422)
    expect((await res.json()).refusals).toEqual([
      { code: 'refused_categories', categories: ['infant_formula', 'diapers'] },
    ])
  })

  it('answers malformed input with 400 and field messages, never 500', async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{}, 'companyName'],
      [{ ...good, contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ ...good, contactPhone: 'call me' }, 'contactPhone'],
      [{ ...good, annualSalesYuan: '12.5' }, 'annualSalesYuan'],
      [{ ...good, annualSalesYuan: '-5' }, 'annualSalesYuan'],
      [{ ...good, annualSalesYuan: '9'.repeat(40) }, 'annualSalesYuan'],
      [{ ...good, offlineStores: 'many' }, 'offlineStores'],
      [{ ...good, categories: [] }, 'categories'],
      [{ ...good, categories: ['weapons'] }, 'categories[0]'],
      [{ ...good, companyName: 'x'.repeat(300) }, 'companyName'],
    ]
    for (const [fields, field] of cases) {
      const res = await apply(fields)
      expect(res.status, field).toBe(400)
      const body = await res.json()
      expect(Object.keys(body.result.error), JSON.stringify(fields).slice(0, 80)).toContain(field)
    }
  })

  it('an unknown or malformed status token is a 404', async () => {
    expect((await status('x'.repeat(43))).status).toBe(404)
    expect((await status('nope')).status).toBe(404)
  })
})

describe('operator review', () => {
  it('approves: brand awaiting deposit, staff account without a usable password, one-time link, review trail and audit row', async () => {
    const { token, id } = await applyOk({
      ...uniqueGood(),
      contactEmail: 'Boss@NewBrand.example',
      brandName: 'New Brand',
    })
    const res = await review(id, { intent: 'approve' })
    expect(res.status).toBe(200)
    const { approved } = await res.json()
    expect(approved.staffLogin).toBe('boss@newbrand.example')
    expect(approved.setupUrl).toMatch(/^http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{43}$/)

    const brand = await t.db
      .selectFrom('brands')
      .selectAll()
      .where('id', '=', approved.brandId)
      .executeTakeFirstOrThrow()
    expect(brand).toMatchObject({
      status: 'awaiting_deposit',
      slug: 'new-brand',
      name: 'New Brand',
      commission_bps: 1000,
      deposit_paid_at: null,
      deposit_amount_minor: 1_000_000,
      application_id: id,
    })
    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'boss@newbrand.example')
      .executeTakeFirstOrThrow()
    expect(user).toMatchObject({ role: 'brand_staff', brand_id: brand.id })
    const app = await t.db.selectFrom('brand_applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(app).toMatchObject({ status: 'approved', reviewed_by: operator.id, brand_id: brand.id })
    expect(app.reviewed_at).toBeInstanceOf(Date)

    const [row] = await auditRows(id)
    expect(row).toMatchObject({
      actor_id: operator.id,
      action: 'application.approve',
      target_type: 'brand_application',
      details: { brandId: brand.id, staffEmail: 'boss@newbrand.example' },
    })
    expect(JSON.stringify(row.details)).not.toContain(approved.setupUrl.split('/').pop())

    // the applicant's status page now says approved, with the next step
    expect(await (await status(token)).json()).toMatchObject({
      status: 'approved',
      staffLogin: 'boss@newbrand.example',
      depositPaid: false,
    })

    // a second review of the same application is refused
    const again = await review(id, { intent: 'approve' })
    expect(again.status).toBe(409)
    expect((await again.json()).formError.code).toBe('application_not_pending')
    expect((await review(id, { intent: 'reject', reason: 'late' })).status).toBe(409)
  })

  it('the set-password link works once; then the staff signs in with the new password', async () => {
    const { id } = await applyOk({ ...uniqueGood(), contactEmail: 'owner@linkbrand.example' })
    const { approved } = await (await review(id, { intent: 'approve' })).json()
    const token = approved.setupUrl.split('/').pop()
    // the account cannot be signed into before the password is set
    await expect(
      signIn(t.db, { identifier: 'owner@linkbrand.example', password: '', clientKey: 'sp', now: new Date() }),
    ).rejects.toThrow()
    const page = await settle(() =>
      setPasswordLoader({ request: getRequest(`/set-password/${token}`), params: { token }, ...ctx }),
    )
    expect(page.status).toBe(200)
    expect((await page.json()).info.login).toBe('owner@linkbrand.example')

    const bad = await settle(() =>
      setPasswordAction({
        request: formRequest(`/set-password/${token}`, { password: 'short', confirm: 'short' }),
        params: { token },
        ...ctx,
      }),
    )
    expect(bad.status).toBe(400)
    const mismatch = await settle(() =>
      setPasswordAction({
        request: formRequest(`/set-password/${token}`, { password: 'long enough pw', confirm: 'different pw!' }),
        params: { token },
        ...ctx,
      }),
    )
    expect(mismatch.status).toBe(400)

    const done = await settle(() =>
      setPasswordAction({
        request: formRequest(`/set-password/${token}`, { password: 'brand new secret', confirm: 'brand new secret' }),
        params: { token },
        ...ctx,
      }),
    )
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toContain('/login?redirectTo=%2Fbrand%2Fdeposit')
    const session = await signIn(t.db, {
      identifier: 'owner@linkbrand.example',
      password: 'brand new secret',
      clientKey: 'sp2',
      now: new Date(),
    })
    expect(session.userId).toBeTruthy()

    const reuse = await settle(() =>
      setPasswordAction({
        request: formRequest(`/set-password/${token}`, { password: 'another secret!', confirm: 'another secret!' }),
        params: { token },
        ...ctx,
      }),
    )
    expect(reuse.status).toBe(404)
    expect(
      (
        await settle(() =>
          setPasswordLoader({ request: getRequest(`/set-password/${token}`), params: { token }, ...ctx }),
        )
      ).status,
    ).toBe(404)
  })

  it('an expired link is refused; a reissued link replaces the old one (audited)', async () => {
    const { id } = await applyOk({ ...uniqueGood(), contactEmail: 'lost@link.example' })
    const { approved } = await (await review(id, { intent: 'approve' })).json()
    const first = approved.setupUrl.split('/').pop()
    const res = await brandPost(approved.brandId, { intent: 'reissue', userId: approved.staffUserId })
    expect(res.status).toBe(200)
    const second = (await res.json()).link.setupUrl.split('/').pop()
    const open = (token: string) =>
      settle(() => setPasswordLoader({ request: getRequest(`/set-password/${token}`), params: { token }, ...ctx }))
    expect((await open(first)).status).toBe(404)
    expect((await open(second)).status).toBe(200)
    expect((await auditRows(approved.staffUserId)).map((r) => r.action)).toEqual(['user.setup_link_issue'])
    await t.db
      .updateTable('password_setup_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', tokenHash(second))
      .execute()
    expect((await open(second)).status).toBe(404)
    const late = await settle(() =>
      setPasswordAction({
        request: formRequest(`/set-password/${second}`, { password: 'too late secret', confirm: 'too late secret' }),
        params: { token: second },
        ...ctx,
      }),
    )
    expect(late.status).toBe(404)
    // reissuing for a user of another brand is a 404
    expect((await brandPost(approved.brandId, { intent: 'reissue', userId: staff.id })).status).toBe(404)
    expect((await brandPost(approved.brandId, { intent: 'reissue', userId: 'nope' })).status).toBe(400)
  })

  it('refuses approval (409) when the contact e-mail already has an account, and leaves nothing half-made', async () => {
    const { id } = await applyOk({ ...uniqueGood(), contactEmail: member.email! })
    const brandsBefore = await t.db.selectFrom('brands').select('id').execute()
    const res = await review(id, { intent: 'approve' })
    expect(res.status).toBe(409)
    expect((await res.json()).formError.code).toBe('staff_email_taken')
    expect(await t.db.selectFrom('brands').select('id').execute()).toHaveLength(brandsBefore.length)
    expect(
      (await t.db.selectFrom('brand_applications').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('pending')
    expect(await auditRows(id)).toHaveLength(0)
  })

  it('rejects only with a reason, which the applicant then sees; audit row with the reason', async () => {
    const { token, id } = await applyOk()
    for (const fields of [{ intent: 'reject' }, { intent: 'reject', reason: '   ' }, { intent: 'bogus' }, {}] as Record<
      string,
      string
    >[]) {
      const res = await review(id, fields)
      expect(res.status).toBe(400)
    }
    expect(
      (await t.db.selectFrom('brand_applications').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('pending')
    const res = await review(id, { intent: 'reject', reason: '品牌资质材料不全，请补充商标注册证后重新申请。' })
    expect(res.status).toBe(302)
    expect(await (await status(token)).json()).toMatchObject({
      status: 'rejected',
      rejectReason: '品牌资质材料不全，请补充商标注册证后重新申请。',
    })
    const [row] = await auditRows(id)
    expect(row).toMatchObject({
      actor_id: operator.id,
      action: 'application.reject',
      details: { reason: '品牌资质材料不全，请补充商标注册证后重新申请。' },
    })
  })

  it('lists applications with status and text filters; unknown ids are 404', async () => {
    const { id } = await applyOk({ ...uniqueGood(), companyName: '独一无二服饰' })
    const list = async (qs: string) =>
      (
        await (
          await settle(() =>
            appsLoader({ request: getRequest(`/admin/applications${qs}`, opsCookie), params: {}, ...ctx }),
          )
        ).json()
      ).applications as { id: string; status: string }[]
    expect((await list('')).every((a) => a.status === 'pending')).toBe(true)
    expect((await list('?q=独一无二')).map((a) => a.id)).toEqual([id])
    expect((await list('?status=rejected')).every((a) => a.status === 'rejected')).toBe(true)
    expect((await list('?status=all')).length).toBeGreaterThan((await list('?status=rejected')).length)
    expect(
      (
        await settle(() =>
          appsLoader({ request: getRequest('/admin/applications?status=bogus', opsCookie), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(400)
    expect(
      (
        await settle(() =>
          appLoader({
            request: getRequest('/admin/applications/x', opsCookie),
            params: { applicationId: 'x' },
            ...ctx,
          }),
        )
      ).status,
    ).toBe(404)
    const ghost = '00000000-0000-4000-8000-000000000000'
    expect(
      (
        await settle(() =>
          appLoader({
            request: getRequest(`/admin/applications/${ghost}`, opsCookie),
            params: { applicationId: ghost },
            ...ctx,
          }),
        )
      ).status,
    ).toBe(404)
    expect((await review(ghost, { intent: 'approve' })).status).toBe(404)
  })
})

describe('brands: commission, suspend, reinstate', () => {
  it('changes the commission (0–50%) with an audit row of objects; bad values are 400 and change nothing', async () => {
    const brand = await createBrand(t.db)
    for (const percent of ['50.5', '75', '-1', 'abc', '', '1.234']) {
      const res = await brandPost(brand.id, { intent: 'commission', percent })
      expect(res.status, percent).toBe(400)
      expect(Object.keys((await res.json()).result.error)).toContain('percent')
    }
    const res = await brandPost(brand.id, { intent: 'commission', percent: '12.5' })
    expect(res.status).toBe(200)
    expect(
      (await t.db.selectFrom('brands').select('commission_bps').where('id', '=', brand.id).executeTakeFirstOrThrow())
        .commission_bps,
    ).toBe(1250)
    const rows = await auditRows(brand.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      action: 'brand.commission_change',
      actor_id: operator.id,
      details: { fromBps: 1000, toBps: 1250 },
    })
    const typ = await sql<{
      t: string
    }>`select jsonb_typeof(details) as t from audit_log where id = ${rows[0].id}`.execute(t.db)
    expect(typ.rows[0].t).toBe('object')
    expect((await brandPost(brand.id, { intent: 'commission', percent: '50' })).status).toBe(200)
    expect((await brandPost(brand.id, { intent: 'commission', percent: '0' })).status).toBe(200)
    expect(
      (await t.db.selectFrom('brands').select('commission_bps').where('id', '=', brand.id).executeTakeFirstOrThrow())
        .commission_bps,
    ).toBe(0)
  })

  it('suspends with a reason (hidden from the public at once), reinstates to live; each an audit row', async () => {
    const brand = await createBrand(t.db)
    const now = new Date()
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() - 3_600_000) })
    const visible = async () =>
      (await homeSessions(t.db, new Date())).live.some((s: { id: string }) => s.id === session.id)
    expect(await visible()).toBe(true)

    expect((await brandPost(brand.id, { intent: 'suspend' })).status).toBe(400)
    expect((await brandPost(brand.id, { intent: 'suspend', reason: '' })).status).toBe(400)
    expect((await brandPost(brand.id, { intent: 'suspend', reason: '多起售后投诉，暂停核查' })).status).toBe(200)
    expect(await visible()).toBe(false)
    expect(await sessionPage(t.db, session.id, null, new Date())).toBeNull()
    const again = await brandPost(brand.id, { intent: 'suspend', reason: 'twice' })
    expect(again.status).toBe(409)

    expect((await brandPost(brand.id, { intent: 'reinstate', reason: '核查完毕' })).status).toBe(200)
    expect(await visible()).toBe(true)
    const rows = await auditRows(brand.id)
    expect(rows.map((r) => [r.action, r.details])).toEqual([
      ['brand.suspend', { reason: '多起售后投诉，暂停核查', fromStatus: 'live', toStatus: 'suspended' }],
      ['brand.reinstate', { reason: '核查完毕', fromStatus: 'suspended', toStatus: 'live' }],
    ])
  })

  it('a brand awaiting its deposit is not public; reinstating it returns it to awaiting deposit', async () => {
    const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const home = await homeSessions(t.db, new Date())
    expect([...home.live, ...home.upcoming].some((s: { id: string }) => s.id === session.id)).toBe(false)
    expect(await sessionPage(t.db, session.id, null, new Date())).toBeNull()
    await brandPost(brand.id, { intent: 'suspend', reason: 'x' })
    await brandPost(brand.id, { intent: 'reinstate', reason: 'y' })
    expect(
      (await t.db.selectFrom('brands').select('status').where('id', '=', brand.id).executeTakeFirstOrThrow()).status,
    ).toBe('awaiting_deposit')
  })

  it('unknown intents are 400, unknown brands 404', async () => {
    const brand = await createBrand(t.db)
    expect((await brandPost(brand.id, { intent: 'delete' })).status).toBe(400)
    const ghost = '00000000-0000-4000-8000-000000000001'
    expect((await brandPost(ghost, { intent: 'commission', percent: '5' })).status).toBe(404)
    expect(
      (
        await settle(() =>
          brandLoader({ request: getRequest(`/admin/brands/${ghost}`, opsCookie), params: { brandId: ghost }, ...ctx }),
        )
      ).status,
    ).toBe(404)
  })
})

describe('deposit', () => {
  const payment = (brandId: string, id = 'pay_1') => ({
    id,
    reference_id: brandId,
    amount_minor: 1_000_000,
    currency: 'CNY',
  })

  it('the handler makes an awaiting brand live once, however often it is called', async () => {
    const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
    const at = new Date('2026-11-30T05:00:00Z')
    await t.db.transaction().execute((trx) => depositPaymentHandler.onSucceeded(trx, payment(brand.id), at))
    await t.db
      .transaction()
      .execute((trx) => depositPaymentHandler.onSucceeded(trx, payment(brand.id), new Date('2026-11-30T06:00:00Z')))
    const row = await t.db.selectFrom('brands').selectAll().where('id', '=', brand.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'live', deposit_paid_at: at, deposit_payment_id: 'pay_1' })
    expect((await auditRows(brand.id)).map((r) => [r.action, r.actor_id])).toEqual([['brand.deposit_paid', null]])
    // a second, different payment leaves the brand as it is and is flagged for a refund
    await t.db
      .transaction()
      .execute((trx) =>
        depositPaymentHandler.onSucceeded(trx, payment(brand.id, 'pay_2'), new Date('2026-11-30T06:00:00Z')),
      )
    expect(
      await t.db.selectFrom('brands').selectAll().where('id', '=', brand.id).executeTakeFirstOrThrow(),
    ).toMatchObject({ deposit_paid_at: at, deposit_payment_id: 'pay_1' })
    const rows = await auditRows(brand.id)
    expect(rows.map((r) => r.action)).toEqual(['brand.deposit_paid', 'brand.deposit_duplicate'])
    expect(rows[1].details).toMatchObject({ paymentId: 'pay_2', firstPaymentId: 'pay_1' })
  })

  it('concurrent deliveries record the deposit exactly once', async () => {
    const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
    await Promise.all(
      [1, 2, 3, 4].map(() =>
        t.db
          .transaction()
          .execute((trx) => depositPaymentHandler.onSucceeded(trx, payment(brand.id, 'same'), new Date())),
      ),
    )
    expect(await auditRows(brand.id)).toHaveLength(1)
  })

  it('a failed payment changes nothing; a suspended brand records the deposit but stays suspended', async () => {
    const a = await createBrand(t.db, { status: 'awaiting_deposit' })
    await t.db.transaction().execute((trx) => depositPaymentHandler.onFailed(trx, payment(a.id), new Date()))
    expect(
      await t.db
        .selectFrom('brands')
        .select(['status', 'deposit_paid_at'])
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'awaiting_deposit', deposit_paid_at: null })
    const s = await createBrand(t.db, { status: 'suspended' })
    await t.db.updateTable('brands').set({ deposit_paid_at: null }).where('id', '=', s.id).execute()
    await t.db.transaction().execute((trx) => depositPaymentHandler.onSucceeded(trx, payment(s.id), new Date()))
    const row = await t.db
      .selectFrom('brands')
      .select(['status', 'deposit_paid_at'])
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('suspended')
    expect(row.deposit_paid_at).toBeInstanceOf(Date)
  })

  it('full path: apply → approve → the new staff pays with the test provider → brand live, on the status page too', async () => {
    const { token, id } = await applyOk({ ...uniqueGood(), contactEmail: 'pay@fullpath.example' })
    const { approved } = await (await review(id, { intent: 'approve' })).json()
    const newStaff = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'pay@fullpath.example')
      .executeTakeFirstOrThrow()
    const cookie = await cookieFor(t.db, newStaff.id)
    const start = await settle(() =>
      depositAction({ request: formRequest('/brand/deposit', { intent: 'pay' }, { cookie }), params: {}, ...ctx }),
    )
    expect(start.status).toBe(302)
    const paymentId = start.headers.get('Location')!.match(/\/pay\/test\/([0-9a-f-]{36})$/)![1]
    const pay = await t.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow()
    expect(pay).toMatchObject({
      purpose: 'brand_deposit',
      reference_id: approved.brandId,
      amount_minor: 1_000_000,
      currency: 'CNY',
      payer_user_id: newStaff.id,
    })
    // another brand's staff cannot pay it; the payer approves on the labelled test page
    expect(
      (
        await settle(async () =>
          testPayAction({
            request: formRequest(
              `/pay/test/${paymentId}`,
              { intent: 'approve' },
              { cookie: await cookieFor(t.db, staff.id) },
            ),
            params: { paymentId },
            ...ctx,
          }),
        )
      ).status,
    ).toBe(404)
    const done = await settle(() =>
      testPayAction({
        request: formRequest(`/pay/test/${paymentId}`, { intent: 'approve' }, { cookie }),
        params: { paymentId },
        ...ctx,
      }),
    )
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toBe('/brand/deposit?payment=returned')
    const brand = await t.db
      .selectFrom('brands')
      .selectAll()
      .where('id', '=', approved.brandId)
      .executeTakeFirstOrThrow()
    expect(brand).toMatchObject({ status: 'live', deposit_payment_id: paymentId })
    expect(brand.deposit_paid_at).toBeInstanceOf(Date)
    expect(await (await status(token)).json()).toMatchObject({ status: 'approved', depositPaid: true })
    // nothing more is due
    expect(
      (
        await settle(() =>
          depositAction({ request: formRequest('/brand/deposit', { intent: 'pay' }, { cookie }), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(409)
  })

  it('a declined test payment leaves the brand awaiting its deposit', async () => {
    const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
    const own = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
    const cookie = await cookieFor(t.db, own.id)
    const start = await settle(() =>
      depositAction({ request: formRequest('/brand/deposit', { intent: 'pay' }, { cookie }), params: {}, ...ctx }),
    )
    const paymentId = start.headers.get('Location')!.split('/').pop()!
    const res = await settle(() =>
      testPayAction({
        request: formRequest(`/pay/test/${paymentId}`, { intent: 'decline' }, { cookie }),
        params: { paymentId },
        ...ctx,
      }),
    )
    expect(res.headers.get('Location')).toBe('/brand/deposit?payment=cancelled')
    expect(
      (await t.db.selectFrom('brands').select('status').where('id', '=', brand.id).executeTakeFirstOrThrow()).status,
    ).toBe('awaiting_deposit')
  })

  it('the deposit page shows the staff member their own brand only', async () => {
    const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
    const own = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
    const res = await settle(async () =>
      depositLoader({ request: getRequest('/brand/deposit', await cookieFor(t.db, own.id)), params: {}, ...ctx }),
    )
    expect(res.status).toBe(200)
    expect((await res.json()).deposit).toMatchObject({
      brandId: brand.id,
      status: 'awaiting_deposit',
      amountMinor: 1_000_000,
      due: true,
    })
    const other = await settle(async () =>
      depositLoader({ request: getRequest('/brand/deposit', await cookieFor(t.db, staff.id)), params: {}, ...ctx }),
    )
    expect((await other.json()).deposit).toMatchObject({ due: false, status: 'live' })
    const pay = await settle(async () =>
      depositAction({
        request: formRequest('/brand/deposit', { intent: 'pay' }, { cookie: await cookieFor(t.db, staff.id) }),
        params: {},
        ...ctx,
      }),
    )
    expect(pay.status).toBe(409) // nothing is due for a live brand
    const junk = await settle(async () =>
      depositAction({
        request: formRequest('/brand/deposit', { intent: 'x' }, { cookie: await cookieFor(t.db, own.id) }),
        params: {},
        ...ctx,
      }),
    )
    expect(junk.status).toBe(400)
  })
})

describe('audit log', () => {
  it('is append-only', async () => {
    const row = await t.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorId: operator.id,
        action: 'brand.suspend',
        targetType: 'brand',
        targetId: 'x',
        details: { reason: 'r' },
      }),
    )
    await expect(
      t.db.updateTable('audit_log').set({ action: 'brand.reinstate' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(t.db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(/append-only/)
  })

  it('rolls back with the change it records', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, {
          actorId: operator.id,
          action: 'brand.suspend',
          targetType: 'brand',
          targetId: 'rollback-me',
        })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await auditRows('rollback-me')).toHaveLength(0)
  })

  it('lists entries newest first with filters by action, target and actor', async () => {
    const get = async (qs: string) => {
      const res = await settle(() =>
        auditLoader({ request: getRequest(`/admin/audit${qs}`, opsCookie), params: {}, ...ctx }),
      )
      expect(res.status).toBe(200)
      return (await res.json()).entries as {
        action: string
        actorName: string | null
        targetType: string
        createdAt: string
      }[]
    }
    const all = await get('')
    expect(all.length).toBeGreaterThan(5)
    expect([...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt))).toEqual(all)
    expect((await get('?action=brand.commission_change')).every((e) => e.action === 'brand.commission_change')).toBe(
      true,
    )
    expect((await get('?targetType=brand_application')).every((e) => e.targetType === 'brand_application')).toBe(true)
    expect((await get('?actor=运营小王')).every((e) => e.actorName === '运营小王')).toBe(true)
    expect(await get('?actor=nobody-at-all')).toHaveLength(0)
    expect(
      (await settle(() => auditLoader({ request: getRequest('/admin/audit?page=0', opsCookie), params: {}, ...ctx })))
        .status,
    ).toBe(400)
    expect(
      (
        await settle(() =>
          auditLoader({ request: getRequest('/admin/audit?targetType=bogus', opsCookie), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(400)
  })

  it('the operator console front page counts applications, brands and audit entries', async () => {
    const res = await settle(() => adminLoader({ request: getRequest('/admin', opsCookie), params: {}, ...ctx }))
    const body = await res.json()
    expect(body.onboarding.pendingApplications).toBe(body.pendingApplications)
    expect(body.onboarding.pendingApplications).toBeGreaterThan(0)
    expect(body.onboarding.auditEntries).toBeGreaterThan(5)
  })
})

describe('access: every operator loader and action refuses members, brand staff and signed-out visitors', () => {
  const anyId = '00000000-0000-4000-8000-000000000002'
  const loaders = [
    ['/admin', adminLoader, {}],
    ['/admin/applications', appsLoader, {}],
    [`/admin/applications/${anyId}`, appLoader, { applicationId: anyId }],
    ['/admin/brands', brandsLoader, {}],
    [`/admin/brands/${anyId}`, brandLoader, { brandId: anyId }],
    ['/admin/audit', auditLoader, {}],
  ] as const
  const actions = [
    [`/admin/applications/${anyId}`, appAction, { applicationId: anyId }, { intent: 'approve' }],
    [`/admin/applications/${anyId}`, appAction, { applicationId: anyId }, { intent: 'reject', reason: 'x' }],
    [`/admin/brands/${anyId}`, brandAction, { brandId: anyId }, { intent: 'commission', percent: '5' }],
    [`/admin/brands/${anyId}`, brandAction, { brandId: anyId }, { intent: 'suspend', reason: 'x' }],
    [`/admin/brands/${anyId}`, brandAction, { brandId: anyId }, { intent: 'reinstate', reason: 'x' }],
    [`/admin/brands/${anyId}`, brandAction, { brandId: anyId }, { intent: 'reissue', userId: anyId }],
  ] as const

  it.each(loaders)('loader %s', async (path, loader, params) => {
    const out = await settle(() => loader({ request: getRequest(path), params, ...ctx }))
    expect(out.status).toBe(302)
    expect(out.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    for (const user of [member, staff]) {
      const res = await settle(async () =>
        loader({ request: getRequest(path, await cookieFor(t.db, user.id)), params, ...ctx }),
      )
      expect(res.status).toBe(403)
    }
  })

  it.each(actions)('action %s', async (path, action, params, fields) => {
    const out = await settle(() => action({ request: formRequest(path, fields), params, ...ctx }))
    expect(out.status).toBe(302)
    expect(out.headers.get('Location')).toMatch(/^\/login/)
    for (const user of [member, staff]) {
      const res = await settle(async () =>
        action({ request: formRequest(path, fields, { cookie: await cookieFor(t.db, user.id) }), params, ...ctx }),
      )
      expect(res.status).toBe(403)
    }
  })

  it('a refused action changes nothing', async () => {
    const brand = await createBrand(t.db)
    const res = await settle(async () =>
      brandAction({
        request: formRequest(
          `/admin/brands/${brand.id}`,
          { intent: 'suspend', reason: 'x' },
          { cookie: await cookieFor(t.db, staff.id) },
        ),
        params: { brandId: brand.id },
        ...ctx,
      }),
    )
    expect(res.status).toBe(403)
    expect(
      (await t.db.selectFrom('brands').select('status').where('id', '=', brand.id).executeTakeFirstOrThrow()).status,
    ).toBe('live')
    expect(await auditRows(brand.id)).toHaveLength(0)
  })

  it('the deposit page is for brand staff only', async () => {
    expect(
      (await settle(() => depositLoader({ request: getRequest('/brand/deposit'), params: {}, ...ctx }))).status,
    ).toBe(302)
    expect(
      (
        await settle(() =>
          depositAction({ request: formRequest('/brand/deposit', { intent: 'pay' }), params: {}, ...ctx }),
        )
      ).status,
    ).toBe(302)
    for (const user of [member, operator]) {
      const cookie = await cookieFor(t.db, user.id)
      expect(
        (await settle(() => depositLoader({ request: getRequest('/brand/deposit', cookie), params: {}, ...ctx })))
          .status,
      ).toBe(403)
      expect(
        (
          await settle(() =>
            depositAction({
              request: formRequest('/brand/deposit', { intent: 'pay' }, { cookie }),
              params: {},
              ...ctx,
            }),
          )
        ).status,
      ).toBe(403)
    }
  })
})
