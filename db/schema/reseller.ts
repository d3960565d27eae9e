import type { Generated, Insertable, Selectable } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

export interface ResellerProfileTable {
  user_id: string
  display_name: string
  wechat_id: string | null
  phone: string | null
  markup_kind: 'percent' | 'fixed' | null
  markup_value: number | null
  markup_rounding: Generated<'none' | 'yuan' | 'nine' | 'dot_nine'>
  updated_at: Generated<Date>
}

export interface ResellerPriceTable {
  user_id: string
  session_item_id: string
  retail_price_minor: number
  currency: Generated<string>
  updated_at: Generated<Date>
}

export interface ShareLinkTable {
  id: Generated<string>
  token: string
  user_id: string
  session_id: string
  kind: 'item' | 'list'
  views: Generated<number>
  revoked_at: Timestamp | null
  created_at: CreatedAt
}

export interface ShareLinkItemTable {
  share_link_id: string
  session_item_id: string
  position: Generated<number>
  retail_price_minor: number
  currency: Generated<string>
  views: Generated<number>
}

export type ResellerProfile = Selectable<ResellerProfileTable>
export type NewResellerProfile = Insertable<ResellerProfileTable>
export type ShareLink = Selectable<ShareLinkTable>

export interface ShopHandleTable {
  handle: string
  user_id: string
  is_current: Generated<boolean>
  created_at: CreatedAt
  retired_at: Timestamp | null
}

export interface ShopItemTable {
  user_id: string
  session_item_id: string
  position: number
  added_at: Generated<Date>
}
