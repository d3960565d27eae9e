import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '#db/client'
import * as q from '#db/queries/onboarding'
import {
  ApplicationNotPendingError,
  StaffEmailTakenError,
  assertApplicationAcceptable,
  brandSlugFor,
  setupLinkUsable,
} from '#app/domain/onboarding'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import type { ApplicationInput } from '#app/schemas/onboarding'
import { hashPassword } from '../auth.server'
import { recordAudit } from './audit.server'
import { inTransaction, notifyMany, operators } from '../notifications/notify.server'

/** Secrets in links are random; only their SHA-256 is stored, so a database leak does not leak the links. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: tokenHash(token) }
}
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** Refuses (422, every reason listed) or stores a pending application and returns its private status link token. */
export async function submitApplication(db: Db, input: ApplicationInput, now: Date) {
  const annualSalesMinor = input.annualSalesYuan * 100
  const categories = assertApplicationAcceptable({
    annualSalesMinor,
    offlineStores: input.offlineStores,
    categories: input.categories,
  })
  const { token, hash } = newLinkToken()
  const row = await inTransaction(db, async (trx) => {
    const r = await q.insertApplication(trx, {
      companyName: input.companyName,
      brandName: input.brandName,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      contactEmail: input.contactEmail,
      annualSalesMinor,
      offlineStores: input.offlineStores,
      categories,
      statusTokenHash: hash,
      now,
    })
    await notifyMany(trx, {
      event: 'application_waiting',
      recipients: operators(),
      dedupeKey: r.id,
      link: `/admin/applications/${r.id}`,
      now,
      data: { company: input.companyName },
    })
    return r
  })
  return { applicationId: row.id, statusToken: token, statusPath: `/apply/status/${token}` }
}

/** What the applicant's status link shows, or null for an unknown token. */
export async function applicationStatus(db: Db, token: string) {
  if (!TOKEN_SHAPE.test(token)) return null
  const a = await q.findApplicationByTokenHash(db, tokenHash(token))
  if (!a) return null
  return {
    companyName: a.company_name,
    brandName: a.brand_name ?? a.company_name,
    status: a.status,
    rejectReason: a.status === 'rejected' ? a.reject_reason : null,
    submittedAt: a.created_at.toISOString(),
    reviewedAt: a.reviewed_at?.toISOString() ?? null,
    brandStatus: a.brand_status ?? null,
    depositPaid: !!a.deposit_paid_at,
    staffLogin: a.status === 'approved' ? a.contact_email : null,
  }
}

export async function applicationList(db: Db, f: { status: 'pending' | 'approved' | 'rejected' | 'all'; q?: string }) {
  const [rows, counts] = await Promise.all([
    q.listApplications(db, { status: f.status === 'all' ? undefined : f.status, q: f.q || undefined, limit: 200 }),
    q.countApplicationsByStatus(db),
  ])
  return {
    counts: { pending: counts.pending ?? 0, approved: counts.approved ?? 0, rejected: counts.rejected ?? 0 },
    applications: rows.map((a) => ({
      id: a.id,
      companyName: a.company_name,
      brandName: a.brand_name,
      contactName: a.contact_name,
      annualSalesMinor: a.annual_sales_minor,
      currency: a.currency,
      offlineStores: a.offline_stores,
      categories: a.categories,
      status: a.status,
      createdAt: a.created_at.toISOString(),
      reviewedAt: a.reviewed_at?.toISOString() ?? null,
    })),
  }
}

export async function applicationDetail(db: Db, id: string) {
  const a = await q.findApplication(db, id)
  if (!a) return null
  return {
    id: a.id,
    companyName: a.company_name,
    brandName: a.brand_name,
    contactName: a.contact_name,
    contactPhone: a.contact_phone,
    contactEmail: a.contact_email,
    annualSalesMinor: a.annual_sales_minor,
    currency: a.currency,
    offlineStores: a.offline_stores,
    categories: a.categories,
    status: a.status,
    rejectReason: a.reject_reason,
    reviewerName: a.reviewer_name,
    reviewedAt: a.reviewed_at?.toISOString() ?? null,
    createdAt: a.created_at.toISOString(),
    brand: a.brand_id
      ? { id: a.brand_id, slug: a.brand_slug, status: a.brand_status, name: a.brand_display_name }
      : null,
  }
}

// New staff accounts start with the argon2id hash of a random secret that is thrown away, so no
// password matches until the set-password link is used. One per process: argon2 is slow on purpose.
let unusable: Promise<string> | undefined
function unusablePasswordHash(): Promise<string> {
  unusable ??= hashPassword(randomBytes(32).toString('base64url'))
  return unusable
}

/**
 * Approves a pending application in one transaction: the brand (awaiting its deposit), a brand staff
 * account for the contact e-mail with no usable password, a one-time set-password link (returned once,
 * stored only as a hash), the review, and the audit row.
 */
