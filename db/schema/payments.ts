import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

/** A timestamp the database fills by default but the app may set (it passes `now`). */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

export type PaymentPurpose = 'brand_deposit' | 'order' | 'customer_order'
export type PaymentProviderName = 'stripe' | 'test'
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired' | 'refunded' | 'partially_refunded'
export type RefundStatus = 'pending' | 'succeeded' | 'failed'

export interface PaymentTable {
  id: Generated<string>
  purpose: PaymentPurpose
  reference_id: string
  /** Null for a customer's payment (customers have no account). */
  payer_user_id: string | null
  amount_minor: number
  currency: string
  description: Generated<string>
  provider: PaymentProviderName
  /** Checkout Session id (Stripe) or the payment id (test provider). */
  provider_ref: string | null
  /** Stripe PaymentIntent id, known once the session completes; refunds go through it. */
  provider_payment_ref: string | null
  success_path: string
  cancel_path: string
  status: Generated<PaymentStatus>
  refunded_minor: Generated<number>
  paid_at: Timestamp | null
  created_at: CreatedAt
  updated_at: DefaultedTimestamp
}

export interface PaymentEventTable {
  id: Generated<number>
  provider_event_id: string
  payment_id: string
  type: string
  received_at: DefaultedTimestamp
}

export interface PaymentRefundTable {
  id: Generated<string>
  payment_id: string
  amount_minor: number
  idempotency_key: string
  reason: string | null
  provider_ref: string | null
  status: Generated<RefundStatus>
  created_at: CreatedAt
  updated_at: DefaultedTimestamp
}

export type Payment = Selectable<PaymentTable>
export type NewPayment = Insertable<PaymentTable>
export type PaymentRefund = Selectable<PaymentRefundTable>
