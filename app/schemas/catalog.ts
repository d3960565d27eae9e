import { z } from 'zod'
import { CATEGORIES } from '#app/domain/platform-rules'
import { yuanToFen } from '#app/domain/session-items'

// Messages are i18n keys (catalog.errors.*), rendered by FieldErrors.
const text = (max: number) =>
  z
    .string({ required_error: 'catalog.errors.required' })
    .trim()
    .min(1, 'catalog.errors.required')
    .max(max, 'catalog.errors.too_long')
const optionalText = (max: number) => z.string().trim().max(max, 'catalog.errors.too_long').optional().default('')
const yuan = z.string({ required_error: 'catalog.errors.required' }).transform((v, ctx) => {
  const fen = yuanToFen(v)
  if (fen === null || fen <= 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'catalog.errors.invalid_price' })
    return z.NEVER
  }
  return fen
})
const optionalYuan = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return null
    const fen = yuanToFen(v)
    if (fen === null || fen <= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'catalog.errors.invalid_price' })
      return z.NEVER
    }
    return fen
  })
const count = (min: number) =>
  z.coerce
    .number({ required_error: 'catalog.errors.required', invalid_type_error: 'catalog.errors.invalid_number' })
    .int('catalog.errors.invalid_number')
    .min(min, 'catalog.errors.invalid_number')
    .max(9_999_999, 'catalog.errors.invalid_number')
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean())

export const SkuRowSchema = z.object({
  id: z.string().uuid().optional(),
  size: text(32),
  colour: text(32),
  barcode: z
    .string({ required_error: 'catalog.errors.required' })
    .trim()
    .regex(/^[^\s,"]{1,64}$/u, 'catalog.errors.invalid_barcode'),
  stock: count(0),
})

export const OptionNameSchema = z.object({
  kind: z.enum(['size', 'colour']),
  value: text(32),
  en: optionalText(32),
})

export const ProductFormSchema = z.object({
  styleCode: text(64),
  title: text(200),
  titleEn: optionalText(200),
  description: optionalText(2000),
  descriptionEn: optionalText(2000),
  category: z.enum(CATEGORIES, { errorMap: () => ({ message: 'catalog.errors.invalid_category' }) }),
  tagPrice: yuan,
  tagCut: checkbox,
  skus: z
    .array(SkuRowSchema, { required_error: 'catalog.errors.no_skus' })
    .min(1, 'catalog.errors.no_skus')
    .max(200, 'catalog.errors.too_many'),
  /** English names per size and colour value; a value left out takes the dictionary's name. */
  optionNames: z
    .array(OptionNameSchema)
    .max(400, 'catalog.errors.too_many')
    .optional()
    .transform((v) => v ?? []),
})
export type ProductFormInput = z.infer<typeof ProductFormSchema>

export const SessionFormSchema = z.object({
  title: text(120),
  titleEn: optionalText(120),
  // datetime-local in the display zone (Asia/Shanghai), e.g. 2026-12-01T20:00
  startsAt: z
    .string({ required_error: 'catalog.errors.required' })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'catalog.errors.invalid_time'),
})
export type SessionFormInput = z.infer<typeof SessionFormSchema>

export const AddItemSchema = z.object({
  intent: z.literal('add_item'),
  productId: z.string({ required_error: 'catalog.errors.required' }).uuid('catalog.errors.required'),
  basePrice: yuan,
  minRetailPrice: optionalYuan,
  perMemberCap: z.coerce
    .number()
    .int('catalog.errors.invalid_number')
    .min(1, 'catalog.errors.invalid_number')
    .max(9999, 'catalog.errors.invalid_number')
    .optional(),
  skus: z
    .array(
      z.object({
        skuId: z.string().uuid(),
        quantity: z.coerce
          .number({ invalid_type_error: 'catalog.errors.invalid_number' })
          .int('catalog.errors.invalid_number')
          .min(0, 'catalog.errors.invalid_number')
          .max(999_999, 'catalog.errors.invalid_number')
          .optional(),
      }),
    )
    .min(1, 'catalog.errors.no_skus'),
})

export const UpdatePricesSchema = z.object({
  intent: z.literal('update_prices'),
  itemId: z.string().uuid(),
  basePrice: yuan,
  minRetailPrice: optionalYuan,
  perMemberCap: z.coerce
    .number()
    .int('catalog.errors.invalid_number')
    .min(1, 'catalog.errors.invalid_number')
    .max(9999, 'catalog.errors.invalid_number')
    .optional(),
})

export const TopUpSchema = z.object({
  intent: z.literal('top_up'),
  sessionItemSkuId: z.string().uuid(),
  quantity: count(1),
})

export const EditDetailsSchema = SessionFormSchema.extend({ intent: z.literal('edit_details') })

export const SessionIntentSchema = z.discriminatedUnion('intent', [
  AddItemSchema,
  UpdatePricesSchema,
  TopUpSchema,
  EditDetailsSchema,
  z.object({ intent: z.literal('schedule') }),
  z.object({ intent: z.literal('cancel') }),
  z.object({ intent: z.literal('remove_item'), itemId: z.string().uuid() }),
])

/** "2026-12-01T20:00" typed in Asia/Shanghai (UTC+8, no DST) → the UTC instant. */
export function shanghaiLocalToUtc(local: string): Date {
  return new Date(`${local}:00+08:00`)
}

export function utcToShanghaiLocal(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16)
}
