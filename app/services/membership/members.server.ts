import type { Db } from '#db/client'
import { forgetAllPublicPages } from '../reseller/public-page-cache.server'
import {
  findCodeWithOwner,
  findUserByLogin,
  insertCampaignCode,
  insertMemberUser,
  insertMembership,
  insertVipTierChange,
  ledgerPage,
  listCampaignCodes,
  listInvitees,
  listRegistrationsByCode,
  listVipTierChanges,
  memberSummary,
  personalCodeOf,
  pointsBalance,
  pointsEarnedBetween,
  fixSessionVipTiers,
  selectVipTiers,
  takeCodeUse,
  updateVipTier,
} from '#db/queries/membership'
import { TooManyAttemptsError } from '#app/domain/errors'
import {
  codeRefusal,
  maskEmail,
  maskName,
  maskPhone,
  memberProgress,
  MEMBERSHIP_RULES,
  normaliseInviteCode,
  shanghaiMonthOf,
  shanghaiMonthRange,
  validateTierTable,
  type TierTableIssue,
} from '#app/domain/membership'
import { AccountExistsError, CodeTakenError, InvitationCodeError } from '#app/domain/membership-errors'
import type { VipTier } from '#app/domain/pricing'
import { levelChangeNotice, levelFromLabel, levelTable } from '#app/domain/level-benefits'
import { latestLevelChange } from '#db/queries/level-changes'
import { normaliseIdentifier, signInBlockedUntil } from '#app/domain/sign-in'
import { forgetThrottleAttempt, takeThrottleAttempt } from '#db/queries/users'
import { recordAudit } from '../onboarding/audit.server'
import { hashPassword, signIn } from '../auth.server'
import { awardInviteBonusIfFirstOrder, creditPurchasePoints, grantPoints } from './growth.server'
import { invalidateVipTiers, loadVipTiers } from './pricing.server'

// ---------------------------------------------------------------- registration

export interface RegisterInput {
  code: string
  identifier: string
  password: string
  displayName: string
  clientKey: string
  now: Date
}

/** Wrong codes count against the guesser (the client address), never against a code or its prefix. */
async function takeInviteAttempt(db: Db, clientKey: string, now: Date) {
  const attempt = await takeThrottleAttempt(
    db,
    [{ key: `invite-client:${clientKey}`, ...MEMBERSHIP_RULES.inviteThrottle.client }],
    now,
  )
  const [blocked] = attempt.blocked
  if (blocked) {
    const until = signInBlockedUntil(blocked.failures, now, blocked) ?? new Date(now.getTime() + blocked.windowMs)
    throw new TooManyAttemptsError('too many invitation code attempts', { retryAt: until.toISOString() })
  }
  return attempt.ids
}

/**
 * Registration by invitation: a VIP member's personal code (while they are VIP1+) or an operator campaign
 * code (optional max uses and expiry). Wrong codes are counted per client address, so guessing is
 * throttled without letting anyone lock a code out. The new member starts as Trial, records who invited them, the
 * code's use is counted atomically, and they are signed in (the auth service's session).
 */
export async function registerMember(db: Db, input: RegisterInput) {
  const code = normaliseInviteCode(input.code)
  const attemptIds = await takeInviteAttempt(db, input.clientKey, input.now)
  const found = await findCodeWithOwner(db, code)
  const refusal = codeRefusal(
    found
      ? {
          kind: found.kind,
          maxUses: found.max_uses,
          uses: found.uses,
          expiresAt: found.expires_at,
          ownerLevel: found.owner_level,
        }
      : null,
    input.now,
  )
  if (refusal) throw new InvitationCodeError(refusal)
  await forgetThrottleAttempt(db, attemptIds)
  const login = normaliseIdentifier(input.identifier)
  if (await findUserByLogin(db, login.kind, login.value))
    throw new AccountExistsError('an account with this email or phone exists', { field: 'identifier' })
  const passwordHash = await hashPassword(input.password)
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await takeCodeUse(trx, found!.id, input.now))) {
        // Someone took the last use (or it expired) between the check and now.
        const again = await findCodeWithOwner(trx, code)
        throw new InvitationCodeError(
          codeRefusal(
            again
              ? {
                  kind: again.kind,
                  maxUses: again.max_uses,
                  uses: again.uses,
                  expiresAt: again.expires_at,
                  ownerLevel: again.owner_level,
                }
              : null,
            input.now,
          ) ?? 'exhausted',
        )
      }
      const user = await insertMemberUser(trx, {
        login,
        passwordHash,
        displayName: input.displayName.trim(),
        now: input.now,
      })
      await insertMembership(trx, {
        memberId: user.id,
        invitedBy: found!.kind === 'personal' ? found!.owner_id : null,
        codeId: found!.id,
        now: input.now,
      })
    })
  } catch (error) {
    if (typeof error === 'object' && error && 'code' in error && (error as { code: unknown }).code === '23505') {
      throw new AccountExistsError('an account with this email or phone exists', { field: 'identifier' })
    }
    throw error
  }
  return signIn(db, {
    identifier: input.identifier,
    password: input.password,
    clientKey: input.clientKey,
    now: input.now,
  })
}

