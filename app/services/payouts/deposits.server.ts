// The money side of brand deposits: deductions with a reason, the refund when a brand leaves (after its
// last settlement, netting any negative balance first), and the automatic refund of a duplicate deposit
// payment. Every action is journaled and audited; refunds go through the payment provider.
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  countOpenDepositSessions,
  findExitRefund,
  insertDepositAction,
  insertDuplicateRefundAction,
  listBrandsWithDepositBalances,
  listDepositActions,
  setDepositActionRefund,
} from '#db/queries/deposits'
import { findBrand, lockBrand, updateBrand } from '#db/queries/onboarding'
import { findPaymentById } from '#db/queries/payments'
import { depositMoved } from '#app/domain/ledger'
import { checkDeduction, depositExitPlan, DepositActionRefusedError, type DepositState } from '#app/domain/payouts'
import { recordAudit } from '#app/services/onboarding/audit.server'
import { refundPayment } from '#app/services/payments/index.server'
import { owedTo, post } from '#app/services/ledger/journal.server'

export const exitRefundKey = (brandId: string) => `deposit-exit:${brandId}`
export const duplicateRefundKey = (paymentId: string) => `deposit-duplicate:${paymentId}`

/** What stands between a brand and its deposit: money held and owed, sessions not final, payouts not sent. */
export async function depositState(db: Conn, brandId: string, now: Date): Promise<DepositState> {
  const [heldMinor, payableMinor, inTransitMinor] = await Promise.all([
    owedTo(db, 'deposits_held', brandId),
    owedTo(db, 'brand_payable', brandId),
    owedTo(db, 'payouts_in_transit', brandId),
  ])
  const openSessions = await countOpenDepositSessions(db, brandId, now)
  const exited = await findExitRefund(db, brandId)
  return { heldMinor, payableMinor, inTransitMinor, openSessions, exited: !!exited }
}

export async function depositOverview(db: Db, brandId: string, now: Date) {
  const brand = await findBrand(db, brandId)
  if (!brand) return null
  const state = await depositState(db, brandId, now)
  const actions = await listDepositActions(db, brandId)
  let exitPlan: { nettingMinor: number; refundMinor: number } | null = null
  let exitBlocked: string | null = null
  try {
    exitPlan = depositExitPlan(state)
  } catch (e) {
    exitBlocked = e instanceof DepositActionRefusedError ? String(e.details.reason) : 'unknown'
  }
  if (exitPlan && exitPlan.refundMinor > 0 && !brand.deposit_payment_id) {
    exitPlan = null
    exitBlocked = 'no_payment'
  }
  return {
    brandId: brand.id,
    brandName: brand.name,
    brandNameEn: brand.name_en,
    brandStatus: brand.status,
    ...state,
    exitPlan,
    exitBlocked,
    currency: 'CNY',
    actions: actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      amountMinor: a.amount_minor,
      currency: a.currency,
      reason: a.reason,
      createdAt: a.created_at.toISOString(),
      refundStatus: a.refund_status,
    })),
  }
}

/** Operator: keeps part of the deposit (a penalty), with a reason. */
export async function deductDeposit(
  db: Db,
  v: { brandId: string; amountMinor: number; reason: string; operatorId: string; now: Date },
) {
  return db.transaction().execute(async (trx) => {
    const brand = await lockBrand(trx, v.brandId)
    if (!brand) return null
    checkDeduction(await depositState(trx, v.brandId, v.now), v.amountMinor)
    const action = await insertDepositAction(trx, {
      brand_id: v.brandId,
      kind: 'deduction',
      amount_minor: v.amountMinor,
      currency: 'CNY',
      reason: v.reason,
      actor_id: v.operatorId,
      created_at: v.now,
    })
    await post(
      trx,
      depositMoved({
        actionId: action.id,
        kind: 'deduction',
        brandId: v.brandId,
        amountMinor: v.amountMinor,
        currency: 'CNY',
        occurredAt: v.now,
      }),
    )
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'brand.deposit_deduct',
      targetType: 'brand',
      targetId: v.brandId,
      details: { amountMinor: v.amountMinor, reason: v.reason },
    })
    return { actionId: action.id }
  })
}

/**
 * Operator: the brand leaves. After its last settlement and payout, a negative balance is taken from the
 * deposit and the rest is refunded through the payment provider (idempotency key per brand). The brand
 * is suspended. The bookkeeping commits first; the provider is called after, and safely again on a repeat.
 */
