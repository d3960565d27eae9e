import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as registerAction } from '#app/routes/register'
import { loader as accountLoader } from '#app/routes/account._index'
import { action as vipAction, loader as vipLoader } from '#app/routes/admin.vip'
import { action as invitationsAction, loader as invitationsLoader } from '#app/routes/admin.invitations'
import { testGrantPoints } from '#app/services/membership/members.server'
import { loader as productLoader } from '#app/routes/products.$productId'
import { grantPoints } from '#app/services/membership/growth.server'
import { DEFAULT_VIP_TIERS } from '#app/domain/pricing'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let operator: Awaited<ReturnType<typeof createUser>>
let vip: Awaited<ReturnType<typeof createUser>>
let trialOwner: Awaited<ReturnType<typeof createUser>>
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} })
const register = (fields: Record<string, string>, client = 'c-ok') =>
  settle(() => registerAction(args(formRequest('/register', fields, { headers: { 'x-client-address': client } }))))
let n = 0
const fresh = () => ({ identifier: `new${n++}@example.com`, password: 'long enough', displayName: '杭州Lily' })

beforeAll(async () => {
  t = await createTestDatabase()
  operator = await createUser(t.db, { role: 'operator' })
  vip = await createUser(t.db, { displayName: '上海大胖' })
  await t.db
    .transaction()
    .execute((trx) => grantPoints(trx, { memberId: vip.id, delta: 700, note: 'x', now: new Date() }))
  trialOwner = await createUser(t.db)
  await t.db
    .insertInto('invitation_codes')
    .values([
      { code: 'OPEN2026', kind: 'campaign' },
      { code: 'ONEUSE', kind: 'campaign', max_uses: 1 },
      { code: 'OLDCODE', kind: 'campaign', expires_at: new Date('2020-01-01T00:00:00Z') },
      { code: 'TRIAL001', kind: 'personal', owner_id: trialOwner.id },
      { code: 'THREE3', kind: 'campaign', max_uses: 3 },
    ] as never)
    .execute()
})
afterAll(() => t.drop())

