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

/** A session's SKUs with units still for sale, locked until the transaction ends. */
export function lockUnsoldSkus(db: Conn, sessionId: string) {
  return db
    .selectFrom('session_item_skus as x')
    .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
    .select(['x.id', 'x.available'])
    .where('i.session_id', '=', sessionId)
    .where('x.available', '>', 0)
    .forUpdate()
    .execute()
}

/** Moves what these SKUs still have for sale to their released count. */
export async function releaseAvailable(db: Conn, sessionItemSkuIds: string[]) {
  if (!sessionItemSkuIds.length) return
  await db
    .updateTable('session_item_skus')
    .set((eb) => ({ released: eb('released', '+', eb.ref('available')), available: 0 }))
    .where('id', 'in', sessionItemSkuIds)
    .execute()
}

/** When the session's unsold units went back to the brand. */
export async function markSessionReleased(db: Conn, sessionId: string, now: Date) {
  await db.updateTable('clearance_sessions').set({ released_at: now }).where('id', '=', sessionId).execute()
}
