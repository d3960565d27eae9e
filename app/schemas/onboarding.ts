import { z } from 'zod'
import { percentToBps } from '#app/domain/onboarding'
import { APPLICATION_CATEGORIES } from '#app/domain/platform-rules'

// Messages are i18n keys under `onboarding.errors`; forms render them through t().
const text = (max: number) =>
  z
    .string({ required_error: 'onboarding.errors.required' })
    .trim()
    .min(1, 'onboarding.errors.required')
    .max(max, 'onboarding.errors.tooLong')

const wholeNumber = (max: number) =>
  z
    .string({ required_error: 'onboarding.errors.required' })
    .trim()
    .regex(/^\d+$/, 'onboarding.errors.wholeNumber')
    .refine((v) => v.length <= 15 && Number(v) <= max, 'onboarding.errors.tooLarge')
    .transform(Number)

export const ApplicationSchema = z.object({
  companyName: text(200),
  brandName: text(100),
  contactName: text(100),
  contactPhone: z
    .string({ required_error: 'onboarding.errors.required' })
    .trim()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\+?[0-9]{6,20}$/, 'onboarding.errors.phone')),
  contactEmail: z
    .string({ required_error: 'onboarding.errors.required' })
    .trim()
    .toLowerCase()
    .max(200, 'onboarding.errors.tooLong')
    .email('onboarding.errors.email'),
  annualSalesYuan: wholeNumber(1_000_000_000_000), // ¥1 trillion keeps fen a safe integer
  offlineStores: wholeNumber(1_000_000),
  categories: z
    .array(z.enum(APPLICATION_CATEGORIES, { errorMap: () => ({ message: 'onboarding.errors.category' }) }), {
      required_error: 'onboarding.errors.categories',
    })
    .min(1, 'onboarding.errors.categories')
    .max(APPLICATION_CATEGORIES.length),
})
export type ApplicationInput = z.infer<typeof ApplicationSchema>

export const ReviewSchema = z.discriminatedUnion(
  'intent',
  [z.object({ intent: z.literal('approve') }), z.object({ intent: z.literal('reject'), reason: text(1000) })],
  { errorMap: () => ({ message: 'onboarding.errors.intent' }) },
)

export const CommissionSchema = z.object({
  intent: z.literal('commission'),
  percent: z
    .string({ required_error: 'onboarding.errors.required' })
    .trim()
    .min(1, 'onboarding.errors.required')
    .regex(/^\d{1,3}(\.\d{1,2})?$/, 'onboarding.errors.percent')
    .refine((v) => percentToBps(v) !== null, 'onboarding.errors.commissionRange'),
})

export const BrandActionSchema = z.discriminatedUnion(
  'intent',
  [
    CommissionSchema,
    z.object({ intent: z.literal('suspend'), reason: text(1000) }),
    z.object({ intent: z.literal('reinstate'), reason: text(1000) }),
  ],
  {
    errorMap: () => ({ message: 'onboarding.errors.intent' }),
  },
)

export const SetPasswordSchema = z
  .object({
    password: z
      .string({ required_error: 'onboarding.errors.required' })
      .min(10, 'onboarding.errors.passwordShort')
      .max(200, 'onboarding.errors.tooLong'),
    confirm: z.string({ required_error: 'onboarding.errors.required' }).min(1, 'onboarding.errors.required'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'onboarding.errors.passwordMismatch' })

// Query-string filters (safeParse; bad values → 400).
export const ApplicationFilterSchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'all']).default('pending'),
  q: z.string().trim().max(100).optional(),
})
export const BrandFilterSchema = z.object({
  status: z.enum(['awaiting_deposit', 'live', 'suspended', 'all']).default('all'),
  q: z.string().trim().max(100).optional(),
})
export const AuditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-z_.]*$/)
    .optional(),
  targetType: z.enum(['brand_application', 'brand', 'user', '']).optional(),
  targetId: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
})