describe('registration', () => {
  it('registers with a campaign code as Trial, counts the use and signs the new member in', async () => {
    const res = await register({ code: ' open-2026 ', ...fresh(), identifier: 'Amy@Example.com' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/account')
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]
    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'amy@example.com')
      .executeTakeFirstOrThrow()
    expect(user).toMatchObject({ role: 'member', vip_level: 0 })
    expect(user.password_hash).toMatch(/^\$argon2id\$/)
    const m = await t.db
      .selectFrom('memberships')
      .selectAll()
      .where('member_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(m.invited_by).toBeNull()
    expect(
      (
        await t.db
          .selectFrom('invitation_codes')
          .select('uses')
          .where('code', '=', 'OPEN2026')
          .executeTakeFirstOrThrow()
      ).uses,
    ).toBe(1)
    const centre = await settle(() => accountLoader(args(getRequest('/account', cookie))))
    expect(centre.status).toBe(200)
    expect(await centre.json()).toMatchObject({ vipLevel: 0, balance: 0, inviteCode: null, keep: null })
  })

  it('records the inviter of a personal code, and registers by phone', async () => {
    const code = (
      await t.db.selectFrom('invitation_codes').select('code').where('owner_id', '=', vip.id).executeTakeFirstOrThrow()
    ).code
    const res = await register({ code: code.toLowerCase(), ...fresh(), identifier: '139 0000 1234' })
    expect(res.status).toBe(302)
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('phone', '=', '13900001234')
      .executeTakeFirstOrThrow()
    const m = await t.db
      .selectFrom('memberships')
      .selectAll()
      .where('member_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(m.invited_by).toBe(vip.id)
    // the inviter sees the invitee masked
    const mine = await settle(async () => accountLoader(args(getRequest('/account', await cookieFor(t.db, vip.id)))))
    const body = await mine.json()
    expect(body.invitees).toEqual([expect.objectContaining({ name: '杭*ly', contact: '139****1234' })])
    expect(body.inviteCode).toEqual({ code, uses: 1 })
  })

  it('refuses unknown, expired, exhausted and inactive codes with a clear field message', async () => {
    expect((await register({ code: 'ONEUSE', ...fresh() })).status).toBe(302)
    const cases: [string, string][] = [
      ['NOPE9999', 'codeUnknown'],
      ['OLDCODE', 'codeExpired'],
      ['ONEUSE', 'codeExhausted'],
      ['TRIAL001', 'codeInactive'],
    ]
    for (const [code, message] of cases) {
      const res = await register({ code, ...fresh() }, 'c-refusals')
      expect(res.status).toBe(422)
      expect((await res.json()).result.error.code).toEqual([`membership.register.${message}`])
    }
    expect(
      await t.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', `new${n - 1}@example.com`)
        .executeTakeFirst(),
    ).toBeUndefined()
  })

  it('counts uses atomically: concurrent registrations never exceed max uses', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => register({ code: 'THREE3', ...fresh() }, `race-${i}`)),
    )
    expect(results.filter((r) => r.status === 302)).toHaveLength(3)
    expect(results.filter((r) => r.status === 422)).toHaveLength(3)
    expect(
      (await t.db.selectFrom('invitation_codes').select('uses').where('code', '=', 'THREE3').executeTakeFirstOrThrow())
        .uses,
    ).toBe(3)
  })

  it('throttles guessing per client address, and never locks a code out', async () => {
    for (let i = 0; i < 10; i++)
      expect((await register({ code: `GUESS${i}X`, ...fresh() }, 'guesser')).status).toBe(422)
    const blocked = await register({ code: 'OPEN2026', ...fresh() }, 'guesser')
    expect(blocked.status).toBe(429)
    expect((await blocked.json()).result.error['']).toEqual(['membership.register.throttled'])
    // many clients hammering one prefix throttle themselves, not the prefix
    for (let i = 0; i < 20; i++) await register({ code: `ZZZZ${i}`, ...fresh() }, `botnet-${i}`)
    expect((await register({ code: 'ZZZZ9999', ...fresh() }, 'innocent')).status).toBe(422)
    expect((await register({ code: 'OPEN2026', ...fresh() }, 'innocent')).status).toBe(302)
  })

  it('answers malformed forms with 400 and field messages, a taken login with 409', async () => {
    const forms: Record<string, string>[] = [
      {},
      { code: 'OPEN2026' },
      { ...fresh(), code: '' },
      { ...fresh(), code: 'OPEN2026', password: 'short' },
      { ...fresh(), code: 'OPEN2026', identifier: 'not an email' },
      { ...fresh(), code: '<script>', displayName: 'x' },
      { ...fresh(), code: 'OPEN2026', displayName: 'x'.repeat(100) },
    ]
    for (const fields of forms) {
      const res = await register(fields)
      expect(res.status).toBe(400)
      expect(Object.keys((await res.json()).result.error).length).toBeGreaterThan(0)
    }
    const res = await register({ code: 'OPEN2026', ...fresh(), identifier: 'AMY@example.com' })
    expect(res.status).toBe(409)
    expect((await res.json()).result.error.identifier).toEqual(['membership.register.exists'])
  })
})

describe('the member centre', () => {
  it('shows only the signed-in member’s own centre; others are sent away', async () => {
    const other = await createUser(t.db)
    const cookie = await cookieFor(t.db, other.id)
    const res = await settle(() =>
      accountLoader(args(getRequest(`/account?member=${vip.id}&memberId=${vip.id}`, cookie))),
    )
    // unknown query keys are ignored; it is still `other`'s own (empty) centre
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ balance: 0, vipLevel: 0, invitees: [] })
    expect((await settle(() => accountLoader(args(getRequest('/account'))))).status).toBe(302)
    expect(
      (await settle(async () => accountLoader(args(getRequest('/account', await cookieFor(t.db, operator.id))))))
        .status,
    ).toBe(403)
    expect((await settle(() => accountLoader(args(getRequest('/account?page=abc', cookie))))).status).toBe(400)
  })

  it('paginates the ledger, newest first, with running balances', async () => {
    const m = await createUser(t.db)
    for (let i = 1; i <= 25; i++)
      await t.db
        .transaction()
        .execute((trx) =>
          grantPoints(trx, { memberId: m.id, delta: i, note: `g${i}`, now: new Date(Date.UTC(2026, 10, 1, 0, i)) }),
        )
    const cookie = await cookieFor(t.db, m.id)
    const p1 = await (await settle(() => accountLoader(args(getRequest('/account', cookie))))).json()
    expect(p1.ledger).toMatchObject({ page: 1, pages: 2, total: 25 })
    expect(p1.ledger.rows[0]).toMatchObject({ delta: 25, balanceAfter: 325 })
    const p2 = await (await settle(() => accountLoader(args(getRequest('/account?page=2', cookie))))).json()
    expect(p2.ledger.rows.map((r: { delta: number }) => r.delta)).toEqual([5, 4, 3, 2, 1])
    expect(p2.ledger.rows.at(-1).balanceAfter).toBe(1)
    expect(p1.vipLevel).toBe(2) // 325 points: VIP2 (200), not yet VIP3 (600)
    expect(p1.toNext).toEqual({ level: 3, threshold: 600, pointsNeeded: 275, percent: 31 })
  })
})

