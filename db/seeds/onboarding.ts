// Onboarding demo data: one approved brand awaiting its deposit (with a staff login), one rejected
// application, and audit rows for those reviews and a commission change. The skeleton's pending
// application stays as it is. Deterministic: times are relative to the seed's `now`.
import type { Transaction } from 'kysely'
import type { Database } from '../schema'
import { createUser } from '#tests/fixtures/factories'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { recordAudit } from '#app/services/onboarding/audit.server'

export const ONBOARDING_DEMO_STAFF = 'staff@yunshang.demo.cm'

export function onboardingDemoLogins(password: string) {
  return [
    {
      role: 'brand',
      login: ONBOARDING_DEMO_STAFF,
      password,
      note: '云裳 Yunshang · approved, deposit not paid yet (/brand/deposit)',
    },
  ]
}

export async function seedOnboarding(trx: Transaction<Database>, v: { now: Date; password: string }) {
  const h = (n: number) => new Date(v.now.getTime() + n * 3_600_000)
  const ops = await trx.selectFrom('users').select('id').where('email', '=', 'ops@demo.cm').executeTakeFirstOrThrow()
  const rules = PLATFORM_RULES.onboarding

  const approved = await trx
    .insertInto('brand_applications')
    .values({
      company_name: '苏州云裳服饰集团有限公司',
      brand_name: '云裳',
      contact_name: '王芳',
      contact_phone: '13900002222',
      contact_email: ONBOARDING_DEMO_STAFF,
      annual_sales_minor: 12_800_000_000,
      offline_stores: 132,
      categories: ['womens', 'shoes_bags'],
      created_at: h(-50),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const brand = await trx
    .insertInto('brands')
    .values({
      application_id: approved.id,
      slug: 'yunshang',
      name: '云裳',
      name_en: 'Yunshang',
      status: 'awaiting_deposit',
      deposit_amount_minor: rules.depositMinor,
      deposit_currency: rules.depositCurrency,
      status_changed_at: h(-26),
      created_at: h(-26),
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow()
  const staff = await createUser(trx, {
    email: ONBOARDING_DEMO_STAFF,
    password: v.password,
    role: 'brand_staff',
    brandId: brand.id,
    displayName: '云裳 · 王芳',
  })
  await trx
    .updateTable('brand_applications')
    .set({ status: 'approved', reviewed_by: ops.id, reviewed_at: h(-26), brand_id: brand.id })
    .where('id', '=', approved.id)
    .execute()

  const rejected = await trx
    .insertInto('brand_applications')
    .values({
      company_name: '临安山货特产商行',
      brand_name: '山里鲜',
      contact_name: '刘强',
      contact_phone: '13900003333',
      contact_email: 'liu@shanlixian.example',
      annual_sales_minor: 380_000_000,
      offline_stores: 6,
      categories: ['womens'],
      created_at: h(-40),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const reason = '年销售额与线下门店数均未达到入驻标准（年销售额 ≥ ¥20,000,000，线下门店 ≥ 50 家）。'
  await trx
    .updateTable('brand_applications')
    .set({ status: 'rejected', reviewed_by: ops.id, reviewed_at: h(-30), reject_reason: reason })
    .where('id', '=', rejected.id)
    .execute()

  const mulan = await trx
    .selectFrom('brands')
    .select(['id', 'commission_bps'])
    .where('slug', '=', 'mulan')
    .executeTakeFirstOrThrow()
  await trx.updateTable('brands').set({ commission_bps: 800 }).where('id', '=', mulan.id).execute()

  await recordAudit(trx, {
    actorId: ops.id,
    action: 'application.reject',
    targetType: 'brand_application',
    targetId: rejected.id,
    details: { reason, companyName: '临安山货特产商行' },
  })
  await recordAudit(trx, {
    actorId: ops.id,
    action: 'application.approve',
    targetType: 'brand_application',
    targetId: approved.id,
    details: { brandId: brand.id, brandSlug: brand.slug, staffUserId: staff.id, staffEmail: ONBOARDING_DEMO_STAFF },
  })
  await recordAudit(trx, {
    actorId: ops.id,
    action: 'brand.commission_change',
    targetType: 'brand',
    targetId: mulan.id,
    details: { fromBps: mulan.commission_bps, toBps: 800 },
  })
}
