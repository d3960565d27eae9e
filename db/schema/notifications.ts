import type { Generated } from 'kysely'
import type { CreatedAt, Timestamp } from '../schema'

export type NotificationCategory = 'marketing' | 'transactional'
export type NotificationChannel = 'inbox' | 'email' | 'push'
export type DeliveryChannel = 'email' | 'push'
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped'

export interface NotificationTable {
  id: Generated<string>
  event: string
  recipient_id: string | null
  recipient_email: string | null
  recipient_locale: Generated<'zh-CN' | 'en'>
  dedupe_key: string
  category: NotificationCategory
  data: Generated<unknown>
  link: string | null
  show_at: Timestamp
  read_at: Timestamp | null
  created_at: CreatedAt
}

export interface NotificationDeliveryTable {
  id: Generated<number>
  notification_id: string
  channel: DeliveryChannel
  status: Generated<DeliveryStatus>
  due_at: Timestamp
  attempts: Generated<number>
  claimed_at: Timestamp | null
  finished_at: Timestamp | null
  outcome: string | null
  created_at: CreatedAt
}

export interface NotificationPreferenceTable {
  user_id: string
  event: string
  channel: NotificationChannel
  enabled: boolean
  updated_at: Generated<Date>
}

export interface NotificationSettingsTable {
  user_id: string
  quiet_start_minute: number
  quiet_end_minute: number
  quiet_enabled: Generated<boolean>
  updated_at: Generated<Date>
}

export interface EmailOptOutTable {
  email: string
  event: string
  created_at: CreatedAt
}

export interface MarketingCapUseTable {
  user_id: string
  day: string
  notification_id: string
}

export interface PushSubscriptionTable {
  id: Generated<string>
  user_id: string
  endpoint: string
  p256dh: string
  auth: string
  created_at: CreatedAt
}

export interface VapidKeyTable {
  id: Generated<number>
  public_key: string
  private_key: string
  created_at: CreatedAt
}

export interface DevMailboxTable {
  id: Generated<number>
  to_address: string
  subject: string
  text_body: string
  html_body: string
  headers: Generated<unknown>
  raw: string
  created_at: CreatedAt
}

export interface ReminderRequestTable {
  user_id: string
  session_id: string
  session_item_id: string | null
  created_at: CreatedAt
}

export interface RestockRequestTable {
  user_id: string
  session_item_sku_id: string
  created_at: Timestamp
  notified_at: Timestamp | null
}

export interface SessionReminderRunTable {
  session_id: string
  starts_at: Timestamp
  recipients: number
  planned_at: Generated<Date>
}
