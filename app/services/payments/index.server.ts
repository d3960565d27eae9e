// The payment layer other features call: start a payment, apply provider outcomes exactly once,
// refund idempotently. Network calls to the provider never happen inside a database transaction.
import type { Transaction } from 'kysely'
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  failPendingPayment,
  findOpenAttempt,
  findPaymentById,
  findPaymentIdByProviderRef,
  findRefund,
  findRefundByKey,
  findRefundIdByProviderRef,
  insertPayment,
  insertRefund,
  lockPaymentReference,
  pendingRefundTotal,
  recordPaymentEvent,
  setPaymentProviderRef,
  settlePendingRefund,
  updatePayment,
} from '#db/queries/payments'
import type { Database } from '#db/schema'
import type { Payment, PaymentPurpose } from '#db/schema/payments'
import {
  isSafeReturnPath,
  type PaymentOutcome,
  paymentTransition,
  refundableMinor,
  refundedStatus,
  RefundRefusedError,
} from '#app/domain/payments'
import { paymentProvider, providerFor, type PaymentProvider, type ProviderEvent } from './provider.server'
import { paymentPurposeHandler } from './purposes.server'
import { journalPaymentSucceeded, journalRefundSucceeded } from '#app/services/ledger/journal.server'

export type { Payment, PaymentPurpose, PaymentRefund } from '#db/schema/payments'
export type { PaymentOutcome } from '#app/domain/payments'

/** How long a provider checkout stays open (Stripe's minimum for expires_at is 30 minutes). */
export const CHECKOUT_TTL_MS = 30 * 60 * 1000

export interface StartPaymentInput {
  purpose: PaymentPurpose
  /** brand id or checkout id */
  referenceId: string
  amountMinor: number
  currency: string
  description: string
  /** Null when the payer has no account (a reseller's customer). */
  payerUserId: string | null
  successPath: string
  cancelPath: string
  /** e.g. http://localhost:3000, for absolute return URLs */
  origin: string
}

/** The input's amount, currency and return paths checked; the origin its return URLs start with. */
function checkedOrigin(input: StartPaymentInput): string {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw new RangeError('amountMinor must be a positive integer')
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new RangeError('currency must be an ISO 4217 code such as CNY')
  if (!isSafeReturnPath(input.successPath) || !isSafeReturnPath(input.cancelPath))
    throw new RangeError('successPath and cancelPath must be same-site paths')
  return new URL(input.origin).origin
}

const newPaymentRow = (input: StartPaymentInput, provider: PaymentProvider, now: Date) => ({
  purpose: input.purpose,
  reference_id: input.referenceId,
  payer_user_id: input.payerUserId,
  amount_minor: input.amountMinor,
  currency: input.currency,
  description: input.description.slice(0, 500),
  provider: provider.name,
  success_path: input.successPath,
  cancel_path: input.cancelPath,
  created_at: now,
  updated_at: now,
})

/** What the provider is asked for an attempt; its checkout closes CHECKOUT_TTL_MS after the attempt was recorded. */
const checkoutRequest = (input: StartPaymentInput, origin: string, paymentId: string, recordedAt: Date) => ({
  paymentId,
  purpose: input.purpose,
  referenceId: input.referenceId,
  amountMinor: input.amountMinor,
  currency: input.currency,
  description: input.description.slice(0, 500) || input.purpose,
  successUrl: origin + input.successPath,
  cancelUrl: origin + input.cancelPath,
  expiresAt: new Date(recordedAt.getTime() + CHECKOUT_TTL_MS),
})

/** `provider`: the configured one by default (the demo seed passes the labelled test provider). */
export async function startPayment(
  db: Db,
  input: StartPaymentInput,
  now: Date = new Date(),
  provider: PaymentProvider = paymentProvider(),
): Promise<{ paymentId: string; redirectUrl: string }> {
  const origin = checkedOrigin(input)
  const payment = await insertPayment(db, newPaymentRow(input, provider, now))
  try {
    const checkout = await provider.createCheckout(checkoutRequest(input, origin, payment.id, now))
    await setPaymentProviderRef(db, payment.id, checkout.providerRef, now)
    return { paymentId: payment.id, redirectUrl: checkout.redirectUrl }
  } catch (error) {
    // No checkout exists, so no provider event can ever arrive: the attempt is simply failed (the caller got the
    // error).
    await failPendingPayment(db, payment.id, now)
    throw error
  }
}

/**
 * The one payment of a reference that should have one at a time (a customer's order: a reload or a second tab
 * must not open a second payment). Under a lock on the reference, a pending attempt of the same purpose and
 * provider whose provider checkout is still open is taken again, else a new attempt is recorded; then the
 * provider's checkout is asked for, outside any transaction. Asking again for an attempt's checkout gets the same
 * one: the request is the same (its expiry counts from the attempt's creation) under the same idempotency key
 * (Stripe), or the address is the payment's own (the test provider).
 */
