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

// The postgres.js client under each Kysely instance, for the one place that pipelines statements (postgresClientOf).
const clients = new WeakMap<Db, postgres.Sql>()

/** The postgres.js client a Db was built on (every Db here comes from createDb). */
export function postgresClientOf(db: Db): postgres.Sql {
  const client = clients.get(db)
  if (!client) throw new Error('this Db was not built by createDb: no postgres.js client to pipeline on')
  return client
}

/**
 * How long destroy() lets statements under way finish before it closes the connections anyway. postgres.js's
 * end() without a timeout can wait for ever on a connection Kysely reserved (porsager/postgres#925), and a stopping
 * server or a test's teardown must not hang on it.
 */
export const END_GRACE_SECONDS = 5

export function createDb(url: string, options: { max?: number; endGraceSeconds?: number } = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], parse: parseInt8, serialize: (v: number) => String(v) },
    },
  })
  const grace = options.endGraceSeconds ?? END_GRACE_SECONDS
  // The dialect calls only reserve() and end(); end is given its bound here.
  const bounded = new Proxy(sql, {
    get: (target, key, receiver) =>
      key === 'end'
        ? (o?: { timeout?: number }) => target.end({ timeout: grace, ...o })
        : Reflect.get(target, key, receiver),
  })
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: bounded }) })
  clients.set(db, sql)
  return db
}
