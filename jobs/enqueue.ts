import { sql, type RawBuilder } from 'kysely'
import type { Conn } from '#db/queries/conn'
import type { TaskId, TaskPayloads } from './payloads'

export interface EnqueueOptions {
  runAt?: Date
  /** Deduplicates: a later add with the same key replaces the pending job. */
  jobKey?: string
  maxAttempts?: number
}

/**
 * Adds a job through SQL on the caller's connection, so inside a transaction the job
 * exists only if the transaction commits.
 */
export async function enqueue<T extends TaskId>(
  db: Conn,
  task: T,
  payload: TaskPayloads[T],
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`select ${enqueueCall(task, payload, options)}`.execute(db)
}

/** The same add as an expression, for a statement that adds its job itself (the checkout's one-statement write). */
export function enqueueCall<T extends TaskId>(
  task: T,
  payload: TaskPayloads[T],
  options: EnqueueOptions = {},
): RawBuilder<unknown> {
  return sql`graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::text::json,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
    job_key => ${options.jobKey ?? null}::text,
    max_attempts => ${options.maxAttempts ?? 25}::int
  )`
}
