import type { Insertable, Updateable } from 'kysely'
import type { Conn } from './conn'
import type {
  ConnectEventTable,
  Payout,
  PayoutAccount,
  PayoutAccountTable,
  PayoutProvider,
  PayoutStatus,
  PayoutTable,
} from '#db/schema/payouts'

export interface PayoutOwner {
  type: 'brand' | 'reseller'
  id: string
}

/** Where an owner's payouts go (one account per owner). */
export function findPayoutAccount(db: Conn, owner: PayoutOwner): Promise<PayoutAccount | undefined> {
  return db
    .selectFrom('payout_accounts')
    .selectAll()
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .executeTakeFirst()
}

/** The account behind a Stripe account id, locked until the transaction ends. */
export function lockPayoutAccountByStripeId(db: Conn, stripeAccountId: string): Promise<PayoutAccount | undefined> {
  return db
    .selectFrom('payout_accounts')
    .selectAll()
    .where('stripe_account_id', '=', stripeAccountId)
    .forUpdate()
    .executeTakeFirst()
}

/** A new account; a second one for the same owner (a concurrent request) is ignored. */
export async function insertPayoutAccountOnce(db: Conn, account: Insertable<PayoutAccountTable>) {
  await db
    .insertInto('payout_accounts')
    .values(account)
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doNothing())
    .execute()
}

/** The owner's account, created with `account` or, when it exists, changed by `changes`. */
export async function upsertPayoutAccount(
  db: Conn,
  account: Insertable<PayoutAccountTable>,
  changes: Updateable<PayoutAccountTable>,
) {
  await db
    .insertInto('payout_accounts')
    .values(account)
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doUpdateSet(changes))
    .execute()
}

/**
 * Changes an account; with `notAfter`, only when the state last applied is not newer than it (a stale read
 * never overwrites a later event).
 */
export async function updatePayoutAccount(
  db: Conn,
  accountId: string,
  changes: Updateable<PayoutAccountTable>,
  notAfter?: Date,
) {
  let q = db.updateTable('payout_accounts').set(changes).where('id', '=', accountId)
  if (notAfter) q = q.where((eb) => eb.or([eb('last_event_at', 'is', null), eb('last_event_at', '<=', notAfter)]))
  await q.execute()
}

/** Records a Connect event once by its provider id; false when it was recorded before. */
export async function insertConnectEvent(db: Conn, event: Insertable<ConnectEventTable>): Promise<boolean> {
  const r = await db
    .insertInto('connect_events')
    .values(event)
    .onConflict((oc) => oc.column('provider_event_id').doNothing())
    .returning('provider_event_id')
    .executeTakeFirst()
  return r !== undefined
}

/** Locks a reseller's user row: her withdrawals are decided one at a time. */
export async function lockReseller(db: Conn, resellerId: string) {
  await db.selectFrom('users').select('id').where('id', '=', resellerId).forUpdate().executeTakeFirstOrThrow()
}

/** Settlement statements no payout was decided for yet, oldest first. */
export function settlementsWithoutPayout(db: Conn, limit: number) {
  return db
    .selectFrom('settlements as x')
    .select([
      'x.id',
      'x.brand_id',
      'x.session_id',
      'x.paid_minor',
      'x.refunded_minor',
      'x.commission_minor',
      'x.payable_minor',
      'x.currency',
    ])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('payouts as p').select('p.id').whereRef('p.settlement_id', '=', 'x.id'))),
    )
    .orderBy('x.created_at')
    .limit(limit)
    .execute()
}

/** Whether a settlement already has its payout. */
export async function hasPayoutForSettlement(db: Conn, settlementId: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('payouts').select('id').where('settlement_id', '=', settlementId).executeTakeFirst(),
  )
}

/** A new payout; returns its id. */
export function insertPayout(db: Conn, payout: Insertable<PayoutTable>) {
  return db.insertInto('payouts').values(payout).returning('id').executeTakeFirstOrThrow()
}

export function findPayout(db: Conn, payoutId: string): Promise<Payout | undefined> {
  return db.selectFrom('payouts').selectAll().where('id', '=', payoutId).executeTakeFirst()
}

/**
 * Changes a payout only while it is in one of `from` (and, with `attempts`, still at that attempt); returns it
 * as it now is, or undefined when another writer moved it first.
 */
