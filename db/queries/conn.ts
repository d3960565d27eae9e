import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema'

/** Query functions take either the pool or a transaction as their first argument. */
export type Conn = Kysely<Database> | Transaction<Database>
