import { sql, type Updateable } from 'kysely'
import type { Conn } from './conn'
import type {
  NewPayment,
  Payment,
  PaymentProviderName,
  PaymentPurpose,
  PaymentRefund,
  PaymentTable,
  RefundStatus,
} from '#db/schema/payments'

/** A new payment attempt, pending until the provider answers; returns its id. */
export function insertPayment(db: Conn, payment: NewPayment) {
  return db.insertInto('payments').values(payment).returning('id').executeTakeFirstOrThrow()
}

/** The provider's checkout for a payment, once it exists. */
export async function setPaymentProviderRef(db: Conn, paymentId: string, providerRef: string, now: Date) {
  await db
    .updateTable('payments')
    .set({ provider_ref: providerRef, updated_at: now })
    .where('id', '=', paymentId)
    .execute()
}

/** A payment whose checkout could not be created is failed, if nothing else moved it meanwhile. */
export async function failPendingPayment(db: Conn, paymentId: string, now: Date) {
  await db
    .updateTable('payments')
    .set({ status: 'failed', updated_at: now })
    .where('id', '=', paymentId)
    .where('status', '=', 'pending')
    .execute()
}

/** Serialises the payment attempts of one reference until the transaction ends. */
export async function lockPaymentReference(db: Conn, purpose: PaymentPurpose, referenceId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`payment:${purpose}:${referenceId}`}, 0))`.execute(db)
}

/** The newest pending attempt of a reference for this amount and provider, created after `since`. */
export function findOpenAttempt(
  db: Conn,
  a: {
    purpose: PaymentPurpose
    referenceId: string
    provider: PaymentProviderName
    amountMinor: number
    currency: string
    since: Date
  },
) {
  return db
    .selectFrom('payments')
    .select(['id', 'created_at', 'provider_ref'])
    .where('purpose', '=', a.purpose)
    .where('reference_id', '=', a.referenceId)
    .where('provider', '=', a.provider)
    .where('status', '=', 'pending')
    .where('amount_minor', '=', a.amountMinor)
    .where('currency', '=', a.currency)
    .where('created_at', '>', a.since)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One payment by id; `lock`: held until the transaction ends (its status is about to change). */
export function findPaymentById(db: Conn, paymentId: string, lock = false): Promise<Payment | undefined> {
  const query = db.selectFrom('payments').selectAll().where('id', '=', paymentId)
  return (lock ? query.forUpdate() : query).executeTakeFirst()
}

/** The most recent payment attempt for a reference (a brand deposit, a checkout), whatever its status. */
export function latestPaymentFor(db: Conn, purpose: PaymentPurpose, referenceId: string): Promise<Payment | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('reference_id', '=', referenceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The payment a provider checkout belongs to. */
export function findPaymentIdByProviderRef(db: Conn, providerRef: string) {
  return db.selectFrom('payments').select('id').where('provider_ref', '=', providerRef).executeTakeFirst()
}

/** Records a provider event once; undefined when its id was already seen. */
export function recordPaymentEvent(
  db: Conn,
  event: { providerEventId: string; paymentId: string; type: string; receivedAt: Date },
) {
  return db
    .insertInto('payment_events')
    .values({
      provider_event_id: event.providerEventId,
      payment_id: event.paymentId,
      type: event.type,
      received_at: event.receivedAt,
    })
    .onConflict((oc) => oc.column('provider_event_id').doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Changes a payment (status, provider references, refunded amount) and returns it as it now is. */
export function updatePayment(db: Conn, paymentId: string, changes: Updateable<PaymentTable>): Promise<Payment> {
  return db.updateTable('payments').set(changes).where('id', '=', paymentId).returningAll().executeTakeFirstOrThrow()
}

/** The refund made under an idempotency key, if any. */
export function findRefundByKey(db: Conn, idempotencyKey: string): Promise<PaymentRefund | undefined> {
  return db.selectFrom('payment_refunds').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst()
}

/** One refund by id. */
export function findRefund(db: Conn, refundId: string): Promise<PaymentRefund> {
  return db.selectFrom('payment_refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow()
}

/** The refund a provider's refund id belongs to. */
export function findRefundIdByProviderRef(db: Conn, providerRef: string) {
  return db.selectFrom('payment_refunds').select('id').where('provider_ref', '=', providerRef).executeTakeFirst()
}

/** What refunds still waiting for the provider hold of a payment. */
export async function pendingRefundTotal(db: Conn, paymentId: string): Promise<number> {
  const row = await db
    .selectFrom('payment_refunds')
    .select(sql<number>`coalesce(sum(amount_minor), 0)::bigint`.as('total'))
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return Number(row.total)
}

/** Reserves a refund (pending) before the provider is asked. */
export function insertRefund(
  db: Conn,
  refund: { paymentId: string; amountMinor: number; idempotencyKey: string; reason: string | null; now: Date },
): Promise<PaymentRefund> {
  return db
    .insertInto('payment_refunds')
    .values({
      payment_id: refund.paymentId,
      amount_minor: refund.amountMinor,
      idempotency_key: refund.idempotencyKey,
      reason: refund.reason,
      created_at: refund.now,
      updated_at: refund.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Records the provider's answer on a refund still pending; undefined when it was already settled. */
export function settlePendingRefund(
  db: Conn,
  refundId: string,
  result: { status: RefundStatus; providerRef: string; now: Date },
): Promise<PaymentRefund | undefined> {
  return db
    .updateTable('payment_refunds')
    .set({ status: result.status, provider_ref: result.providerRef, updated_at: result.now })
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst()
}
