import { z } from 'zod'

const text = (max: number) =>
  z
    .string({ required_error: 'payouts.fields.required', invalid_type_error: 'payouts.fields.required' })
    .trim()
    .min(1, 'payouts.fields.required')
    .max(max)

/** Yuan with at most two decimals → fen. */
const yuan = z
  .string({ required_error: 'payouts.fields.required', invalid_type_error: 'payouts.fields.required' })
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'payouts.fields.amount')
  .transform((v) => Math.round(Number(v) * 100))
  .refine((v) => v > 0, 'payouts.fields.amount')

export const BankDetailsSchema = z.object({
  holder: text(100),
  bankName: text(100),
  account: z
    .string({ required_error: 'payouts.fields.required', invalid_type_error: 'payouts.fields.required' })
    .trim()
    .regex(/^[0-9][0-9 -]{4,38}[0-9]$/, 'payouts.fields.account'),
})
export type BankDetailsInput = z.infer<typeof BankDetailsSchema>

/** The payout account form posts its details with `intent=bank` (its other buttons are connect and withdraw). */
export const BankDetailsFormSchema = BankDetailsSchema.extend({
  intent: z.literal('bank', { errorMap: () => ({ message: 'payouts.fields.required' }) }),
})

export const PayoutActionSchema = z.object({
  intent: z.enum(['retry', 'mark-sent']),
  payoutId: z.string().uuid(),
})

export const DepositActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('deduct'), amount: yuan, reason: text(500) }),
  z.object({ intent: z.literal('exit'), reason: text(500) }),
])
