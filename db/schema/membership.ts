import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** A `date` column: read as the 'YYYY-MM-DD' string (postgres.js returns Date; we cast in SQL where needed). */
type DateColumn = ColumnType<Date, Date | string, Date | string>

export type GrowthReason = 'purchase' | 'refund' | 'invite_bonus' | 'retention_reset' | 'operator_grant'

export interface VipTierTable {
  level: number
  threshold_points: number
  discount_bps: number
  keep_points_per_month: number | null
  updated_at: Generated<Date>
}

/** The VIP discounts a session is priced with, fixed when it went live. */
export interface SessionVipTierTable {
  session_id: string
  level: number
  discount_bps: number
}

export interface VipTierChangeTable {
  id: Generated<number>
  operator_id: string
  before: unknown
  after: unknown
  note: string
  created_at: CreatedAt
}

export interface InvitationCodeTable {
  id: Generated<string>
  code: string
  kind: 'personal' | 'campaign'
  owner_id: string | null
  max_uses: number | null
  uses: Generated<number>
  expires_at: Timestamp | null
  note: Generated<string>
  created_by: string | null
  created_at: CreatedAt
}

export interface MembershipTable {
  member_id: string
  invited_by: string | null
  invitation_code_id: string | null
  level_since: Timestamp
  created_at: CreatedAt
}

export interface GrowthLedgerTable {
  id: Generated<number>
  member_id: string
  delta: number
  reason: GrowthReason
  order_id: string | null
  refund_id: string | null
  invitee_id: string | null
  retention_month: DateColumn | null
  operator_id: string | null
  note: Generated<string>
  created_at: Timestamp
}

export interface GrowthOrderCreditTable {
  order_id: string
  member_id: string
  paid_goods_minor: number
  points_credited: number
  refunded_goods_minor: Generated<number>
  points_revoked: Generated<number>
  created_at: Timestamp
}

export interface GrowthRefundTable {
  refund_id: string
  order_id: string
  refunded_goods_minor: number
  points_revoked: number
  created_at: Timestamp
}

export interface RetentionRunTable {
  month: DateColumn
  started_at: Timestamp
  finished_at: Timestamp | null
  judged: Generated<number>
  dropped: Generated<number>
}

export interface RetentionJudgementTable {
  month: DateColumn
  member_id: string
  from_level: number
  to_level: number
  earned_points: number
  keep_points: number | null
  judged_at: Timestamp
}

export type InvitationCode = Selectable<InvitationCodeTable>
export type NewInvitationCode = Insertable<InvitationCodeTable>
export type GrowthLedgerRow = Selectable<GrowthLedgerTable>
