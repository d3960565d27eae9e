import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import type { GrowthReason } from '#db/schema/membership'
import {
  countInviteBonuses,
  findInviteBonusFor,
  findOrderCredit,
  findRefund,
  firstCreditedOrder,
  insertLedgerRow,
  insertOrderCredit,
  insertPersonalCode,
  lockMember,
  pointsBalance,
  recordRefund,
  selectVipTiers,
  setMemberLevel,
} from '#db/queries/membership'
import { LedgerConflictError, NotAMemberError } from '#app/domain/membership-errors'
import {
  levelForPoints,
  MEMBERSHIP_RULES,
  personalCodeFrom,
  pointsForPaidGoods,
  revocationFor,
  shanghaiMonthOf,
  shanghaiMonthRange,
} from '#app/domain/membership'
import { levelChanged } from '../notifications/events.server'

/**
 * Every function here joins the caller's transaction: points, level and personal code change together or not at
 * all.
 */
export type Trx = Transaction<Database>

export interface LedgerResult {
  points: number
  balance: number
  level: number
  /** True when this call repeated an earlier one (idempotency key already used): nothing changed. */
  duplicate: boolean
}

async function lockedMember(trx: Trx, memberId: string) {
  const member = await lockMember(trx, memberId)
  if (!member || member.role !== 'member')
    throw new NotAMemberError('growth points belong to members only', { memberId })
  return member
}

/** Gives a VIP1+ member a personal invitation code if they have none yet (kept forever after). */
export async function ensurePersonalCode(trx: Trx, memberId: string, now: Date, preferred?: string) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const code =
      attempt === 0 && preferred ? preferred : personalCodeFrom(randomBytes(MEMBERSHIP_RULES.personalCodeLength))
    if (await insertPersonalCode(trx, memberId, code, now)) return
  }
  throw new Error('could not allocate a personal invitation code')
}

/**
 * Appends one ledger row and re-levels the member in the same transaction. Gains upgrade the moment the
 * balance reaches a threshold (never downgrade); losses (refunds, negative grants) drop the level to what
 * the remaining balance supports (never upgrade).
 */
async function appendAndRelevel(
  trx: Trx,
  member: { id: string; vip_level: number },
  row: {
    delta: number
    reason: GrowthReason
    now: Date
    orderId?: string
    refundId?: string
    inviteeId?: string
    operatorId?: string
    note?: string
  },
): Promise<{ balance: number; level: number }> {
  if (row.delta !== 0) await insertLedgerRow(trx, { memberId: member.id, ...row })
  const balance = await pointsBalance(trx, member.id)
  const tiers = await selectVipTiers(trx)
  const byBalance = levelForPoints(balance, tiers)
  const level =
    row.delta > 0
      ? Math.max(member.vip_level, byBalance)
      : row.delta < 0
        ? Math.min(member.vip_level, byBalance)
        : member.vip_level
  if (level !== member.vip_level) {
    await setMemberLevel(trx, member.id, level, row.now)
    await levelChanged(trx, {
      memberId: member.id,
      from: member.vip_level,
      to: level,
      key: `${member.vip_level}>${level}@${row.now.toISOString()}`,
      now: row.now,
    })
  }
  if (level >= 1) await ensurePersonalCode(trx, member.id, row.now)
  return { balance, level }
}

function requireWhole(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
}

/** 1 point per ¥10 (1000 fen) of paid goods, rounded down; once per order. */
export async function creditPurchasePoints(
  trx: Trx,
  input: { memberId: string; orderId: string; paidGoodsMinor: number; now: Date },
): Promise<LedgerResult> {
  requireWhole('paidGoodsMinor', input.paidGoodsMinor)
  const member = await lockedMember(trx, input.memberId)
  const points = pointsForPaidGoods(input.paidGoodsMinor)
  const inserted = await insertOrderCredit(trx, {
    orderId: input.orderId,
    memberId: member.id,
    paidGoodsMinor: input.paidGoodsMinor,
    points,
    now: input.now,
  })
  if (!inserted) {
    const existing = await findOrderCredit(trx, input.orderId)
    if (existing?.member_id !== member.id)
      throw new LedgerConflictError('this order was credited to another member', { orderId: input.orderId })
    return {
      points: existing.points_credited,
      balance: await pointsBalance(trx, member.id),
      level: member.vip_level,
      duplicate: true,
    }
  }
  const after = await appendAndRelevel(trx, member, {
    delta: points,
    reason: 'purchase',
    orderId: input.orderId,
    now: input.now,
  })
  return { points, ...after, duplicate: false }
}

/**
 * Takes back exactly the points a refund leaves unbacked: overall the order keeps
 * floor((paid − refunded total) / 1000) points. Once per refund id; never more than the order credited.
 * A refund of an order that was never credited takes nothing back.
 */
