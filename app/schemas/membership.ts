import { z } from 'zod'

// Messages are i18n keys; forms render them through t().
const PHONE = /^\+?[0-9]{6,20}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const RegisterSchema = z.object({
  code: z
    .string({ required_error: 'membership.register.required' })
    .trim()
    .min(1, 'membership.register.required')
    .max(40, 'membership.register.tooLong')
    .refine((v) => /^[A-Za-z0-9\s-]+$/.test(v), 'membership.register.badCode'),
  identifier: z
    .string({ required_error: 'membership.register.required' })
    .trim()
    .min(1, 'membership.register.required')
    .max(200, 'membership.register.tooLong')
    .refine(
      (v) => (v.includes('@') ? EMAIL.test(v) : PHONE.test(v.replace(/[\s-]/g, ''))),
      'membership.register.badIdentifier',
    ),
  password: z
    .string({ required_error: 'membership.register.required' })
    .min(8, 'membership.register.passwordShort')
    .max(200, 'membership.register.tooLong'),
  displayName: z
    .string({ required_error: 'membership.register.required' })
    .trim()
    .min(1, 'membership.register.required')
    .max(40, 'membership.register.tooLong'),
})
export type RegisterInput = z.infer<typeof RegisterSchema>

const whole = (max: number) =>
  z
    .string({ required_error: 'membership.admin.required' })
    .trim()
    .regex(/^\d{1,9}$/, 'membership.admin.badNumber')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max, 'membership.admin.badNumber'))

// A percentage with at most two decimals, turned into basis points (3.5% → 350) without floating error.
const percentToBps = z
  .string({ required_error: 'membership.admin.required' })
  .trim()
  .regex(/^\d{1,2}(\.\d{1,2})?$/, 'membership.admin.badPercent')
  .transform((v) => {
    const [int, frac = ''] = v.split('.')
    return Number(int) * 100 + Number(frac.padEnd(2, '0'))
  })

export const VipTiersSchema = z.object({
  tiers: z
    .array(
      z.object({
        level: z
          .string()
          .regex(/^[0-5]$/)
          .transform(Number),
        thresholdPoints: whole(100_000_000),
        discountBps: percentToBps,
        keepPointsPerMonth: whole(100_000_000).optional(),
      }),
    )
    .length(6),
  note: z
    .string({ required_error: 'membership.admin.required' })
    .trim()
    .min(1, 'membership.admin.required')
    .max(500, 'membership.register.tooLong'),
})

export const CampaignCodeSchema = z.object({
  code: z
    .string({ required_error: 'membership.admin.required' })
    .trim()
    .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{4,16}$/, 'membership.admin.badCode')),
  maxUses: z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, 'membership.admin.badNumber')
    .transform(Number)
    .pipe(z.number().int().min(1, 'membership.admin.badNumber'))
    .optional(),
  // datetime-local, read as Beijing time
  expiresAt: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'membership.admin.badNumber')
    .transform((v) => new Date(`${v}:00+08:00`))
    .refine((d) => !Number.isNaN(d.getTime()), 'membership.admin.badNumber')
    .optional(),
  note: z.string().trim().max(200, 'membership.register.tooLong').optional(),
})

export const LedgerPageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) })
