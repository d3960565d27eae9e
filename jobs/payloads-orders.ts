import { z } from 'zod'

/**
 * The checkouts whose payment deadline the job marks: one per-request checkout, or every checkout of one group-commit
 * batch (one job row per batch instead of one per buyer). The single-id shape of earlier jobs is still read.
 */
export const ExpireCheckoutPayload = z.union([
  z.object({ checkoutIds: z.array(z.string().uuid()).min(1).max(1000) }),
  z.object({ checkoutId: z.string().uuid() }).transform(({ checkoutId }) => ({ checkoutIds: [checkoutId] })),
])
export type ExpireCheckoutPayload = z.input<typeof ExpireCheckoutPayload>
export const RefundLatePaymentPayload = z.object({ checkoutId: z.string().uuid(), paymentId: z.string().uuid() })
export type RefundLatePaymentPayload = z.infer<typeof RefundLatePaymentPayload>

declare module './payloads' {
  interface TaskPayloads {
    expire_checkout: ExpireCheckoutPayload
    refund_late_payment: RefundLatePaymentPayload
    flag_late_orders: Record<string, never>
    check_checkout_payments: Record<string, never>
    auto_receive_orders: Record<string, never>
    write_settlements: Record<string, never>
  }
}
