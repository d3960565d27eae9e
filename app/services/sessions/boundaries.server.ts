import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { fixSessionVipTiers } from '#db/queries/membership'
import { findSessionWindow, insertSessionEvent, markSessionReleased } from '#db/queries/sessions'
import { enqueue } from '#jobs/enqueue'
import { boundaryAt, type Boundary } from '#app/domain/clearance-sessions'
import { releaseUnsold } from './release.server'

/** Enqueues the start and end jobs of a scheduled session at their exact times (replacing earlier ones). */
export async function scheduleSessionBoundaries(db: Conn, session: { id: string; startsAt: Date; endsAt: Date }) {
  for (const kind of ['started', 'ended'] as const) {
    await enqueue(
      db,
      'record_session_boundary',
      { sessionId: session.id, kind },
      {
        runAt: kind === 'started' ? session.startsAt : session.endsAt,
        jobKey: `session_boundary:${session.id}:${kind}`,
      },
    )
  }
}

export type BoundaryOutcome = 'recorded' | 'already_recorded' | 'not_due' | 'not_scheduled' | 'missing'

/**
 * The side effects of a boundary. Live-ness itself is never stored: pages decide it from the clock.
 * A job that fires early (clock skew, manual run) does nothing and reports it.
 */
export async function recordSessionBoundary(
  db: Db,
  input: { sessionId: string; kind: Boundary; now: Date },
): Promise<BoundaryOutcome> {
  const session = await findSessionWindow(db, input.sessionId)
  if (!session) return 'missing'
  const at = boundaryAt(
    { status: session.status, startsAt: session.starts_at, endsAt: session.ends_at },
    input.kind,
    input.now,
  )
  if (at === 'not_scheduled' || at === 'not_due') return at
  if (input.kind === 'started') {
    return db.transaction().execute(async (trx) => {
      const inserted = await insertSessionEvent(trx, {
        sessionId: session.id,
        kind: input.kind,
        scheduledAt: at,
        recordedAt: input.now,
      })
      // The VIP discounts in force now price the session until it ends.
      await fixSessionVipTiers(trx, input.now, session.id)
      return inserted ? ('recorded' as const) : ('already_recorded' as const)
    })
  }
  // the end event and the release of unsold units commit together, so the release happens exactly once.
  return db.transaction().execute(async (trx) => {
    const inserted = await insertSessionEvent(trx, {
      sessionId: session.id,
      kind: input.kind,
      scheduledAt: at,
      recordedAt: input.now,
    })
    if (!inserted) return 'already_recorded' as const
    await releaseUnsold(trx, session.brand_id, session.id)
    await markSessionReleased(trx, session.id, input.now)
    return 'recorded' as const
  })
}
