import type { VipTier } from './pricing'

// The membership numbers that are ours (defaults), in one place. The VIP table itself is
// operator-editable and lives in the database (vip_tiers), starting from DEFAULT_VIP_TIERS.
export const MEMBERSHIP_RULES = {
  /** 1 growth point per ¥10 (1000 fen) of paid goods, rounded down. */
  minorPerPoint: 1000,
  inviteBonusPoints: 10,
  inviteBonusMonthlyCap: 20,
  /** Asia/Shanghai has had no daylight saving since 1991: calendar months are fixed UTC+8 windows. */
  monthZoneOffsetMs: 8 * 60 * 60 * 1000,
  /** Guessing invitation codes: failures per client address and per code prefix in a window. */
  inviteThrottle: {
    client: { maxFailures: 10, windowMs: 15 * 60 * 1000 },
  },
  personalCodeLength: 8,
  maxDiscountBps: 5000,
  ledgerPageSize: 20,
} as const

// ---------------------------------------------------------------- levels and points

/** The tiers sorted by level (the database order is not trusted). */
export function sortedTiers(tiers: readonly VipTier[]): VipTier[] {
  return [...tiers].sort((a, b) => a.level - b.level)
}

/** The highest level whose threshold the balance reaches (Trial when none). */
export function levelForPoints(balance: number, tiers: readonly VipTier[]): number {
  let level = 0
  for (const t of sortedTiers(tiers)) if (balance >= t.thresholdPoints) level = Math.max(level, t.level)
  return level
}

export function tierOf(level: number, tiers: readonly VipTier[]): VipTier | undefined {
  return tiers.find((t) => t.level === level)
}

/** Points for paid goods: 1 per ¥10, rounded down; never negative. */
export function pointsForPaidGoods(paidGoodsMinor: number): number {
  if (!Number.isSafeInteger(paidGoodsMinor) || paidGoodsMinor < 0)
    throw new RangeError(`paid goods must be a non-negative integer, got ${paidGoodsMinor}`)
  return Math.floor(paidGoodsMinor / MEMBERSHIP_RULES.minorPerPoint)
}

/**
 * A refund takes back exactly the points no longer backed by paid goods: overall the member keeps
 * floor((paid − refunded total) / 1000). The refunded total is capped at what was paid, so a refund
 * never takes back more than the order credited.
 */
export function revocationFor(input: {
  paidGoodsMinor: number
  pointsCredited: number
  refundedBeforeMinor: number
  revokedBefore: number
  refundMinor: number
}) {
  if (!Number.isSafeInteger(input.refundMinor) || input.refundMinor < 0)
    throw new RangeError(`refund must be a non-negative integer, got ${input.refundMinor}`)
  const refundedTotalMinor = Math.min(input.paidGoodsMinor, input.refundedBeforeMinor + input.refundMinor)
  const stillBacked = pointsForPaidGoods(input.paidGoodsMinor - refundedTotalMinor)
  const shouldHaveRevoked = Math.max(0, input.pointsCredited - stillBacked)
  const revoke = Math.max(0, shouldHaveRevoked - input.revokedBefore)
  return { refundedTotalMinor, revoke }
}

// ---------------------------------------------------------------- Shanghai calendar months

export type MonthKey = `${number}-${string}`

