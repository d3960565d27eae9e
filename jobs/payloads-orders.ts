import { z } from 'zod'

export const ExpireCheckoutPayload = z.object({ checkoutId: z.string().uuid() })
export type ExpireCheckoutPayload = z.infer<typeof ExpireCheckoutPayload>
export const RefundLatePaymentPayload = z.object({ checkoutId: z.string().uuid(), paymentId: z.string().uuid() })
export type RefundLatePaymentPayload = z.infer<typeof RefundLatePaymentPayload>
export const EmptyPayload = z.object({}).passthrough()

declare module './payloads' {
  interface TaskPayloads {
    expire_checkout: ExpireCheckoutPayload
    refund_late_payment: RefundLatePaymentPayload
    flag_late_orders: Record<string, never>
    auto_receive_orders: Record<string, never>
    write_settlements: Record<string, never>
  }
}
