import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

/** Journal accounts. Liabilities and assets alike carry signed postings: debit > 0, credit < 0. */
export type LedgerAccount =
  | 'provider_cash'
  | 'unapplied_receipts'
  | 'refunds_owed'
  | 'brand_held'
  | 'brand_payable'
  | 'payouts_in_transit'
  | 'deposits_held'
  | 'reseller_pending'
  | 'reseller_available'
  | 'commission_income'
  | 'deposit_deductions'
  | 'other_income'

export interface LedgerEntryTable {
  id: Generated<number>
  /** One entry per business event: posting the same reference twice is a no-op. */
  reference: string
  kind: string
  memo: Generated<string>
  currency: string
  occurred_at: Timestamp
  created_at: CreatedAt
}

export interface LedgerPostingTable {
  id: Generated<number>
  entry_id: number
  account: LedgerAccount
  party_id: string | null
  session_id: string | null
  amount_minor: number
  currency: string
}

export type PayoutProvider = 'stripe' | 'manual'
export type PayoutAccountStatus = 'onboarding' | 'restricted' | 'enabled'

export interface PayoutAccountTable {
  id: Generated<string>
  owner_type: 'brand' | 'reseller'
  owner_id: string
  provider: PayoutProvider
  stripe_account_id: string | null
  status: Generated<PayoutAccountStatus>
  payouts_enabled: Generated<boolean>
  details_submitted: Generated<boolean>
  requirements: Generated<string[]>
  disabled_reason: string | null
  last_event_at: Timestamp | null
  bank_holder: string | null
  bank_name: string | null
  bank_account: string | null
  created_at: CreatedAt
  updated_at: DefaultedTimestamp
}

export interface ConnectEventTable {
  provider_event_id: string
  stripe_account_id: string
  type: string
  created_at_provider: Timestamp
  applied: boolean
  received_at: DefaultedTimestamp
}

export type PayoutStatus = 'due' | 'sent' | 'failed' | 'netted'

export interface PayoutTable {
  id: Generated<string>
  kind: 'brand_session' | 'reseller_withdrawal'
  payee_type: 'brand' | 'reseller'
  payee_id: string
  session_id: string | null
  settlement_id: string | null
  amount_minor: number
  currency: string
  status: Generated<PayoutStatus>
  provider: PayoutProvider | null
  destination: string | null
  transfer_group: string
  attempts: Generated<number>
  provider_transfer_id: string | null
  error: string | null
  exported_at: Timestamp | null
  sent_at: Timestamp | null
  sent_by: string | null
  created_at: Timestamp
  updated_at: DefaultedTimestamp
}

export interface DepositActionTable {
  id: Generated<string>
  brand_id: string
  kind: 'deduction' | 'netting' | 'exit_refund' | 'duplicate_refund'
  amount_minor: number
  currency: string
  reason: string
  payment_id: string | null
  payment_refund_id: string | null
  actor_id: string | null
  created_at: Timestamp
}

export type Payout = Selectable<PayoutTable>
export type PayoutAccount = Selectable<PayoutAccountTable>
