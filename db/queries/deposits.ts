import { sql, type Insertable } from 'kysely'
import type { Conn } from './conn'
import type { DepositActionTable } from '#db/schema/payouts'

/**
 * A brand's sessions that still keep its deposit: not over their after-sale deadline, or sold without a payout
 * decided for the brand yet.
 */
export async function countOpenDepositSessions(db: Conn, brandId: string, now: Date): Promise<number> {
  const open = await sql<{ n: number }>`
    select count(*)::int as n from clearance_sessions s
    where s.brand_id = ${brandId} and s.status <> 'cancelled' and (
      s.after_sale_deadline_at > ${now}
      or (exists (select 1 from order_lines l join orders o on o.id = l.order_id
                  where l.session_id = s.id and o.paid_at is not null)
          and not exists (select 1 from payouts p where p.session_id = s.id and p.payee_id = ${brandId})))`.execute(db)
  return open.rows[0]?.n ?? 0
}

/** The refund of the deposit made when the brand left, if it left. */
export function findExitRefund(db: Conn, brandId: string) {
  return db
    .selectFrom('deposit_actions')
    .select(['id', 'amount_minor', 'payment_id'])
    .where('brand_id', '=', brandId)
    .where('kind', '=', 'exit_refund')
    .executeTakeFirst()
}

/** What was done with a brand's deposit, newest first, with each refund's status. */
export function listDepositActions(db: Conn, brandId: string) {
  return db
    .selectFrom('deposit_actions as a')
    .leftJoin('payment_refunds as r', 'r.id', 'a.payment_refund_id')
    .select(['a.id', 'a.kind', 'a.amount_minor', 'a.currency', 'a.reason', 'a.created_at', 'r.status as refund_status'])
    .where('a.brand_id', '=', brandId)
    .orderBy('a.created_at', 'desc')
    .execute()
}

/** Records a deduction, a netting or a refund of a deposit; returns its id. */
export function insertDepositAction(db: Conn, action: Insertable<DepositActionTable>) {
  return db.insertInto('deposit_actions').values(action).returning('id').executeTakeFirstOrThrow()
}

/** The automatic refund of a duplicate deposit payment, recorded once per payment. */
export async function insertDuplicateRefundAction(db: Conn, action: Insertable<DepositActionTable>) {
  await db
    .insertInto('deposit_actions')
    .values({ ...action, kind: 'duplicate_refund' })
    .onConflict((oc) => oc.column('payment_id').where('kind', '=', 'duplicate_refund').doNothing())
    .execute()
}

/** The provider refund that carries a deposit action's money. */
export async function setDepositActionRefund(db: Conn, actionId: string, refundId: string) {
  await db.updateTable('deposit_actions').set({ payment_refund_id: refundId }).where('id', '=', actionId).execute()
}

/** Every brand (500 at most, by name) with what the platform holds of its deposit and owes it. */
export function listBrandsWithDepositBalances(db: Conn) {
  const owed = (account: 'deposits_held' | 'brand_payable') =>
    sql<string>`(select coalesce(-sum(p.amount_minor), 0) from ledger_postings p
      where p.party_id = b.id and p.account = ${account})`
  return db
    .selectFrom('brands as b')
    .select(['b.id', 'b.name', 'b.name_en', 'b.status', 'b.deposit_paid_at'])
    .select([owed('deposits_held').as('held'), owed('brand_payable').as('payable')])
    .orderBy('b.name')
    .limit(500)
    .execute()
}