export async function resumeOrStartPayment(
  db: Db,
  input: StartPaymentInput,
  now: Date = new Date(),
  provider: PaymentProvider = paymentProvider(),
): Promise<{ paymentId: string; redirectUrl: string; resumed: boolean }> {
  const origin = checkedOrigin(input)
  // A checkout resumed this close to its end could close under the payer: a fresh one is opened instead.
  const openSince = new Date(now.getTime() - CHECKOUT_TTL_MS + RESUME_MARGIN_MS)
  const attempt = await db.transaction().execute(async (trx) => {
    await lockPaymentReference(trx, input.purpose, input.referenceId)
    const open = await findOpenAttempt(trx, { ...input, provider: provider.name, since: openSince })
    if (open) return { ...open, resumed: true }
    const { id } = await insertPayment(trx, newPaymentRow(input, provider, now))
    return { id, created_at: now, provider_ref: null, resumed: false }
  })
  try {
    const checkout = await provider.createCheckout(checkoutRequest(input, origin, attempt.id, attempt.created_at))
    if (attempt.provider_ref !== checkout.providerRef)
      await setPaymentProviderRef(db, attempt.id, checkout.providerRef, now)
    return { paymentId: attempt.id, redirectUrl: checkout.redirectUrl, resumed: attempt.resumed }
  } catch (error) {
    // A checkout the provider never opened can never be paid: the attempt that asked first is failed, and the next
    // visit opens another (a resumed attempt stays: its first request may still succeed).
    if (!attempt.resumed) await failPendingPayment(db, attempt.id, now)
    throw error
  }
}

/** How close to its provider checkout's end a pending attempt is no longer resumed. */
const RESUME_MARGIN_MS = 5 * 60 * 1000

export function findPayment(db: Conn, paymentId: string): Promise<Payment | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(paymentId)) return Promise.resolve(undefined)
  return findPaymentById(db, paymentId)
}

export interface PaymentOutcomeInput {
  paymentId: string
  /** Provider event id; an id already seen is ignored. */
  eventId: string
  type: string
  /** null: record the event only (e.g. completed but not yet paid). */
  outcome: PaymentOutcome | null
  providerPaymentRef?: string | null
}

export interface AppliedOutcome {
  duplicate: boolean
  /** The purpose handler that ran, if any. */
  notified: 'succeeded' | 'failed' | null
  payment: Payment
}

/**
 * Applies one provider event to its payment in one transaction: locks the payment row, ignores
 * an event id already seen, moves the status by paymentTransition and calls the purpose handler
 * in the same transaction, so each transition notifies exactly once. Returns null for an unknown payment.
 */
export async function applyPaymentOutcome(
  db: Db,
  input: PaymentOutcomeInput,
  now: Date = new Date(),
): Promise<AppliedOutcome | null> {
  return db.transaction().execute((trx) => applyPaymentOutcomeInTransaction(trx, input, now))
}

/** applyPaymentOutcome on the caller's transaction (the demo seed records its paid orders through this). */
export async function applyPaymentOutcomeInTransaction(
  trx: Transaction<Database>,
  input: PaymentOutcomeInput,
  now: Date,
): Promise<AppliedOutcome | null> {
  const payment = await findPaymentById(trx, input.paymentId, true)
  if (!payment) return null
  const recorded = await recordPaymentEvent(trx, {
    providerEventId: input.eventId,
    paymentId: payment.id,
    type: input.type,
    receivedAt: now,
  })
  if (!recorded) return { duplicate: true, notified: null, payment }
  const ref = input.providerPaymentRef && !payment.provider_payment_ref ? input.providerPaymentRef : null
  if (!input.outcome) {
    if (!ref) return { duplicate: false, notified: null, payment }
    const updated = await updatePayment(trx, payment.id, { provider_payment_ref: ref, updated_at: now })
    return { duplicate: false, notified: null, payment: updated }
  }
  const next = paymentTransition(payment.status, input.outcome)
  if (!next.notify && !ref) return { duplicate: false, notified: null, payment }
  const updated = await updatePayment(trx, payment.id, {
    status: next.status,
    updated_at: now,
    ...(ref ? { provider_payment_ref: ref } : {}),
    ...(next.notify === 'succeeded' ? { paid_at: now } : {}),
  })
  const handler = paymentPurposeHandler(updated.purpose)
  if (next.notify === 'succeeded') await handler.onSucceeded(trx, updated, now)
  // The journal entry follows the handler: whether the checkout took the money decides the accounts.
  if (next.notify === 'succeeded') await journalPaymentSucceeded(trx, updated, now)
  if (next.notify === 'failed') await handler.onFailed(trx, updated, now)
  return { duplicate: false, notified: next.notify, payment: updated }
}

/** A verified provider event (webhook) applied; events for payments we do not know are ignored. */
export async function applyProviderEvent(
  db: Db,
  event: ProviderEvent,
  now: Date = new Date(),
): Promise<AppliedOutcome | null> {
  let paymentId = event.paymentId && (await findPayment(db, event.paymentId)) ? event.paymentId : null
  if (!paymentId && event.providerRef) {
    paymentId = (await findPaymentIdByProviderRef(db, event.providerRef))?.id ?? null
  }
  if (!paymentId) return null
  return applyPaymentOutcome(
    db,
    {
      paymentId,
      eventId: event.eventId,
      type: event.type,
      outcome: event.outcome,
      providerPaymentRef: event.providerPaymentRef,
    },
    now,
  )
}