export async function revokePurchasePoints(
  trx: Trx,
  input: { memberId: string; orderId: string; refundId: string; refundedGoodsMinor: number; now: Date },
): Promise<LedgerResult> {
  requireWhole('refundedGoodsMinor', input.refundedGoodsMinor)
  const member = await lockedMember(trx, input.memberId)
  const previous = await findRefund(trx, input.refundId)
  if (previous) {
    if (previous.order_id !== input.orderId)
      throw new LedgerConflictError('this refund id belongs to another order', { refundId: input.refundId })
    return {
      points: 0 - previous.points_revoked,
      balance: await pointsBalance(trx, member.id),
      level: member.vip_level,
      duplicate: true,
    }
  }
  const credit = await findOrderCredit(trx, input.orderId, { forUpdate: true })
  if (!credit)
    return { points: 0, balance: await pointsBalance(trx, member.id), level: member.vip_level, duplicate: false }
  if (credit.member_id !== member.id)
    throw new LedgerConflictError('this order was credited to another member', { orderId: input.orderId })
  const { refundedTotalMinor, revoke } = revocationFor({
    paidGoodsMinor: credit.paid_goods_minor,
    pointsCredited: credit.points_credited,
    refundedBeforeMinor: credit.refunded_goods_minor,
    revokedBefore: credit.points_revoked,
    refundMinor: input.refundedGoodsMinor,
  })
  await recordRefund(trx, {
    refundId: input.refundId,
    orderId: input.orderId,
    refundMinor: input.refundedGoodsMinor,
    refundedTotalMinor,
    revoke,
    now: input.now,
  })
  const after = await appendAndRelevel(trx, member, {
    delta: 0 - revoke,
    reason: 'refund',
    orderId: input.orderId,
    refundId: input.refundId,
    now: input.now,
  })
  return { points: 0 - revoke, ...after, duplicate: false }
}

export type InviteBonusOutcome =
  | { awarded: true; inviterId: string; points: number; duplicate: boolean }
  | { awarded: false; why: 'no_inviter' | 'not_first_order' | 'already_awarded' | 'monthly_cap' }

/**
 * 10 points to the inviter when this is the invitee's first paid order (the first order credited to
 * them), at most 20 such awards per inviter per Asia/Shanghai calendar month. Points only: the inviter
 * never earns from what invitees buy. Once per invitee.
 */
export async function awardInviteBonusIfFirstOrder(
  trx: Trx,
  input: { memberId: string; orderId: string; now: Date },
): Promise<InviteBonusOutcome> {
  const invitee = await lockMember(trx, input.memberId)
  if (!invitee?.invited_by) return { awarded: false, why: 'no_inviter' }
  const existing = await findInviteBonusFor(trx, invitee.id)
  if (existing) {
    return existing.order_id === input.orderId
      ? { awarded: true, inviterId: existing.member_id, points: MEMBERSHIP_RULES.inviteBonusPoints, duplicate: true }
      : { awarded: false, why: 'already_awarded' }
  }
  const first = await firstCreditedOrder(trx, invitee.id)
  if (first && first.order_id !== input.orderId) return { awarded: false, why: 'not_first_order' }
  // Locking the inviter serialises the monthly count across concurrent invitees' payments.
  const inviter = await lockedMember(trx, invitee.invited_by)
  const { start, end } = shanghaiMonthRange(shanghaiMonthOf(input.now))
  if ((await countInviteBonuses(trx, inviter.id, start, end)) >= MEMBERSHIP_RULES.inviteBonusMonthlyCap)
    return { awarded: false, why: 'monthly_cap' }
  await appendAndRelevel(trx, inviter, {
    delta: MEMBERSHIP_RULES.inviteBonusPoints,
    reason: 'invite_bonus',
    orderId: input.orderId,
    inviteeId: invitee.id,
    now: input.now,
  })
  return { awarded: true, inviterId: inviter.id, points: MEMBERSHIP_RULES.inviteBonusPoints, duplicate: false }
}

/** An operator's manual adjustment (positive or negative), with a note; also what the demo seed and test route use. */
export async function grantPoints(
  trx: Trx,
  input: { memberId: string; delta: number; note: string; operatorId?: string | null; now: Date },
): Promise<LedgerResult> {
  if (!Number.isSafeInteger(input.delta)) throw new RangeError(`delta must be an integer, got ${input.delta}`)
  const member = await lockedMember(trx, input.memberId)
  const after = await appendAndRelevel(trx, member, {
    delta: input.delta,
    reason: 'operator_grant',
    operatorId: input.operatorId ?? undefined,
    note: input.note,
    now: input.now,
  })
  return { points: input.delta, ...after, duplicate: false }
}
