import type { RawBuilder } from 'kysely'
import type postgres from 'postgres'
import { postgresClientOf, type Db } from '#db/client'
import type { Run } from './pipeline.server'

/**
 * A transaction on one reserved postgres.js connection whose statements go out without waiting for the previous
 * answer (Kysely's transactions wait for each, and under the hot rows' locks every round trip costs every buyer
 * in the batch). PostgreSQL still runs them in order, and after an error refuses everything until the rollback.
 */
export async function pipelinedTransaction<T>(db: Db, body: (run: Run) => Promise<T>): Promise<T> {
  const conn = await postgresClientOf(db).reserve()
  try {
    // Sent now (postgres.js sends a query when it is first awaited or executed, in that order), so BEGIN goes out
    // ahead of the body's first statements. Every statement is written to the socket at once (`flush`, patches/):
    // postgres.js otherwise holds writes under 1 KB until the event loop's next check phase, so a small last
    // statement (a COMMIT, a member's reads) waited for the check phase, behind every request the server had read
    // in that turn.
    const now = { flush: true }
    const begin = conn.unsafe('begin', [], now).execute()
    // COMMIT, once sent: right behind the body's last statement, without waiting for its answer. After an error
    // PostgreSQL answers that COMMIT with a rollback, so a last statement that fails commits nothing.
    let commit: Promise<unknown> | null = null
    const run: Run = async <R>(q: RawBuilder<R>, options?: { planned?: 'each time'; last?: boolean }) => {
      if (commit) throw new Error('checkout: a statement after the transaction’s last one')
      const { sql: text, parameters } = q.compile(db)
      const params = [...parameters] as postgres.ParameterOrJSON<never>[]
      // An unnamed statement is planned for its parameters each time; a prepared one may keep a generic plan.
      const query = conn.unsafe(text, params, { prepare: options?.planned !== 'each time', ...now }).execute()
      if (options?.last) {
        commit = conn.unsafe('commit', [], now).execute()
        // Awaited below; a connection that fails must not make it an unhandled rejection meanwhile.
        commit.catch(() => {})
      }
      return [...(await query)] as R[]
    }
    let result: T
    try {
      ;[, result] = await Promise.all([begin, body(run)])
    } catch (error) {
      if (commit) await (commit as Promise<unknown>).catch(() => {})
      else await conn.unsafe('rollback', [], now).catch(() => {})
      throw error
    }
    // Nobody hears "accepted" before COMMIT has returned.
    await (commit ?? conn.unsafe('commit', [], now))
    return result
  } finally {
    conn.release()
  }
}

/** The same statements on a Kysely transaction the caller already has open (each planned as Kysely's driver does). */
export const runOn =
  (trx: { executeQuery: Db['executeQuery'] }): Run =>
  async <R>(q: RawBuilder<R>) =>
    (await q.execute(trx as Db)).rows
