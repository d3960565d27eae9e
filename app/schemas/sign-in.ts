import { z } from 'zod'

// Messages are i18n keys; the form renders them through t().
export const SignInSchema = z.object({
  identifier: z
    .string({ required_error: 'signIn.required' })
    .trim()
    .min(1, 'signIn.required')
    .max(200, 'signIn.tooLong'),
  password: z.string({ required_error: 'signIn.required' }).min(1, 'signIn.required').max(200, 'signIn.tooLong'),
  redirectTo: z.string().max(500).optional(),
})
export type SignInInput = z.infer<typeof SignInSchema>
