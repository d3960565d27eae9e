import { Kysely } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'
import postgres from 'postgres'
import type { Database } from './schema'

export type Db = Kysely<Database>

// int8 (sums, counts) arrives as text; money sums must stay exact, so refuse what a JS number can't hold.
function parseInt8(value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`)
  return n
}

export function createDb(url: string, options: { max?: number } = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], parse: parseInt8, serialize: (v: number) => String(v) },
    },
  })
  return new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) })
}
