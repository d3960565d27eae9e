import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

// Columns the onboarding migration adds to the skeleton's brand_applications and brands
// (interface merging keeps the skeleton's declarations untouched).
declare module '../schema' {
  interface BrandApplicationTable {
    brand_name: string | null
    status_token_hash: string | null
    reviewed_by: string | null
    brand_id: string | null
  }
  interface BrandTable {
    status_reason: string | null
    status_changed_at: Timestamp | null
    deposit_amount_minor: number | null
    deposit_currency: string | null
    deposit_payment_id: string | null
  }
}

export interface PasswordSetupTokenTable {
  token_hash: string
  user_id: string
  expires_at: Timestamp
  used_at: Timestamp | null
  created_at: CreatedAt
}

export interface AuditLogTable {
  id: Generated<number>
  actor_id: string | null
  action: string
  target_type: string
  target_id: string
  details: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, never>
  created_at: CreatedAt
}

export type AuditLogRow = Selectable<AuditLogTable>