describe('operator pages', () => {
  const tierForm = (over: Record<string, string> = {}) => {
    const f: Record<string, string> = { note: '双十二调整' }
    DEFAULT_VIP_TIERS.forEach((x, i) => {
      f[`tiers[${i}].level`] = String(x.level)
      f[`tiers[${i}].thresholdPoints`] = String(x.thresholdPoints)
      f[`tiers[${i}].discountBps`] = String(x.discountBps / 100)
      if (x.level) f[`tiers[${i}].keepPointsPerMonth`] = String(x.keepPointsPerMonth)
    })
    return { ...f, ...over }
  }

  it('only operators reach /admin/vip and /admin/invitations', async () => {
    const member = await cookieFor(t.db, vip.id)
    for (const loader of [vipLoader, invitationsLoader]) {
      expect((await settle(() => loader(args(getRequest('/admin/vip', member))))).status).toBe(403)
      expect((await settle(() => loader(args(getRequest('/admin/vip'))))).status).toBe(302)
    }
    expect(
      (await settle(() => vipAction(args(formRequest('/admin/vip', tierForm(), { cookie: member }))))).status,
    ).toBe(403)
    expect(
      (
        await settle(() =>
          invitationsAction(args(formRequest('/admin/invitations', { code: 'HACK2026' }, { cookie: member }))),
        )
      ).status,
    ).toBe(403)
  })

  it('validates the VIP table: 400 for malformed, 422 for rules, and saves a valid edit that prices change with', async () => {
    const cookie = await cookieFor(t.db, operator.id)
    const post = (fields: Record<string, string>) =>
      settle(() => vipAction(args(formRequest('/admin/vip', fields, { cookie }))))
    for (const bad of [
      {},
      tierForm({ 'tiers[2].discountBps': 'abc' }),
      tierForm({ 'tiers[3].thresholdPoints': '-5' }),
      tierForm({ note: '' }),
      tierForm({ 'tiers[5].discountBps': '50.123' }),
    ]) {
      expect((await post(bad)).status).toBe(400)
    }
    const rising = await post(tierForm({ 'tiers[3].thresholdPoints': '150' }))
    expect(rising.status).toBe(422)
    expect((await rising.json()).result.error['tiers[3].thresholdPoints']).toEqual([
      'membership.admin.issues.threshold_rising',
    ])
    const over = await post(tierForm({ 'tiers[5].discountBps': '50.5' }))
    expect(over.status).toBe(422)
    expect((await over.json()).result.error['tiers[5].discountBps']).toEqual(['membership.admin.issues.discount_range'])
    expect((await post(tierForm({ 'tiers[0].thresholdPoints': '1' }))).status).toBe(422)

    // a product page before and after: VIP3 9% off instead of 8%, for a session that has not started; a live
    // session keeps the discounts it went live with
    const brand = await createBrand(t.db)
    const { product, skus } = await createProduct(t.db, { brandId: brand.id })
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() + 3_600_000) })
    await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((s) => s.id),
      basePriceMinor: 12_990,
      quantity: 5,
    })
    const live = await createProduct(t.db, { brandId: brand.id })
    const liveSession = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    await addSessionItem(t.db, {
      sessionId: liveSession.id,
      productId: live.product.id,
      skuIds: live.skus.map((s) => s.id),
      basePriceMinor: 12_990,
      quantity: 5,
    })
    const v3 = await createUser(t.db, { vipLevel: 3 })
    const priceOf = async (productId: string) =>
      (
        await (
          await settle(async () =>
            productLoader(args(getRequest(`/products/${productId}`, await cookieFor(t.db, v3.id)), { productId })),
          )
        ).json()
      ).sessions[0]
    const price = () => priceOf(product.id)
    expect((await price()).priceMinor).toBe(11_951)
    expect((await priceOf(live.product.id)).priceMinor).toBe(11_951)
    const ok = await post(tierForm({ 'tiers[3].discountBps': '9' }))
    expect(ok.status).toBe(200)
    const after = await price()
    expect(after.priceMinor).toBe(11_821) // 12990 × 0.91 = 11820.9 → 11821
    expect((await priceOf(live.product.id)).priceMinor).toBe(11_951)
    expect(after.ladder.map((r: { priceMinor: number }) => r.priceMinor)).toEqual([
      12_990, 12_600, 12_341, 11_821, 11_691, 11_431,
    ])
    const anonymous = await (
      await settle(() => productLoader(args(getRequest(`/products/${product.id}`), { productId: product.id })))
    ).json()
    expect(anonymous.sessions[0]).toMatchObject({ priceMinor: null, ladder: null })
    const changes = await t.db.selectFrom('vip_tier_changes').select('note').execute()
    expect(changes.map((c) => c.note)).toEqual(['双十二调整'])
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'details'])
      .where('action', '=', 'vip_tiers.update')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_id: operator.id, details: expect.objectContaining({ note: '双十二调整' }) })
    expect((await post(tierForm({ note: 'restore' }))).status).toBe(200)
  })

  it('creates campaign codes with max uses and expiry (Beijing time) and lists their registrations', async () => {
    const cookie = await cookieFor(t.db, operator.id)
    const post = (fields: Record<string, string>) =>
      settle(() => invitationsAction(args(formRequest('/admin/invitations', fields, { cookie }))))
    expect(
      (await post({ code: 'spring-2027', maxUses: '2', expiresAt: '2027-03-31T23:59', note: '春季招募' })).status,
    ).toBe(200)
    const row = await t.db
      .selectFrom('invitation_codes')
      .selectAll()
      .where('code', '=', 'SPRING2027')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ max_uses: 2, kind: 'campaign', created_by: operator.id })
    expect(row.expires_at?.toISOString()).toBe('2027-03-31T15:59:00.000Z')
    expect((await post({ code: 'SPRING2027' })).status).toBe(409)
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'invitation_code.create')
      .execute()
    expect(audit).toEqual([{ actor_id: operator.id, target_id: row.id }])
    for (const bad of [
      {},
      { code: 'ab' },
      { code: 'OK2026', maxUses: '0' },
      { code: 'OK2026', maxUses: 'many' },
      { code: 'OK2026', expiresAt: 'tomorrow' },
    ] as Record<string, string>[])
      expect((await post(bad)).status).toBe(400)
    await register({ code: 'SPRING2027', ...fresh(), displayName: '春天' }, 'spring')
    const page = await (await settle(() => invitationsLoader(args(getRequest('/admin/invitations', cookie))))).json()
    const spring = page.codes.find((c: { code: string }) => c.code === 'SPRING2027')
    expect(spring).toMatchObject({ uses: 1, maxUses: 2, state: 'active' })
    expect(spring.registrations.map((r: { name: string }) => r.name)).toEqual(['春天'])
  })
})

describe('granting points for browser tests', () => {
  it('goes through the ledger functions: purchase points, level, and nothing for an unknown login', async () => {
    const m = await createUser(t.db, { email: 'grant@example.com' })
    const granted = await testGrantPoints(t.db, {
      login: 'grant@example.com',
      kind: 'purchase',
      paidGoodsMinor: 60_000,
      orderId: randomUUID(),
      now: new Date(),
    })
    expect(granted?.ledger).toMatchObject({ points: 60, level: 1 })
    expect(
      await testGrantPoints(t.db, {
        login: 'ghost@example.com',
        kind: 'grant',
        points: 5,
        orderId: randomUUID(),
        now: new Date(),
      }),
    ).toBeNull()
    const total = await sql<{
      b: number
    }>`select sum(delta)::int as b from growth_ledger where member_id = ${m.id}`.execute(t.db)
    expect(total.rows[0].b).toBe(60)
  })
})
