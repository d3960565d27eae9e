import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, seed } from '#db/seed'
import { ONBOARDING_DEMO_STAFF, onboardingDemoLogins } from '#db/seeds/onboarding'
import { signIn } from '#app/services/auth.server'
import { depositStatus } from '#app/services/onboarding/deposits.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-30T04:00:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

describe('onboarding demo data', () => {
  it('keeps the pending application and adds an approved brand awaiting its deposit whose staff can sign in', async () => {
    const apps = await t.db
      .selectFrom('brand_applications')
      .select(['status', 'company_name'])
      .orderBy('status')
      .execute()
    expect(apps.map((a) => a.status)).toEqual(['approved', 'pending', 'rejected'])
    expect(apps.find((a) => a.status === 'pending')!.company_name).toBe('杭州云织服饰有限公司')
    const brand = await t.db.selectFrom('brands').selectAll().where('slug', '=', 'yunshang').executeTakeFirstOrThrow()
    expect(brand).toMatchObject({ status: 'awaiting_deposit', deposit_paid_at: null, deposit_amount_minor: 1_000_000 })
    const session = await signIn(t.db, {
      identifier: ONBOARDING_DEMO_STAFF,
      password: DEMO_PASSWORD,
      clientKey: 'seed',
      now,
    })
    const user = await t.db
      .selectFrom('users')
      .select(['brand_id', 'role'])
      .where('id', '=', session.userId)
      .executeTakeFirstOrThrow()
    expect(user).toEqual({ brand_id: brand.id, role: 'brand_staff' })
    expect((await depositStatus(t.db, brand.id))!.due).toBe(true)
    expect(onboardingDemoLogins(DEMO_PASSWORD)[0].login).toBe(ONBOARDING_DEMO_STAFF)
  })

  it('has audit rows whose details are JSON objects, by the operator', async () => {
    const rows = await sql<{ action: string; t: string; email: string }>`
      select a.action, jsonb_typeof(a.details) as t, u.email from audit_log a join users u on u.id = a.actor_id order by a.id`.execute(
      t.db,
    )
    expect(rows.rows.map((r) => r.action)).toEqual([
      'application.reject',
      'application.approve',
      'brand.commission_change',
    ])
    expect(rows.rows.every((r) => r.t === 'object' && r.email === 'ops@demo.cm')).toBe(true)
  })
})
