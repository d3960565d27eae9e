import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { insertAudit, listAudit as listAuditRows, distinctAuditActions } from '#db/queries/audit'

export interface AuditInput {
  /** The operator (or other user) who acted; null for the system (e.g. a payment webhook). */
  actorId: string | null
  /** `<area>.<verb>`, lower snake case: application.approve, brand.suspend, … */
  action: string
  targetType: string
  targetId: string
  /** A plain object; stored as a jsonb object (never a JSON string). */
  details?: Record<string, unknown>
}

/** Writes one audit_log row. Call it with the transaction of the change it records. */
export function recordAudit(trx: Conn, entry: AuditInput) {
  return insertAudit(trx, entry)
}

export const AUDIT_PAGE_SIZE = 50

export async function auditPage(
  db: Db,
  f: { action?: string; targetType?: string; targetId?: string; actor?: string; page: number },
) {
  const [rows, actions] = await Promise.all([
    listAuditRows(db, { ...f, limit: AUDIT_PAGE_SIZE + 1, offset: (f.page - 1) * AUDIT_PAGE_SIZE }),
    distinctAuditActions(db),
  ])
  return {
    entries: rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorName: r.actor_name ?? null,
      actorEmail: r.actor_email ?? null,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
      createdAt: r.created_at.toISOString(),
    })),
    hasMore: rows.length > AUDIT_PAGE_SIZE,
    actions: actions.map((a) => a.action),
  }
}
