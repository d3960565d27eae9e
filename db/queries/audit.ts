import { sql } from 'kysely'
import type { Conn } from './conn'

export interface AuditEntry {
  actorId: string | null
  action: string
  targetType: string
  targetId: string
  details?: Record<string, unknown>
}

export async function insertAudit(db: Conn, e: AuditEntry & { at?: Date }) {
  return db
    .insertInto('audit_log')
    .values({
      actor_id: e.actorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      // The object itself: postgres.js encodes it for the jsonb column (the check constraint refuses a JSON string).
      details: e.details ?? {},
      ...(e.at ? ({ created_at: e.at } as never) : {}),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
}

export interface AuditFilter {
  action?: string
  targetType?: string
  targetId?: string
  actor?: string
  limit: number
  offset: number
}

export function listAudit(db: Conn, f: AuditFilter) {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.actor_id',
      'a.action',
      'a.target_type',
      'a.target_id',
      'a.details',
      'a.created_at',
      'u.display_name as actor_name',
      'u.email as actor_email',
    ])
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)
  if (f.targetType) q = q.where('a.target_type', '=', f.targetType)
  if (f.targetId) q = q.where('a.target_id', '=', f.targetId)
  if (f.actor) {
    const like = `%${f.actor.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('u.display_name', 'ilike', like), eb(sql<string>`u.email::text`, 'ilike', like)]))
  }
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).offset(f.offset).execute()
}

export function distinctAuditActions(db: Conn) {
  return db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
}

export async function countAudit(db: Conn): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
