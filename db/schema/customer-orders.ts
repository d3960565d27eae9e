import type { Generated, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

export type CustomerOrderSource = 'share' | 'shop'

export interface CustomerOrderTable {
  id: Generated<string>
  checkout_id: string
  reseller_id: string
  token: string
  name: string
  phone: string
  email: string | null
  region: string
  line: string
  share_link_id: string | null
  source: CustomerOrderSource
  client_key: string
  idempotency_key: string
  retail_total_minor: number
  currency: Generated<string>
  /** The language she ordered in: her e-mails lead with it. */
  locale: Generated<'zh-CN' | 'en'>
  created_at: CreatedAt
}

export interface CustomerOrderLineTable {
  order_line_id: string
  customer_order_id: string
  retail_unit_minor: number
  own_unit_minor: number
}

export interface CustomerSkuTakeTable {
  phone: string
  session_item_sku_id: string
  taken: number
}

export type PriceAlertReason = 'below_min_retail' | 'below_own_price'

export interface ResellerPriceAlertTable {
  reseller_id: string
  session_item_id: string
  reason: PriceAlertReason
  retail_price_minor: number
  refused: Generated<number>
  last_at: Timestamp
}

export type CustomerOrder = Selectable<CustomerOrderTable>
