import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Feature schema imports (one per feature, at its marker).
import type { AuditLogTable, PasswordSetupTokenTable } from './schema/onboarding'

import type { PaymentEventTable, PaymentRefundTable, PaymentTable } from './schema/payments'

import type {
  BrandFollowTable,
  CatalogImportTable,
  ProductPhotoTable,
  StockMovementTable,
  CatalogProductColumns,
  CatalogSkuColumns,
  CatalogSessionColumns,
  CatalogSessionItemSkuColumns,
} from './schema/catalog'
// Columns the catalog migration adds to skeleton tables (interface merging keeps the skeleton lines untouched).
export interface ProductTable extends CatalogProductColumns {}
export interface SkuTable extends CatalogSkuColumns {}
export interface ClearanceSessionTable extends CatalogSessionColumns {}
export interface SessionItemSkuTable extends CatalogSessionItemSkuColumns {}

import type {
  GrowthLedgerTable,
  GrowthOrderCreditTable,
  GrowthRefundTable,
  InvitationCodeTable,
  MembershipTable,
  RetentionJudgementTable,
  RetentionRunTable,
  SessionVipTierTable,
  VipTierChangeTable,
  VipTierTable,
} from './schema/membership'

import type {
  AddressTable,
  AfterSaleRequestTable,
  CartLineTable,
  CheckoutIdempotencyKeyTable,
  CheckoutTable,
  MemberSkuTakeTable,
  OrderLineTable,
  OrderRefundTable,
  OrderTable,
  SettlementTable,
} from './schema/orders'

import type { SearchOutboxTable } from './schema/search'

import type {
  ResellerPriceTable,
  ResellerProfileTable,
  ShareLinkItemTable,
  ShareLinkTable,
  ShopHandleTable,
  ShopItemTable,
} from './schema/reseller'

import type {
  CustomerOrderLineTable,
  CustomerOrderTable,
  CustomerSkuTakeTable,
  ResellerPriceAlertTable,
} from './schema/customer-orders'

import type {
  ConnectEventTable,
  DepositActionTable,
  LedgerEntryTable,
  LedgerPostingTable,
  PayoutAccountTable,
  PayoutTable,
} from './schema/payouts'

import type {
  DevMailboxTable,
  EmailOptOutTable,
  MarketingCapUseTable,
  NotificationDeliveryTable,
  NotificationPreferenceTable,
  NotificationSettingsTable,
  NotificationTable,
  PushSubscriptionTable,
  ReminderRequestTable,
  RestockRequestTable,
  SessionReminderRunTable,
  VapidKeyTable,
} from './schema/notifications'

export type Timestamp = ColumnType<Date, Date | string, Date | string>
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type Role = 'operator' | 'brand_staff' | 'member'
export type CategoryCode = 'womens' | 'mens' | 'kids' | 'shoes_bags' | 'jewellery'

export interface BrandApplicationTable {
  id: Generated<string>
  company_name: string
  contact_name: string
  contact_phone: string
  contact_email: string
  annual_sales_minor: number
  currency: Generated<string>
  offline_stores: number
  categories: string[]
  status: Generated<'pending' | 'approved' | 'rejected'>
  reject_reason: string | null
  reviewed_at: Timestamp | null
  created_at: CreatedAt
}

export interface BrandTable {
  id: Generated<string>
  application_id: string | null
  slug: string
  name: string
  name_en: string
  status: Generated<'awaiting_deposit' | 'live' | 'suspended'>
  commission_bps: Generated<number>
  deposit_paid_at: Timestamp | null
  created_at: CreatedAt
}

export interface UserTable {
  id: Generated<string>
  email: string | null
  phone: string | null
  password_hash: string
  role: Role
  brand_id: string | null
  display_name: string
  vip_level: Generated<number>
  created_at: CreatedAt
}

export interface UserSessionTable {
  id: string
  user_id: string
  created_at: CreatedAt
  expires_at: Timestamp
}

export interface SignInFailureTable {
  id: Generated<number>
  throttle_key: string
  failed_at: Generated<Date>
}

export interface ProductTable {
  id: Generated<string>
  brand_id: string
  title: string
  title_en: Generated<string>
  description: Generated<string>
  /** English description, null when none. */
  description_en: Generated<string | null>
  category: CategoryCode
  tag_price_minor: number
  currency: Generated<string>
  tag_cut: Generated<boolean>
  image_seed: string
  created_at: CreatedAt
}

export interface SkuTable {
  id: Generated<string>
  product_id: string
  size: string
  colour: string
  /** English names of the size and colour ('' when none: shown as written). */
  size_en: Generated<string>
  colour_en: Generated<string>
  barcode: string
  stock_on_hand: Generated<number>
}

