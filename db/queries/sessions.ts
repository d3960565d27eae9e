import type { Conn } from './conn'

export function findSessionWindow(db: Conn, sessionId: string) {
  return db
    .selectFrom('clearance_sessions')
    .select(['id', 'status', 'starts_at', 'ends_at', 'brand_id'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
}

/** Idempotent: the first recording of a boundary wins. */
export async function insertSessionEvent(
  db: Conn,
  event: { sessionId: string; kind: 'started' | 'ended'; scheduledAt: Date; recordedAt: Date },
) {
  const result = await db
    .insertInto('session_events')
    .values({
      session_id: event.sessionId,
      kind: event.kind,
      scheduled_at: event.scheduledAt,
      recorded_at: event.recordedAt,
    })
    .onConflict((oc) => oc.columns(['session_id', 'kind']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

export function listSessionEvents(db: Conn, sessionId: string) {
  return db
    .selectFrom('session_events')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('scheduled_at')
    .execute()
}