// ---------------------------------------------------------------- the member centre

export async function memberCentre(db: Db, memberId: string, input: { now: Date; page: number }) {
  const member = await memberSummary(db, memberId)
  if (!member || member.role !== 'member') return null
  const { start, end } = shanghaiMonthRange(shanghaiMonthOf(input.now))
  const [balance, earned, tiers, ledger, code, invitees, change] = await Promise.all([
    pointsBalance(db, memberId),
    pointsEarnedBetween(db, memberId, start, end),
    loadVipTiers(db),
    ledgerPage(db, memberId, input.page, MEMBERSHIP_RULES.ledgerPageSize),
    personalCodeOf(db, memberId),
    listInvitees(db, memberId),
    latestLevelChange(db, memberId),
  ])
  const changed = change && (change.data as { from?: unknown; to?: unknown } | null)
  const from = levelFromLabel(changed?.from)
  const to = levelFromLabel(changed?.to)
  const levelChange = levelChangeNotice(
    change && from !== null && to !== null
      ? { from, to, cause: change.dedupe_key.startsWith('retention:') ? 'retention' : 'points', at: change.created_at }
      : null,
    { level: member.vip_level, balance, tiers, now: input.now },
  )
  const progress = memberProgress({
    balance,
    level: member.vip_level,
    earnedThisMonth: earned,
    levelSince: member.level_since,
    now: input.now,
    tiers,
  })
  return {
    vipLevel: member.vip_level,
    balance,
    levels: levelTable(tiers, member.vip_level),
    levelChange,
    toNext: progress.toNext,
    keep: progress.keep && { ...progress.keep, deadline: progress.keep.deadline.toISOString() },
    levelSince: member.level_since.toISOString(),
    vip1Threshold: tiers.find((t) => t.level === 1)?.thresholdPoints ?? 0,
    // A personal code works only while its owner is VIP1+; it is kept (the same code comes back) if they drop.
    inviteCode: code && member.vip_level >= 1 ? { code: code.code, uses: code.uses } : null,
    ledger: {
      page: input.page,
      pages: Math.max(1, Math.ceil(ledger.total / MEMBERSHIP_RULES.ledgerPageSize)),
      total: ledger.total,
      rows: ledger.rows.map((r) => ({
        id: r.id,
        delta: r.delta,
        reason: r.reason,
        balanceAfter: r.balance_after,
        retentionMonth: r.retention_month,
        note: r.note,
        at: r.created_at.toISOString(),
      })),
    },
    invitees: invitees.map((i) => ({
      name: maskName(i.display_name),
      contact: i.phone ? maskPhone(i.phone) : i.email ? maskEmail(i.email) : '',
      joinedAt: i.created_at.toISOString(),
      bonus: i.bonus ?? 0,
    })),
  }
}

// ---------------------------------------------------------------- operator: the VIP table

export async function vipAdminPage(db: Db) {
  const [tiers, changes] = await Promise.all([selectVipTiers(db), listVipTierChanges(db)])
  return {
    tiers,
    changes: changes.map((c) => ({
      id: c.id,
      note: c.note,
      at: c.created_at.toISOString(),
      operator: c.operator_name,
    })),
  }
}

export type UpdateTiersResult = { ok: true } | { ok: false; issues: TierTableIssue[] }

