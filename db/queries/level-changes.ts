import type { Conn } from './conn'

/**
 * The member's latest change of level, as the level-changed notification recorded it (data: from/to labels;
 * the monthly judgement's dedupe key starts with `retention:`).
 */
export function latestLevelChange(db: Conn, memberId: string) {
  return db
    .selectFrom('notifications')
    .select(['data', 'dedupe_key', 'created_at'])
    .where('recipient_id', '=', memberId)
    .where('event', '=', 'level_changed')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}