export async function approveApplication(db: Db, v: { applicationId: string; operatorId: string; now: Date }) {
  const rules = PLATFORM_RULES.onboarding
  const unusableHash = await unusablePasswordHash()
  return inTransaction(db, async (trx) => {
    const app = await q.lockApplication(trx, v.applicationId)
    if (!app) return null
    if (app.status !== 'pending')
      throw new ApplicationNotPendingError('the application has already been reviewed', { status: app.status })
    const email = app.contact_email.toLowerCase()
    if (await q.emailTaken(trx, email))
      throw new StaffEmailTakenError('an account with the contact e-mail already exists', { email })
    const name = app.brand_name ?? app.company_name
    let slug = brandSlugFor(name, app.id)
    if (await q.slugTaken(trx, slug)) slug = `${slug.slice(0, 40)}-${app.id.slice(0, 6)}`
    const brand = await q.insertBrand(trx, {
      applicationId: app.id,
      slug,
      name,
      depositMinor: rules.depositMinor,
      depositCurrency: rules.depositCurrency,
      now: v.now,
    })
    const staff = await q.insertStaffUser(trx, {
      email,
      brandId: brand.id,
      displayName: `${name} · ${app.contact_name}`,
      passwordHash: unusableHash,
    })
    const link = newLinkToken()
    const expiresAt = new Date(v.now.getTime() + rules.staffSetupLinkTtlMs)
    await q.insertSetupToken(trx, { tokenHash: link.hash, userId: staff.id, expiresAt })
    await q.markApplicationReviewed(trx, app.id, {
      status: 'approved',
      reviewerId: v.operatorId,
      now: v.now,
      brandId: brand.id,
    })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'application.approve',
      targetType: 'brand_application',
      targetId: app.id,
      details: {
        brandId: brand.id,
        brandSlug: brand.slug,
        staffUserId: staff.id,
        staffEmail: email,
        setupLinkExpiresAt: expiresAt.toISOString(),
      },
    })
    return {
      brandId: brand.id,
      brandSlug: brand.slug,
      staffUserId: staff.id,
      staffLogin: email,
      setupPath: `/set-password/${link.token}`,
      setupExpiresAt: expiresAt.toISOString(),
    }
  })
}

export async function rejectApplication(
  db: Db,
  v: { applicationId: string; operatorId: string; reason: string; now: Date },
) {
  return inTransaction(db, async (trx) => {
    const app = await q.lockApplication(trx, v.applicationId)
    if (!app) return null
    if (app.status !== 'pending')
      throw new ApplicationNotPendingError('the application has already been reviewed', { status: app.status })
    await q.markApplicationReviewed(trx, app.id, {
      status: 'rejected',
      reviewerId: v.operatorId,
      now: v.now,
      rejectReason: v.reason,
    })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'application.reject',
      targetType: 'brand_application',
      targetId: app.id,
      details: { reason: v.reason, companyName: app.company_name },
    })
    return { applicationId: app.id }
  })
}

/** Issues a fresh set-password link for a brand's staff account (older unused links stop working). */
export async function reissueStaffLink(db: Db, v: { brandId: string; userId: string; operatorId: string; now: Date }) {
  return inTransaction(db, async (trx) => {
    const staff = (await q.listBrandStaff(trx, v.brandId)).find((s) => s.id === v.userId)
    if (!staff) return null
    await q.revokeSetupTokens(trx, staff.id, v.now)
    const link = newLinkToken()
    const expiresAt = new Date(v.now.getTime() + PLATFORM_RULES.onboarding.staffSetupLinkTtlMs)
    await q.insertSetupToken(trx, { tokenHash: link.hash, userId: staff.id, expiresAt })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'user.setup_link_issue',
      targetType: 'user',
      targetId: staff.id,
      details: { brandId: v.brandId, email: staff.email, expiresAt: expiresAt.toISOString() },
    })
    return {
      staffLogin: staff.email,
      setupPath: `/set-password/${link.token}`,
      setupExpiresAt: expiresAt.toISOString(),
    }
  })
}

/** Who a set-password link is for, or null when it is unknown, used or expired. */
export async function setupLinkInfo(db: Db, token: string, now: Date) {
  if (!TOKEN_SHAPE.test(token)) return null
  const t = await q.findSetupToken(db, tokenHash(token))
  if (!t || !setupLinkUsable({ expiresAt: t.expires_at, usedAt: t.used_at }, now)) return null
  return { login: t.email, displayName: t.display_name }
}

/** Sets the password once; the link is spent and any open sessions of the account end. */
export async function setPasswordWithLink(db: Db, v: { token: string; password: string; now: Date }) {
  if (!TOKEN_SHAPE.test(v.token)) return null
  const hash = await hashPassword(v.password)
  return inTransaction(db, async (trx) => {
    const t = await q.findSetupToken(trx, tokenHash(v.token), { lock: true })
    if (!t || !setupLinkUsable({ expiresAt: t.expires_at, usedAt: t.used_at }, v.now)) return null
    await q.setPasswordHash(trx, t.user_id, hash)
    await q.useSetupToken(trx, t.token_hash, v.now)
    await q.deleteUserSessions(trx, t.user_id)
    return { login: t.email }
  })
}