export async function refundDepositOnExit(
  db: Db,
  v: { brandId: string; reason: string; operatorId: string; now: Date },
) {
  const prepared = await db.transaction().execute(async (trx) => {
    const brand = await lockBrand(trx, v.brandId)
    if (!brand) return null
    const existing = await findExitRefund(trx, v.brandId)
    if (existing)
      return { actionId: existing.id, refundMinor: existing.amount_minor, paymentId: existing.payment_id, repeat: true }
    const plan = depositExitPlan(await depositState(trx, v.brandId, v.now))
    if (plan.refundMinor > 0 && !brand.deposit_payment_id)
      throw new DepositActionRefusedError('the deposit was not paid through the payment provider', {
        reason: 'no_payment',
      })
    if (plan.nettingMinor > 0) {
      const netting = await insertDepositAction(trx, {
        brand_id: v.brandId,
        kind: 'netting',
        amount_minor: plan.nettingMinor,
        currency: 'CNY',
        reason: 'negative balance at exit',
        actor_id: v.operatorId,
        created_at: v.now,
      })
      await post(
        trx,
        depositMoved({
          actionId: netting.id,
          kind: 'netting',
          brandId: v.brandId,
          amountMinor: plan.nettingMinor,
          currency: 'CNY',
          occurredAt: v.now,
        }),
      )
    }
    let actionId: string | null = null
    if (plan.refundMinor > 0) {
      const action = await insertDepositAction(trx, {
        brand_id: v.brandId,
        kind: 'exit_refund',
        amount_minor: plan.refundMinor,
        currency: 'CNY',
        reason: v.reason,
        payment_id: brand.deposit_payment_id,
        actor_id: v.operatorId,
        created_at: v.now,
      })
      actionId = action.id
      await post(
        trx,
        depositMoved({
          actionId: action.id,
          kind: 'exit_refund',
          brandId: v.brandId,
          amountMinor: plan.refundMinor,
          currency: 'CNY',
          occurredAt: v.now,
          refundKey: exitRefundKey(v.brandId),
        }),
      )
    }
    await updateBrand(trx, v.brandId, {
      status: 'suspended',
      status_changed_at: v.now,
      status_reason: `left: ${v.reason}`.slice(0, 500),
    })
    await recordAudit(trx, {
      actorId: v.operatorId,
      action: 'brand.deposit_refund',
      targetType: 'brand',
      targetId: v.brandId,
      details: { ...plan, reason: v.reason, fromStatus: brand.status },
    })
    return { actionId, refundMinor: plan.refundMinor, paymentId: brand.deposit_payment_id, repeat: false }
  })
  if (!prepared) return null
  if (!prepared.actionId || !prepared.paymentId || prepared.refundMinor === 0)
    return { refundMinor: 0, status: 'succeeded' as const }
  const refund = await refundPayment(
    db,
    {
      paymentId: prepared.paymentId,
      amountMinor: prepared.refundMinor,
      idempotencyKey: exitRefundKey(v.brandId),
      reason: v.reason,
    },
    v.now,
  )
  await setDepositActionRefund(db, prepared.actionId, refund.refundId)
  return { refundMinor: prepared.refundMinor, status: refund.status }
}

/** Job body: a second deposit payment for a brand already paid is refunded in full, once. */
export async function refundDuplicateDeposit(db: Db, v: { paymentId: string; now: Date }) {
  const payment = await findPaymentById(db, v.paymentId)
  if (!payment || payment.purpose !== 'brand_deposit') return 'nothing_to_do' as const
  const brand = await findBrand(db, payment.reference_id)
  if (brand && brand.deposit_payment_id === payment.id) return 'nothing_to_do' as const
  const refund = await refundPayment(
    db,
    {
      paymentId: payment.id,
      amountMinor: payment.amount_minor,
      idempotencyKey: duplicateRefundKey(payment.id),
      reason: 'duplicate deposit payment',
    },
    v.now,
  )
  if (brand) {
    await insertDuplicateRefundAction(db, {
      brand_id: brand.id,
      kind: 'duplicate_refund',
      amount_minor: payment.amount_minor,
      currency: payment.currency,
      reason: 'duplicate deposit payment refunded automatically',
      payment_id: payment.id,
      payment_refund_id: refund.refundId,
      created_at: v.now,
    })
    await recordAudit(db, {
      actorId: null,
      action: 'brand.deposit_duplicate_refund',
      targetType: 'brand',
      targetId: brand.id,
      details: { paymentId: payment.id, amountMinor: payment.amount_minor, status: refund.status },
    })
  }
  return refund.status
}

/** Every brand with its deposit and payable balances, for the operator's deposits page. */
export async function listDepositBrands(db: Db) {
  const rows = await listBrandsWithDepositBalances(db)
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    nameEn: r.name_en,
    status: r.status,
    depositPaidAt: r.deposit_paid_at?.toISOString() ?? null,
    heldMinor: Number(r.held ?? 0),
    payableMinor: Number(r.payable ?? 0),
    currency: 'CNY',
  }))
}