export interface ClearanceSessionTable {
  id: Generated<string>
  brand_id: string
  title: string
  title_en: Generated<string>
  banner_seed: string
  status: Generated<'draft' | 'scheduled' | 'cancelled'>
  starts_at: Timestamp
  ends_at: Timestamp
  after_sale_deadline_at: Timestamp
  created_at: CreatedAt
}

export interface SessionItemTable {
  id: Generated<string>
  session_id: string
  product_id: string
  base_price_minor: number
  currency: Generated<string>
  min_retail_price_minor: number | null
  per_member_cap: number | null
  position: Generated<number>
}

export interface SessionItemSkuTable {
  id: Generated<string>
  session_item_id: string
  sku_id: string
  allocated: number
  available: number
}

export interface SessionEventTable {
  session_id: string
  kind: 'started' | 'ended'
  scheduled_at: Timestamp
  recorded_at: Generated<Date>
}

export interface Database {
  brand_applications: BrandApplicationTable
  brands: BrandTable
  users: UserTable
  user_sessions: UserSessionTable
  sign_in_failures: SignInFailureTable
  products: ProductTable
  skus: SkuTable
  clearance_sessions: ClearanceSessionTable
  session_items: SessionItemTable
  session_item_skus: SessionItemSkuTable
  session_events: SessionEventTable

  // Feature tables: interfaces in ./schema/<feature>.ts, one block per feature at its marker.
  password_setup_tokens: PasswordSetupTokenTable
  audit_log: AuditLogTable

  payments: PaymentTable
  payment_events: PaymentEventTable
  payment_refunds: PaymentRefundTable

  stock_movements: StockMovementTable
  brand_follows: BrandFollowTable
  catalog_imports: CatalogImportTable
  product_photos: ProductPhotoTable

  vip_tiers: VipTierTable
  session_vip_tiers: SessionVipTierTable
  vip_tier_changes: VipTierChangeTable
  invitation_codes: InvitationCodeTable
  memberships: MembershipTable
  growth_ledger: GrowthLedgerTable
  growth_order_credits: GrowthOrderCreditTable
  growth_refunds: GrowthRefundTable
  retention_runs: RetentionRunTable
  retention_judgements: RetentionJudgementTable

  addresses: AddressTable
  cart_lines: CartLineTable
  member_sku_takes: MemberSkuTakeTable
  checkouts: CheckoutTable
  checkout_idempotency_keys: CheckoutIdempotencyKeyTable
  orders: OrderTable
  order_lines: OrderLineTable
  after_sale_requests: AfterSaleRequestTable
  order_refunds: OrderRefundTable
  settlements: SettlementTable

  search_outbox: SearchOutboxTable

  reseller_profiles: ResellerProfileTable
  reseller_prices: ResellerPriceTable
  shop_handles: ShopHandleTable
  shop_items: ShopItemTable
  share_links: ShareLinkTable
  share_link_items: ShareLinkItemTable

  customer_orders: CustomerOrderTable
  customer_order_lines: CustomerOrderLineTable
  customer_sku_takes: CustomerSkuTakeTable
  reseller_price_alerts: ResellerPriceAlertTable

  ledger_entries: LedgerEntryTable
  ledger_postings: LedgerPostingTable
  payout_accounts: PayoutAccountTable
  connect_events: ConnectEventTable
  payouts: PayoutTable
  deposit_actions: DepositActionTable
  notifications: NotificationTable
  notification_deliveries: NotificationDeliveryTable
  notification_preferences: NotificationPreferenceTable
  notification_settings: NotificationSettingsTable
  email_opt_outs: EmailOptOutTable
  marketing_cap_uses: MarketingCapUseTable
  push_subscriptions: PushSubscriptionTable
  vapid_keys: VapidKeyTable
  dev_mailbox: DevMailboxTable
  reminder_requests: ReminderRequestTable
  restock_requests: RestockRequestTable
  session_reminder_runs: SessionReminderRunTable
}

export type User = Selectable<UserTable>
export type NewUser = Insertable<UserTable>
export type Brand = Selectable<BrandTable>
export type NewBrand = Insertable<BrandTable>
export type Product = Selectable<ProductTable>
export type NewProduct = Insertable<ProductTable>
export type Sku = Selectable<SkuTable>
export type NewSku = Insertable<SkuTable>
export type ClearanceSession = Selectable<ClearanceSessionTable>
export type NewClearanceSession = Insertable<ClearanceSessionTable>
export type ClearanceSessionUpdate = Updateable<ClearanceSessionTable>
export type SessionItem = Selectable<SessionItemTable>
export type NewSessionItem = Insertable<SessionItemTable>
export type SessionItemSku = Selectable<SessionItemSkuTable>
