import { z } from 'zod'

export const RefundDuplicateDepositPayload = z.object({ paymentId: z.string().uuid() })
export type RefundDuplicateDepositPayload = z.infer<typeof RefundDuplicateDepositPayload>

declare module './payloads' {
  interface TaskPayloads {
    send_payouts: Record<string, never>
    refund_duplicate_deposit: RefundDuplicateDepositPayload
  }
}
