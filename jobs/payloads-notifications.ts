import { z } from 'zod'

// Notification tasks run from the crontab (payload `{ _cron: … }`) or from notify() (`{}`); nothing else is read.
export const NotificationTaskPayload = z.object({}).passthrough()

declare module './payloads' {
  interface TaskPayloads {
    deliver_notifications: Record<string, never>
    plan_session_reminders: Record<string, never>
    check_restocks: Record<string, never>
    warn_late_orders: Record<string, never>
    remind_keep_level: Record<string, never>
    check_reseller_prices: Record<string, never>
  }
}
