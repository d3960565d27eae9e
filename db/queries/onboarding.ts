import { sql } from 'kysely'
import type { Conn } from './conn'

const esc = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`)

export function insertApplication(
  db: Conn,
  v: {
    companyName: string
    brandName: string
    contactName: string
    contactPhone: string
    contactEmail: string
    annualSalesMinor: number
    offlineStores: number
    categories: string[]
    statusTokenHash: string
    now: Date
  },
) {
  return db
    .insertInto('brand_applications')
    .values({
      company_name: v.companyName,
      brand_name: v.brandName,
      contact_name: v.contactName,
      contact_phone: v.contactPhone,
      contact_email: v.contactEmail,
      annual_sales_minor: v.annualSalesMinor,
      offline_stores: v.offlineStores,
      categories: v.categories,
      status_token_hash: v.statusTokenHash,
      created_at: v.now as never,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
}

export function findApplicationByTokenHash(db: Conn, hash: string) {
  return db
    .selectFrom('brand_applications as a')
    .leftJoin('brands as b', 'b.id', 'a.brand_id')
    .select([
      'a.id',
      'a.company_name',
      'a.brand_name',
      'a.status',
      'a.reject_reason',
      'a.reviewed_at',
      'a.created_at',
      'a.contact_email',
      'b.status as brand_status',
      'b.deposit_paid_at',
    ])
    .where('a.status_token_hash', '=', hash)
    .executeTakeFirst()
}

export function listApplications(
  db: Conn,
  f: { status?: 'pending' | 'approved' | 'rejected'; q?: string; limit: number },
) {
  let q = db
    .selectFrom('brand_applications as a')
    .select([
      'a.id',
      'a.company_name',
      'a.brand_name',
      'a.contact_name',
      'a.annual_sales_minor',
      'a.currency',
      'a.offline_stores',
      'a.categories',
      'a.status',
      'a.created_at',
      'a.reviewed_at',
    ])
  if (f.status) q = q.where('a.status', '=', f.status)
  if (f.q) {
    const like = `%${esc(f.q)}%`
    q = q.where((eb) =>
      eb.or([
        eb('a.company_name', 'ilike', like),
        eb('a.brand_name', 'ilike', like),
        eb('a.contact_name', 'ilike', like),
        eb(sql<string>`a.contact_email::text`, 'ilike', like),
      ]),
    )
  }
  return q.orderBy('a.created_at', 'desc').limit(f.limit).execute()
}

export async function countApplicationsByStatus(db: Conn) {
  const rows = await db
    .selectFrom('brand_applications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<'pending' | 'approved' | 'rejected', number>
  >
}

export function findApplication(db: Conn, id: string) {
  return db
    .selectFrom('brand_applications as a')
    .leftJoin('users as r', 'r.id', 'a.reviewed_by')
    .leftJoin('brands as b', 'b.id', 'a.brand_id')
    .selectAll('a')
    .select([
      'r.display_name as reviewer_name',
      'b.slug as brand_slug',
      'b.status as brand_status',
      'b.name as brand_display_name',
      'b.name_en as brand_display_name_en',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst()
}

export function lockApplication(db: Conn, id: string) {
  return db.selectFrom('brand_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function markApplicationReviewed(
  db: Conn,
  id: string,
  v: { status: 'approved' | 'rejected'; reviewerId: string; now: Date; rejectReason?: string; brandId?: string },
) {
  await db
    .updateTable('brand_applications')
    .set({
      status: v.status,
      reviewed_by: v.reviewerId,
      reviewed_at: v.now,
      reject_reason: v.rejectReason ?? null,
      brand_id: v.brandId ?? null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
}

export async function slugTaken(db: Conn, slug: string) {
  return !!(await db.selectFrom('brands').select('id').where('slug', '=', slug).executeTakeFirst())
}

export async function emailTaken(db: Conn, email: string) {
  return !!(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())
}

export function insertBrand(
  db: Conn,
  v: { applicationId: string; slug: string; name: string; depositMinor: number; depositCurrency: string; now: Date },
) {
  return db
    .insertInto('brands')
    .values({
      application_id: v.applicationId,
      slug: v.slug,
      name: v.name,
      name_en: v.name,
      status: 'awaiting_deposit',
      deposit_amount_minor: v.depositMinor,
      deposit_currency: v.depositCurrency,
      status_changed_at: v.now,
      created_at: v.now as never,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function insertStaffUser(
  db: Conn,
  v: { email: string; brandId: string; displayName: string; passwordHash: string },
) {
  return db
    .insertInto('users')
    .values({
      email: v.email,
      password_hash: v.passwordHash,
      role: 'brand_staff',
      brand_id: v.brandId,
      display_name: v.displayName,
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow()
}

export async function insertSetupToken(db: Conn, v: { tokenHash: string; userId: string; expiresAt: Date }) {
  await db
    .insertInto('password_setup_tokens')
    .values({ token_hash: v.tokenHash, user_id: v.userId, expires_at: v.expiresAt })
    .execute()
}

export async function revokeSetupTokens(db: Conn, userId: string, now: Date) {
  await db
    .updateTable('password_setup_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
}

export function findSetupToken(db: Conn, tokenHash: string, opts: { lock?: boolean } = {}) {
  let q = db
    .selectFrom('password_setup_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.token_hash', 't.user_id', 't.expires_at', 't.used_at', 'u.email', 'u.display_name'])
    .where('t.token_hash', '=', tokenHash)
  if (opts.lock) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function useSetupToken(db: Conn, tokenHash: string, now: Date) {
  await db.updateTable('password_setup_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).execute()
}

export async function setPasswordHash(db: Conn, userId: string, hash: string) {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute()
}

export async function deleteUserSessions(db: Conn, userId: string) {
  await db.deleteFrom('user_sessions').where('user_id', '=', userId).execute()
}

// ---- brands (operator) ----

export function listBrands(
  db: Conn,
  f: { status?: 'awaiting_deposit' | 'live' | 'suspended'; q?: string; limit: number },
) {
  let q = db
    .selectFrom('brands as b')
    .select([
      'b.id',
      'b.slug',
      'b.name',
      'b.name_en',
      'b.status',
      'b.commission_bps',
      'b.deposit_paid_at',
      'b.status_reason',
      'b.created_at',
    ])
  if (f.status) q = q.where('b.status', '=', f.status)
  if (f.q) {
    const like = `%${esc(f.q)}%`
    q = q.where((eb) =>
      eb.or([eb('b.name', 'ilike', like), eb('b.name_en', 'ilike', like), eb('b.slug', 'ilike', like)]),
    )
  }
  return q.orderBy('b.created_at', 'desc').orderBy('b.slug').limit(f.limit).execute()
}

export async function countBrandsByStatus(db: Conn) {
  const rows = await db
    .selectFrom('brands')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<'awaiting_deposit' | 'live' | 'suspended', number>
  >
}

export function findBrand(db: Conn, id: string) {
  return db.selectFrom('brands').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockBrand(db: Conn, id: string) {
  return db.selectFrom('brands').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function listBrandStaff(db: Conn, brandId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'created_at'])
    .where('brand_id', '=', brandId)
    .orderBy('created_at')
    .execute()
}

export async function updateBrand(
  db: Conn,
  id: string,
  set: {
    commission_bps?: number
    status?: 'awaiting_deposit' | 'live' | 'suspended'
    status_reason?: string | null
    status_changed_at?: Date
    deposit_paid_at?: Date
    deposit_payment_id?: string
  },
) {
  await db.updateTable('brands').set(set).where('id', '=', id).execute()
}
