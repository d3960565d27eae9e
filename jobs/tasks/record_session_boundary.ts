import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { recordSessionBoundary } from '#app/services/sessions/boundaries.server'
import { SessionBoundaryPayload } from '../payloads'

/** Runs at a session's start and at its end (run_at is the boundary) and records what it saw. */
export function recordSessionBoundaryTask(db: Db): Task {
  return async (payload) => {
    const input = SessionBoundaryPayload.parse(payload)
    await recordSessionBoundary(db, { ...input, now: new Date() })
  }
}
