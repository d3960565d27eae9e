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