/** The Asia/Shanghai calendar month an instant falls in, as 'YYYY-MM'. */
export function shanghaiMonthOf(instant: Date): string {
  const local = new Date(instant.getTime() + MEMBERSHIP_RULES.monthZoneOffsetMs)
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`
}

function parseMonth(month: string): { y: number; m: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month)
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`not a month: ${month}`)
  return { y: Number(match[1]), m: Number(match[2]) }
}

/** [start, end) of a Shanghai calendar month, as UTC instants. */
export function shanghaiMonthRange(month: string): { start: Date; end: Date } {
  const { y, m } = parseMonth(month)
  const off = MEMBERSHIP_RULES.monthZoneOffsetMs
  return { start: new Date(Date.UTC(y, m - 1, 1) - off), end: new Date(Date.UTC(y, m, 1) - off) }
}

export function addMonths(month: string, n: number): string {
  const { y, m } = parseMonth(month)
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** '2026-11' → '2026-11-01' (the retention tables' month key). */
export function monthDate(month: string): string {
  parseMonth(month)
  return `${month}-01`
}

/**
 * The months the retention job should judge at `now`: every month after the last finished one up to
 * the month that just ended (oldest first). With no run ever finished, only the month that just ended:
 * months before the feature existed are never judged.
 */
export function monthsToJudge(lastFinished: string | null, now: Date): string[] {
  const previous = addMonths(shanghaiMonthOf(now), -1)
  if (!lastFinished) return [previous]
  const months: string[] = []
  for (let m = addMonths(lastFinished, 1); m <= previous; m = addMonths(m, 1)) months.push(m)
  return months
}

// ---------------------------------------------------------------- retention (保级)

export interface RetentionInput {
  level: number
  /** When the member reached their current level. */
  levelSince: Date
  /** Net points earned in the month (every reason except retention resets). */
  earned: number
  month: string
  tiers: readonly VipTier[]
}

export type RetentionVerdict =
  { action: 'skip'; why: 'trial' | 'new_level' | 'kept' } | { action: 'drop'; toLevel: number; resetTo: number }

/**
 * At the end of a Shanghai month: a member whose points earned that month are below their level's keep
 * requirement drops to the highest lower level whose keep requirement was met (Trial has none, so it
 * is always met), and their points are set to that level's threshold. Trial members and members who
 * reached their current level during (or after the start of) the month are not judged for it.
 */
export function judgeRetention(input: RetentionInput): RetentionVerdict {
  if (input.level <= 0) return { action: 'skip', why: 'trial' }
  const { start } = shanghaiMonthRange(input.month)
  if (input.levelSince.getTime() > start.getTime()) return { action: 'skip', why: 'new_level' }
  const tiers = sortedTiers(input.tiers)
  const keepOf = (level: number) => tierOf(level, tiers)?.keepPointsPerMonth ?? 0
  if (input.earned >= keepOf(input.level)) return { action: 'skip', why: 'kept' }
  let toLevel = 0
  for (const t of tiers) {
    if (t.level >= input.level || t.level === 0) continue
    if (input.earned >= (t.keepPointsPerMonth ?? 0)) toLevel = Math.max(toLevel, t.level)
  }
  return { action: 'drop', toLevel, resetTo: tierOf(toLevel, tiers)?.thresholdPoints ?? 0 }
}

// ---------------------------------------------------------------- the member centre's progress

export function memberProgress(input: {
  balance: number
  level: number
  earnedThisMonth: number
  levelSince: Date
  now: Date
  tiers: readonly VipTier[]
}) {
  const tiers = sortedTiers(input.tiers)
  const current = tierOf(input.level, tiers)
  const next = tiers.find((t) => t.level === input.level + 1) ?? null
  const from = current?.thresholdPoints ?? 0
  const toNext = next
    ? {
        level: next.level,
        threshold: next.thresholdPoints,
        pointsNeeded: Math.max(0, next.thresholdPoints - input.balance),
        percent: Math.max(
          0,
          Math.min(100, Math.floor(((input.balance - from) * 100) / Math.max(1, next.thresholdPoints - from))),
        ),
      }
    : null
  const month = shanghaiMonthOf(input.now)
  const { start, end } = shanghaiMonthRange(month)
  const keepPoints = input.level > 0 ? (current?.keepPointsPerMonth ?? 0) : null
  const keep =
    keepPoints === null
      ? null
      : {
          keepPoints,
          earned: input.earnedThisMonth,
          pointsNeeded: Math.max(0, keepPoints - input.earnedThisMonth),
          percent:
            keepPoints === 0 ? 100 : Math.max(0, Math.min(100, Math.floor((input.earnedThisMonth * 100) / keepPoints))),
          deadline: end,
          // A level reached this month is first judged at the end of next month.
          exemptThisMonth: input.levelSince.getTime() > start.getTime(),
        }
  return { toNext, keep, month }
}

// ---------------------------------------------------------------- the VIP table's validation

export interface TierTableIssue {
  level: number
  field: 'thresholdPoints' | 'discountBps' | 'keepPointsPerMonth'
  code:
    | 'trial_threshold'
    | 'trial_discount'
    | 'threshold_rising'
    | 'discount_rising'
    | 'discount_range'
    | 'keep_range'
    | 'keep_rising'
    | 'integer'
}

/**
 * Levels 0–5 exactly once; Trial threshold 0 and discount 0 (base is the Trial price); thresholds and
 * discounts strictly rising with level; discounts 0–50%; keep requirements whole, ≥ 0 and never
 * falling with level.
 */
export function validateTierTable(tiers: readonly VipTier[]): TierTableIssue[] {
  const issues: TierTableIssue[] = []
  const rows = sortedTiers(tiers)
  if (rows.length !== 6 || rows.some((t, i) => t.level !== i))
    throw new RangeError('the VIP table has exactly the levels 0–5')
  for (const [i, t] of rows.entries()) {
    for (const field of ['thresholdPoints', 'discountBps'] as const)
      if (!Number.isSafeInteger(t[field])) issues.push({ level: t.level, field, code: 'integer' })
    if (t.level === 0) {
      if (t.thresholdPoints !== 0) issues.push({ level: 0, field: 'thresholdPoints', code: 'trial_threshold' })
      if (t.discountBps !== 0) issues.push({ level: 0, field: 'discountBps', code: 'trial_discount' })
      continue
    }
    const prev = rows[i - 1]
    if (t.discountBps < 0 || t.discountBps > MEMBERSHIP_RULES.maxDiscountBps)
      issues.push({ level: t.level, field: 'discountBps', code: 'discount_range' })
    else if (t.discountBps <= prev.discountBps)
      issues.push({ level: t.level, field: 'discountBps', code: 'discount_rising' })
    if (t.thresholdPoints <= prev.thresholdPoints)
      issues.push({ level: t.level, field: 'thresholdPoints', code: 'threshold_rising' })
    const keep = t.keepPointsPerMonth
    if (keep === null || !Number.isSafeInteger(keep) || keep < 0)
      issues.push({ level: t.level, field: 'keepPointsPerMonth', code: 'keep_range' })
    else if (prev.level > 0 && keep < (prev.keepPointsPerMonth ?? 0))
      issues.push({ level: t.level, field: 'keepPointsPerMonth', code: 'keep_rising' })
  }
  return issues
}

// ---------------------------------------------------------------- invitation codes and masking

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' // no 0/O, 1/I

/** Codes compare case-insensitively and ignore spaces and dashes people type. */
export function normaliseInviteCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase()
}

/** A personal code from random bytes (the caller supplies them, so this stays pure). */
export function personalCodeFrom(bytes: Uint8Array): string {
  let code = ''
  for (let i = 0; i < MEMBERSHIP_RULES.personalCodeLength; i++) code += CODE_ALPHABET[bytes[i] % CODE_ALPHABET.length]
  return code
}

export type CodeRefusal = 'unknown' | 'expired' | 'exhausted' | 'inactive'

/** Why a code cannot be used now, or null when it can. */
export function codeRefusal(
  code: {
    kind: 'personal' | 'campaign'
    maxUses: number | null
    uses: number
    expiresAt: Date | null
    ownerLevel: number | null
  } | null,
  now: Date,
): CodeRefusal | null {
  if (!code) return 'unknown'
  if (code.kind === 'personal' && (code.ownerLevel ?? 0) < 1) return 'inactive'
  if (code.expiresAt && code.expiresAt.getTime() <= now.getTime()) return 'expired'
  if (code.maxUses !== null && code.uses >= code.maxUses) return 'exhausted'
  return null
}

/** 杭州Lily → 杭*ly: first character, a star, and the last two (fewer for short names). */
export function maskName(name: string): string {
  const chars = [...name.trim()]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  if (chars.length === 3) return `${chars[0]}*${chars[2]}`
  return `${chars[0]}*${chars.slice(-2).join('')}`
}

/** 13800000001 → 138****0001. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '')
  if (digits.length < 8) return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

/** lily@example.com → l***@example.com. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@')
  if (!domain) return maskName(email)
  return `${local.slice(0, 1)}***@${domain}`
}
