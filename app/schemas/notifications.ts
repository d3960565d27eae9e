import { z } from 'zod'

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'notifications.settings.badClock')

export const NotificationSettingsSchema = z.object({
  on: z
    .array(z.string().regex(/^[a-z_]{2,60}\.(email|push)$/))
    .max(200)
    .default([]),
  quietEnabled: z.literal('on').optional(),
  quietStart: clock,
  quietEnd: clock,
})

export const PushSubscriptionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('push-subscribe'),
    endpoint: z
      .string()
      .url()
      .max(1000)
      .regex(/^https:\/\//, 'https endpoint'),
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
    auth: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/),
  }),
  z.object({ intent: z.literal('push-unsubscribe'), endpoint: z.string().max(1000).optional() }),
])

export const ReminderSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.enum(['remind', 'cancel']),
    sessionId: z.string().uuid(),
    itemId: z.string().uuid().optional(),
    redirectTo: z.string().max(500).optional(),
  }),
  z.object({
    intent: z.literal('restock'),
    sessionItemSkuId: z.string().uuid(),
    redirectTo: z.string().max(500).optional(),
  }),
])