/** Validates the whole table, then replaces it in one transaction with a note of who changed what. */
export async function updateVipTiers(
  db: Db,
  input: { operatorId: string; tiers: VipTier[]; note: string; now: Date },
): Promise<UpdateTiersResult> {
  const issues = validateTierTable(input.tiers)
  if (issues.length) return { ok: false, issues }
  await db.transaction().execute(async (trx) => {
    const before = await selectVipTiers(trx, { forUpdate: true })
    // Sessions that are live (or over) keep the discounts they went live with.
    await fixSessionVipTiers(trx, input.now)
    for (const t of input.tiers) await updateVipTier(trx, t, input.now)
    await insertVipTierChange(trx, {
      operatorId: input.operatorId,
      before,
      after: input.tiers,
      note: input.note,
      now: input.now,
    })
    await recordAudit(trx, {
      actorId: input.operatorId,
      action: 'vip_tiers.update',
      targetType: 'vip_tiers',
      targetId: 'table',
      details: { note: input.note, before, after: input.tiers },
    })
  })
  invalidateVipTiers()
  // Resellers' own prices follow the table, and with them which of their offers may still be bought.
  forgetAllPublicPages()
  return { ok: true }
}

// ---------------------------------------------------------------- operator: campaign codes

export async function createCampaignCode(
  db: Db,
  input: { operatorId: string; code: string; maxUses: number | null; expiresAt: Date | null; note: string; now: Date },
) {
  const code = normaliseInviteCode(input.code)
  return db.transaction().execute(async (trx) => {
    const row = await insertCampaignCode(trx, {
      code,
      maxUses: input.maxUses,
      expiresAt: input.expiresAt,
      note: input.note,
      createdBy: input.operatorId,
      now: input.now,
    })
    if (!row) throw new CodeTakenError('this code exists already', { field: 'code' })
    await recordAudit(trx, {
      actorId: input.operatorId,
      action: 'invitation_code.create',
      targetType: 'invitation_code',
      targetId: row.id,
      details: { code, maxUses: input.maxUses, expiresAt: input.expiresAt?.toISOString() ?? null, note: input.note },
    })
    return row
  })
}

export async function campaignCodesPage(db: Db, now: Date) {
  const codes = await listCampaignCodes(db)
  const regs = await listRegistrationsByCode(
    db,
    codes.map((c) => c.id),
  )
  return codes.map((c) => ({
    id: c.id,
    code: c.code,
    maxUses: c.max_uses,
    uses: c.uses,
    note: c.note,
    expiresAt: c.expires_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
    state:
      codeRefusal(
        { kind: 'campaign', maxUses: c.max_uses, uses: c.uses, expiresAt: c.expires_at, ownerLevel: null },
        now,
      ) ?? 'active',
    registrations: regs
      .filter((r) => r.invitation_code_id === c.id)
      .map((r) => ({
        id: r.id,
        name: r.display_name,
        login: r.email ?? r.phone ?? '',
        at: r.created_at.toISOString(),
      })),
  }))
}

// ---------------------------------------------------------------- browser tests (NODE_ENV=test only)

/**
 * A purchase credit (and the invite bonus an order would trigger), or an operator grant, through the ledger
 * functions.
 */
export async function testGrantPoints(
  db: Db,
  input: {
    login: string
    kind: 'purchase' | 'grant'
    paidGoodsMinor?: number
    points?: number
    orderId: string
    now: Date
  },
) {
  const login = normaliseIdentifier(input.login)
  const user = await findUserByLogin(db, login.kind, login.value)
  if (!user) return null
  return db.transaction().execute(async (trx) => {
    if (input.kind === 'grant')
      return {
        ledger: await grantPoints(trx, {
          memberId: user.id,
          delta: input.points ?? 0,
          note: 'test grant',
          now: input.now,
        }),
        invite: null,
      }
    const ledger = await creditPurchasePoints(trx, {
      memberId: user.id,
      orderId: input.orderId,
      paidGoodsMinor: input.paidGoodsMinor ?? 0,
      now: input.now,
    })
    const invite = await awardInviteBonusIfFirstOrder(trx, {
      memberId: user.id,
      orderId: input.orderId,
      now: input.now,
    })
    return { ledger, invite }
  })
}
