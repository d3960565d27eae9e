import type { ColumnType, Generated, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json<T> = ColumnType<T, string, string>

export interface ShipTo {
  recipient: string
  phone: string
  region: string
  line: string
  kind: 'own' | 'customer'
}

export type CheckoutStatus = 'pending_payment' | 'paid' | 'cancelled' | 'expired'
export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'received' | 'completed' | 'cancelled' | 'refunded'

export interface AddressTable {
  id: Generated<string>
  member_id: string
  kind: 'own' | 'customer'
  recipient: string
  phone: string
  region: string
  line: string
  /** Division codes (GB/T 2260); null on addresses saved before the region was picked from the list. */
  province_code: string | null
  city_code: string | null
  district_code: string | null
  is_default: Generated<boolean>
  archived_at: Timestamp | null
  updated_at: Timestamp | null
  created_at: CreatedAt
}

export interface CartLineTable {
  member_id: string
  session_item_sku_id: string
  quantity: number
  created_at: CreatedAt
  updated_at: Generated<Date>
}

export interface MemberSkuTakeTable {
  member_id: string
  session_item_sku_id: string
  taken: number
}

/** The answer given to a member's Idempotency-Key on POST /api/checkout, given again for the same key. */
export interface CheckoutIdempotencyKeyTable {
  member_id: string
  key: string
  /** The request the key was first used for, in canonical form. */
  fingerprint: string
  checkout_id: string | null
  status: number
  answer: Json<unknown>
  created_at: CreatedAt
}

export interface CheckoutTable {
  id: Generated<string>
  member_id: string
  status: Generated<CheckoutStatus>
  total_minor: number
  /** Units on its lines, written with it (the open-hold limit reads them here). */
  units: Generated<number>
  currency: Generated<string>
  address_id: string | null
  ship_to: Json<ShipTo>
  drop_ship: Generated<boolean>
  expires_at: Timestamp
  payment_id: string | null
  paid_at: Timestamp | null
  closed_at: Timestamp | null
  late_payment_id: string | null
  late_paid_at: Timestamp | null
  late_refund_id: string | null
  created_at: CreatedAt
}

export interface OrderTable {
  id: Generated<string>
  checkout_id: string
  member_id: string
  brand_id: string
  status: Generated<OrderStatus>
  goods_minor: number
  refunded_minor: Generated<number>
  currency: Generated<string>
  ship_to: Json<ShipTo>
  drop_ship: Generated<boolean>
  paid_at: Timestamp | null
  ship_by_at: Timestamp | null
  carrier: string | null
  tracking_no: string | null
  shipped_at: Timestamp | null
  late_flagged_at: Timestamp | null
  received_at: Timestamp | null
  completed_at: Timestamp | null
  cancelled_at: Timestamp | null
  created_at: CreatedAt
}

export interface OrderLineTable {
  id: Generated<string>
  order_id: string
  session_id: string
  session_item_sku_id: string
  sku_id: string
  product_id: string
  title: string
  size: string
  colour: string
  quantity: number
  unit_price_minor: number
  refunded_quantity: Generated<number>
  refunded_minor: Generated<number>
}

export interface AfterSaleLine {
  orderLineId: string
  quantity: number
}

export interface AfterSaleRequestTable {
  id: Generated<string>
  order_id: string
  member_id: string
  kind: 'refund' | 'return_refund'
  reason: string
  photos: Generated<string[]>
  /** The lines and quantities the member asked about; null: the whole order. */
  lines: ColumnType<AfterSaleLine[] | null, string | null | undefined, string | null>
  status: Generated<'open' | 'approved' | 'rejected'>
  decision_note: string | null
  decided_by: string | null
  decided_at: Timestamp | null
  created_at: CreatedAt
}

export interface RefundLine {
  orderLineId: string
  quantity: number
  amountMinor: number
}

export interface OrderRefundTable {
  id: Generated<string>
  order_id: string
  after_sale_request_id: string | null
  amount_minor: number
  goods_minor: number
  currency: Generated<string>
  lines: Json<RefundLine[]>
  reason: string
  status: Generated<'pending' | 'succeeded' | 'failed'>
  provider_refund_id: string | null
  error: string | null
  created_at: CreatedAt
  settled_at: Timestamp | null
}

export interface SettlementTable {
  id: Generated<string>
  brand_id: string
  session_id: string
  paid_minor: number
  refunded_minor: number
  commission_bps: number
  commission_minor: number
  payable_minor: number
  currency: Generated<string>
  order_count: number
  created_at: CreatedAt
}

export type Checkout = Selectable<CheckoutTable>
export type Order = Selectable<OrderTable>
export type OrderLine = Selectable<OrderLineTable>
export type Address = Selectable<AddressTable>
export type AfterSaleRequest = Selectable<AfterSaleRequestTable>
export type OrderRefund = Selectable<OrderRefundTable>
export type Settlement = Selectable<SettlementTable>