/** The payer's decision on the local test-payment page (one event id per decision, so repeats are no-ops). */
export async function decideTestPayment(
  db: Db,
  paymentId: string,
  decision: 'approve' | 'decline',
  now: Date = new Date(),
) {
  return applyPaymentOutcome(db, testPaymentDecision(paymentId, decision), now)
}

/** The event the test-payment page records for a decision. */
export function testPaymentDecision(paymentId: string, decision: 'approve' | 'decline'): PaymentOutcomeInput {
  return {
    paymentId,
    eventId: `test:${paymentId}:${decision}`,
    type: `test.${decision}`,
    outcome: decision === 'approve' ? 'succeeded' : 'failed',
  }
}

/**
 * Refunds part or all of a paid payment. Idempotent by key: a repeat returns the same refund (and
 * finishes it if an earlier attempt stopped half-way). The amount is reserved in the database first,
 * then the provider is called outside any transaction with the same idempotency key.
 */
export async function refundPayment(
  db: Db,
  input: { paymentId: string; amountMinor: number; idempotencyKey: string; reason?: string },
  now: Date = new Date(),
): Promise<{ refundId: string; status: 'succeeded' | 'pending' | 'failed' }> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw new RangeError('amountMinor must be a positive integer')
  if (!input.idempotencyKey || input.idempotencyKey.length > 255)
    throw new RangeError('idempotencyKey must be 1–255 characters')
  const reserved = await db.transaction().execute(async (trx) => {
    const existing = await findRefundByKey(trx, input.idempotencyKey)
    if (existing) return existing
    const payment = await findPaymentById(trx, input.paymentId, true)
    if (!payment) throw new RefundRefusedError('Payment not found', { paymentId: input.paymentId })
    // Looked up again under the payment's lock: a concurrent request with the same key may have just reserved it.
    const again = await findRefundByKey(trx, input.idempotencyKey)
    if (again) return again
    const refundable = refundableMinor(payment, await pendingRefundTotal(trx, payment.id))
    if (input.amountMinor > refundable) {
      throw new RefundRefusedError(`Refund of ${input.amountMinor} exceeds the refundable ${refundable}`, {
        refundableMinor: refundable,
        status: payment.status,
      })
    }
    return insertRefund(trx, {
      paymentId: payment.id,
      amountMinor: input.amountMinor,
      idempotencyKey: input.idempotencyKey,
      reason: input.reason?.slice(0, 500) ?? null,
      now,
    })
  })
  if (reserved.payment_id !== input.paymentId || reserved.amount_minor !== input.amountMinor) {
    throw new RefundRefusedError('This idempotency key was already used for a different refund', {
      refundId: reserved.id,
    })
  }
  if (reserved.status !== 'pending') return { refundId: reserved.id, status: reserved.status }

  const payment = await findPaymentById(db, reserved.payment_id)
  if (!payment) throw new Error(`refund ${reserved.id} has no payment`)
  const result = await providerFor(payment.provider).refund({
    paymentId: payment.id,
    providerRef: payment.provider_ref,
    providerPaymentRef: payment.provider_payment_ref,
    amountMinor: reserved.amount_minor,
    idempotencyKey: reserved.idempotency_key,
    reason: reserved.reason ?? undefined,
  })
  return settleRefund(db, reserved.id, result, now)
}

/** A refund webhook (refund.updated / refund.failed): settles our pending refund with that provider id. */
export async function settleRefundByProviderRef(
  db: Db,
  refund: { providerRef: string; status: 'succeeded' | 'pending' | 'failed' },
  now: Date = new Date(),
) {
  const row = await findRefundIdByProviderRef(db, refund.providerRef)
  if (!row || refund.status === 'pending') return null
  return settleRefund(db, row.id, refund, now)
}

/** Records the provider's answer for a pending refund exactly once (also usable from a refund webhook). */
export async function settleRefund(
  db: Db,
  refundId: string,
  result: { providerRef: string; status: 'succeeded' | 'pending' | 'failed' },
  now: Date = new Date(),
) {
  return db.transaction().execute(async (trx) => {
    const refund = await findRefund(trx, refundId)
    const payment = await findPaymentById(trx, refund.payment_id, true)
    if (!payment) throw new Error(`refund ${refundId} has no payment`)
    const flipped = await settlePendingRefund(trx, refundId, { ...result, now })
    if (!flipped) return { refundId, status: refund.status }
    if (flipped.status === 'succeeded') {
      const refunded = payment.refunded_minor + flipped.amount_minor
      await updatePayment(trx, payment.id, {
        refunded_minor: refunded,
        status: refundedStatus(payment.amount_minor, refunded),
        updated_at: now,
      })
      await journalRefundSucceeded(trx, flipped, payment, now)
    }
    return { refundId, status: flipped.status }
  })
}