export function updatePayoutFrom(
  db: Conn,
  payoutId: string,
  from: PayoutStatus[],
  changes: Updateable<PayoutTable>,
  attempts?: number,
): Promise<Payout | undefined> {
  let q = db.updateTable('payouts').set(changes).where('id', '=', payoutId).where('status', 'in', from)
  if (attempts !== undefined) q = q.where('attempts', '=', attempts)
  return q.returningAll().executeTakeFirst()
}

/** A failed attempt: the payout is failed with the error, and an answered failure moves to the next attempt. */
export function failPayoutAttempt(
  db: Conn,
  payout: Pick<Payout, 'id' | 'attempts'>,
  v: { error: string; nextAttempt: boolean; now: Date },
): Promise<Payout | undefined> {
  return (
    db
      .updateTable('payouts')
      .set((eb) => ({
        status: 'failed',
        error: v.error,
        updated_at: v.now,
        ...(v.nextAttempt ? { attempts: eb('attempts', '+', 1) } : {}),
      }))
      .where('id', '=', payout.id)
      .where('status', 'in', ['due', 'failed'])
      // Only the attempt the sender read: concurrent senders of one payout share its key, so the provider's one
      // answer is recorded (and the attempt advanced) once.
      .where('attempts', '=', payout.attempts)
      .returningAll()
      .executeTakeFirst()
  )
}

/** Where a payout's money went (the connected account it was transferred to). */
export async function setPayoutDestination(db: Conn, payoutId: string, destination: string) {
  await db.updateTable('payouts').set({ destination }).where('id', '=', payoutId).execute()
}

/** Payouts due through a provider, oldest first. */
export function duePayoutIds(db: Conn, provider: PayoutProvider, limit: number) {
  return db
    .selectFrom('payouts')
    .select('id')
    .where('status', '=', 'due')
    .where('provider', '=', provider)
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

/** Manual payouts due, with the payee's bank details and names, for the bank-transfer export. */
export function dueManualPayouts(db: Conn) {
  return db
    .selectFrom('payouts as p')
    .leftJoin('payout_accounts as a', (j) =>
      j.onRef('a.owner_type', '=', 'p.payee_type').onRef('a.owner_id', '=', 'p.payee_id'),
    )
    .leftJoin('brands as b', 'b.id', 'p.payee_id')
    .leftJoin('users as u', 'u.id', 'p.payee_id')
    .leftJoin('clearance_sessions as s', 's.id', 'p.session_id')
    .select([
      'p.id',
      'p.amount_minor',
      'p.currency',
      'p.payee_type',
      'p.transfer_group',
      'a.bank_holder',
      'a.bank_name',
      'a.bank_account',
      'b.name as brand_name',
      'u.display_name',
      's.title as session_title',
    ])
    .where('p.status', '=', 'due')
    .where('p.provider', '=', 'manual')
    .orderBy('p.created_at')
    .execute()
}

export async function markPayoutsExported(db: Conn, payoutIds: string[], now: Date) {
  if (payoutIds.length) await db.updateTable('payouts').set({ exported_at: now }).where('id', 'in', payoutIds).execute()
}

/** The newest payouts (300 at most) with the payee's and the session's names; optionally one status or payee. */
export function listPayoutRows(
  db: Conn,
  f: { status?: PayoutStatus; payee?: { type: 'brand' | 'reseller'; id: string } },
) {
  let q = db
    .selectFrom('payouts as p')
    .leftJoin('brands as b', 'b.id', 'p.payee_id')
    .leftJoin('users as u', 'u.id', 'p.payee_id')
    .leftJoin('clearance_sessions as s', 's.id', 'p.session_id')
    .select([
      'p.id',
      'p.kind',
      'p.payee_type',
      'p.payee_id',
      'p.amount_minor',
      'p.currency',
      'p.status',
      'p.provider',
      'p.attempts',
      'p.error',
      'p.exported_at',
      'p.sent_at',
      'p.created_at',
      'p.provider_transfer_id',
      'b.name as brand_name',
      'u.display_name',
      's.title as session_title',
      's.id as session_id',
    ])
    .orderBy('p.created_at', 'desc')
    .limit(300)
  if (f.status) q = q.where('p.status', '=', f.status)
  if (f.payee) q = q.where('p.payee_type', '=', f.payee.type).where('p.payee_id', '=', f.payee.id)
  return q.execute()
}
