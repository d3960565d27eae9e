import type { Db } from '#db/client'
import * as q from '#db/queries/onboarding'
import { countAudit, listAudit } from '#db/queries/audit'
import { CommissionRangeError, percentToBps, reinstatedStatus, suspendedStatus } from '#app/domain/onboarding'
import { recordAudit } from './audit.server'

export async function brandList(db: Db, f: { status: 'awaiting_deposit' | 'live' | 'suspended' | 'all'; q?: string }) {
  const [rows, counts] = await Promise.all([
    q.listBrands(db, { status: f.status === 'all' ? undefined : f.status, q: f.q || undefined, limit: 500 }),
    q.countBrandsByStatus(db),
  ])
  return {
    counts: {
      awaiting_deposit: counts.awaiting_deposit ?? 0,
      live: counts.live ?? 0,
      suspended: counts.suspended ?? 0,
    },
    brands: rows.map((b) => ({
      id: b.id,
      slug: b.slug,
      name: b.name,
      nameEn: b.name_en,
      status: b.status,
      commissionBps: b.commission_bps,
      depositPaidAt: b.deposit_paid_at?.toISOString() ?? null,
      statusReason: b.status_reason,
      createdAt: b.created_at.toISOString(),
    })),
  }
}

export async function brandDetail(db: Db, id: string) {
  const b = await q.findBrand(db, id)
  if (!b) return null
  const [staff, history] = await Promise.all([
    q.listBrandStaff(db, id),
    listAudit(db, { targetType: 'brand', targetId: id, limit: 20, offset: 0 }),
  ])
  return {
    id: b.id,
    slug: b.slug,
    name: b.name,
    nameEn: b.name_en,
    status: b.status,
    commissionBps: b.commission_bps,
    statusReason: b.status_reason,
    statusChangedAt: b.status_changed_at?.toISOString() ?? null,
    depositPaidAt: b.deposit_paid_at?.toISOString() ?? null,
    depositAmountMinor: b.deposit_amount_minor,
    depositCurrency: b.deposit_currency,
    applicationId: b.application_id,
    createdAt: b.created_at.toISOString(),
    staff: staff.map((s) => ({ id: s.id, email: s.email, displayName: s.display_name })),
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      actorName: h.actor_name,
      details: h.details,
      createdAt: h.created_at.toISOString(),
    })),
  }
}

/** Sets a brand's commission (percent text → basis points, 0–50%); 422 outside the range, null for an unknown brand. */
export async function setCommission(db: Db, v: { brandId: string; operatorId: string; percent: string; now: Date }) {
  const bps = percentToBps(v.percent)
  if (bps === null) throw new CommissionRangeError('commission must be between 0% and 50%', { percent: v.percent })
  return db.transaction().execute(async (trx) => {
    const brand = await q.lockBrand(trx, v.brandId)
    if (!brand) return null
    if (brand.commission_bps === bps) return { commissionBps: bps, changed: false }
    await q.updateBrand(trx, brand.id, { commission_bps: bps })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'brand.commission_change',
      targetType: 'brand',
      targetId: brand.id,
      details: { fromBps: brand.commission_bps, toBps: bps },
    })
    return { commissionBps: bps, changed: true }
  })
}

export async function changeBrandStatus(
  db: Db,
  v: { brandId: string; operatorId: string; intent: 'suspend' | 'reinstate'; reason: string; now: Date },
) {
  return db.transaction().execute(async (trx) => {
    const brand = await q.lockBrand(trx, v.brandId)
    if (!brand) return null
    const to =
      v.intent === 'suspend' ? suspendedStatus(brand.status) : reinstatedStatus(brand.status, brand.deposit_paid_at)
    await q.updateBrand(trx, brand.id, { status: to, status_reason: v.reason, status_changed_at: v.now })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: `brand.${v.intent}`,
      targetType: 'brand',
      targetId: brand.id,
      details: { reason: v.reason, fromStatus: brand.status, toStatus: to },
    })
    return { status: to }
  })
}

/** Counts for the operator console's front page. */
export async function onboardingOverview(db: Db) {
  const [apps, brands, auditEntries] = await Promise.all([
    q.countApplicationsByStatus(db),
    q.countBrandsByStatus(db),
    countAudit(db),
  ])
  return {
    pendingApplications: apps.pending ?? 0,
    live: brands.live ?? 0,
    awaitingDeposit: brands.awaiting_deposit ?? 0,
    suspended: brands.suspended ?? 0,
    auditEntries,
  }
}
