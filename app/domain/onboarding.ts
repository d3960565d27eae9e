// Brand onboarding rules: pure functions, no I/O. Numbers come from PLATFORM_RULES.onboarding.
import { DomainError } from './errors'
import {
  CATEGORIES,
  PLATFORM_RULES,
  REFUSED_CATEGORIES,
  type ApplicationCategory,
  type Category,
  type RefusedCategory,
} from './platform-rules'

export interface OnboardingRules {
  minAnnualSalesMinor: number
  minOfflineStores: number
}

export interface ApplicationFacts {
  annualSalesMinor: number
  offlineStores: number
  categories: readonly ApplicationCategory[]
}

export type ApplicationRefusal =
  | { code: 'refused_categories'; categories: RefusedCategory[] }
  | { code: 'annual_sales_below_threshold'; minimumMinor: number; actualMinor: number }
  | { code: 'offline_stores_below_threshold'; minimum: number; actual: number }

export class ApplicationRefusedError extends DomainError {
  readonly code = 'application_refused'
  constructor(readonly refusals: ApplicationRefusal[]) {
    super('the application does not meet the onboarding rules', { refusals })
  }
}

export class ApplicationNotPendingError extends DomainError {
  readonly code = 'application_not_pending'
  override readonly status = 409
}

export class StaffEmailTakenError extends DomainError {
  readonly code = 'staff_email_taken'
  override readonly status = 409
}

export class BrandStatusError extends DomainError {
  readonly code = 'brand_status'
  override readonly status = 409
}

/** The brand owes no deposit now (already paid, or not yet approved). */
export class DepositNotDueError extends BrandStatusError {}

/** Every reason an application is refused (empty when it meets the rules), refused categories first. */
export function applicationRefusals(
  facts: ApplicationFacts,
  rules: OnboardingRules = PLATFORM_RULES.onboarding,
): ApplicationRefusal[] {
  const out: ApplicationRefusal[] = []
  const refused = REFUSED_CATEGORIES.filter((c) => facts.categories.includes(c))
  if (refused.length) out.push({ code: 'refused_categories', categories: refused })
  if (facts.annualSalesMinor < rules.minAnnualSalesMinor) {
    out.push({
      code: 'annual_sales_below_threshold',
      minimumMinor: rules.minAnnualSalesMinor,
      actualMinor: facts.annualSalesMinor,
    })
  }
  if (facts.offlineStores < rules.minOfflineStores) {
    out.push({ code: 'offline_stores_below_threshold', minimum: rules.minOfflineStores, actual: facts.offlineStores })
  }
  return out
}

/** Throws ApplicationRefusedError (422) unless the application meets every rule; returns the accepted categories. */
export function assertApplicationAcceptable(
  facts: ApplicationFacts,
  rules: OnboardingRules = PLATFORM_RULES.onboarding,
): Category[] {
  const refusals = applicationRefusals(facts, rules)
  if (refusals.length) throw new ApplicationRefusedError(refusals)
  return CATEGORIES.filter((c) => facts.categories.includes(c))
}

/**
 * A commission rate typed as a percent ("10", "12.5", "0.25") in basis points, or null when it is not 0–max with ≤
 * 2 decimals.
 */
export function percentToBps(
  input: string,
  maxBps: number = PLATFORM_RULES.onboarding.maxCommissionBps,
): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(input)
  if (!m) return null
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return bps >= 0 && bps <= maxBps ? bps : null
}

export function bpsToPercent(bps: number): string {
  const whole = Math.floor(bps / 100)
  const frac = bps % 100
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`
}

export type BrandStatus = 'awaiting_deposit' | 'live' | 'suspended'

/** Suspending is possible from any status but suspended. */
export function suspendedStatus(current: BrandStatus): 'suspended' {
  if (current === 'suspended') throw new BrandStatusError('the brand is already suspended')
  return 'suspended'
}

/** Reinstating returns a suspended brand to live if its deposit is paid, else to awaiting its deposit. */
export function reinstatedStatus(current: BrandStatus, depositPaidAt: Date | null): 'live' | 'awaiting_deposit' {
  if (current !== 'suspended') throw new BrandStatusError('only a suspended brand can be reinstated')
  return depositPaidAt ? 'live' : 'awaiting_deposit'
}

/**
 * What a successful deposit payment does to a brand: awaiting_deposit becomes live; a suspended brand
 * records the payment but stays suspended; a brand that already has its deposit is left alone (idempotent).
 */
export function afterDepositPaid(brand: { status: BrandStatus; depositPaidAt: Date | null }): {
  status: BrandStatus
  recordPayment: boolean
} {
  if (brand.depositPaidAt) return { status: brand.status, recordPayment: false }
  return { status: brand.status === 'awaiting_deposit' ? 'live' : brand.status, recordPayment: true }
}

/** Whether a set-password link can still be used at `now`. */
export function setupLinkUsable(token: { expiresAt: Date; usedAt: Date | null }, now: Date): boolean {
  return token.usedAt === null && now.getTime() < token.expiresAt.getTime()
}

/** A URL-safe brand slug from the company name's Latin part, or a fallback from the id. */
export function brandSlugFor(companyName: string, fallbackId: string): string {
  const latin = companyName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return latin.length >= 2 ? latin : `brand-${fallbackId.replace(/-/g, '').slice(0, 8)}`
}

export class CommissionRangeError extends DomainError {
  readonly code = 'commission_range'
}
