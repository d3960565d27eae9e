import { sql } from 'kysely'
import type { Conn } from './conn'
import type { LedgerAccount } from '#db/schema/payouts'

/** A party's signed balance on each of `accounts` it has postings on (sums as text: bigint). */
export function partyAccountTotals(db: Conn, partyId: string, accounts: LedgerAccount[]) {
  return db
    .selectFrom('ledger_postings')
    .select(['account', sql<string>`sum(amount_minor)`.as('total')])
    .where('party_id', '=', partyId)
    .where('account', 'in', accounts)
    .groupBy('account')
    .execute()
}

/** A journal entry with its postings, once per reference; false when the reference was already posted. */
export async function insertEntry(
  db: Conn,
  entry: {
    reference: string
    kind: string
    memo: string
    currency: string
    occurredAt: Date
    postings: Array<{ account: LedgerAccount; partyId?: string | null; sessionId?: string | null; amountMinor: number }>
  },
): Promise<boolean> {
  const row = await db
    .insertInto('ledger_entries')
    .values({
      reference: entry.reference,
      kind: entry.kind,
      memo: entry.memo,
      currency: entry.currency,
      occurred_at: entry.occurredAt,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return false
  await db
    .insertInto('ledger_postings')
    .values(
      entry.postings.map((p) => ({
        entry_id: row.id,
        account: p.account,
        party_id: p.partyId ?? null,
        session_id: p.sessionId ?? null,
        amount_minor: p.amountMinor,
        currency: entry.currency,
      })),
    )
    .execute()
  return true
}

/** Whether an entry with this reference is in the journal. */
export async function entryExists(db: Conn, reference: string): Promise<boolean> {
  return !!(await db.selectFrom('ledger_entries').select('id').where('reference', '=', reference).executeTakeFirst())
}

/** Signed total (debit > 0) of an account's postings, optionally of one party and/or session. */
export async function accountTotal(
  db: Conn,
  v: { account: LedgerAccount; partyId?: string; sessionId?: string },
): Promise<number> {
  let q = db
    .selectFrom('ledger_postings')
    .select(sql<string>`coalesce(sum(amount_minor), 0)`.as('total'))
    .where('account', '=', v.account)
  if (v.partyId) q = q.where('party_id', '=', v.partyId)
  if (v.sessionId) q = q.where('session_id', '=', v.sessionId)
  const r = await q.executeTakeFirstOrThrow()
  return Number(r.total)
}

/** A brand, with the payment that made its deposit. */
export function findBrandDeposit(db: Conn, brandId: string) {
  return db.selectFrom('brands').select(['id', 'deposit_payment_id']).where('id', '=', brandId).executeTakeFirst()
}

/** A checkout, with the payment it took. */
export function findCheckoutPayment(db: Conn, checkoutId: string) {
  return db.selectFrom('checkouts').select(['id', 'payment_id']).where('id', '=', checkoutId).executeTakeFirst()
}

/** A checkout's goods value per brand and session (sums as text: bigint). */
export function checkoutGoodsBySession(db: Conn, checkoutId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('order_lines as l', 'l.order_id', 'o.id')
    .select(['o.brand_id', 'l.session_id', sql<string>`sum(l.quantity * l.unit_price_minor)`.as('goods')])
    .where('o.checkout_id', '=', checkoutId)
    .groupBy(['o.brand_id', 'l.session_id'])
    .execute()
}

/** Order lines with their session, brand and currency. */
export function linesWithBrand(db: Conn, orderLineIds: string[]) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['l.id', 'l.session_id', 'o.brand_id', 'o.currency'])
    .where('l.id', 'in', orderLineIds)
    .execute()
}

/** A brand's settlement of a session, if it was written. */
export function findSettlement(db: Conn, brandId: string, sessionId: string) {
  return db
    .selectFrom('settlements')
    .select(['paid_minor', 'commission_bps'])
    .where('brand_id', '=', brandId)
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
}

/** What the brand's paid orders refunded in a session so far. */
export async function refundedInSession(db: Conn, brandId: string, sessionId: string): Promise<number> {
  const r = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(sql<string>`coalesce(sum(l.refunded_minor), 0)`.as('total'))
    .where('l.session_id', '=', sessionId)
    .where('o.brand_id', '=', brandId)
    .where('o.paid_at', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(r.total)
}

/** The refunds-owed postings of the entry with this reference. */
export function owedPostings(db: Conn, reference: string) {
  return db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .select(['p.session_id', 'p.amount_minor'])
    .where('e.reference', '=', reference)
    .where('p.account', '=', 'refunds_owed')
    .execute()
}

/** Debits and credits of each account under one key (a day or a session); sums as text (bigint). */
export interface PostingSums {
  key: string | null
  account: LedgerAccount
  debits: string
  credits: string
}

/** Debits and credits per day (in `timeZone`) and account of the entries since `since`. */
export async function postingSumsByDay(db: Conn, since: Date, timeZone: string): Promise<PostingSums[]> {
  const r = await sql<PostingSums>`
    select to_char(e.occurred_at at time zone ${timeZone}, 'YYYY-MM-DD') as key, p.account,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0) as debits,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0) as credits
    from ledger_postings p join ledger_entries e on e.id = p.entry_id
    where e.occurred_at >= ${since}
    group by 1, 2`.execute(db)
  return r.rows
}

/** Debits and credits per session (null: postings of no session) and account, all time. */
export async function postingSumsBySession(db: Conn): Promise<PostingSums[]> {
  const r = await sql<PostingSums>`
    select p.session_id::text as key, p.account,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0) as debits,
      coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0) as credits
    from ledger_postings p
    group by 1, 2`.execute(db)
  return r.rows
}

/** Sessions' titles with their brand's name, for report rows. */
export function sessionLabels(db: Conn, sessionIds: string[]) {
  if (!sessionIds.length) return Promise.resolve([])
  return db
    .selectFrom('clearance_sessions as s')
    .innerJoin('brands as b', 'b.id', 's.brand_id')
    .select(['s.id', 's.title', 's.title_en', 'b.name as brand_name', 'b.name_en as brand_name_en'])
    .where('s.id', 'in', sessionIds)
    .execute()
}
