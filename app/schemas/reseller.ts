import { z } from 'zod'
import { MARKUP_LIMITS, parseYuan, ROUNDINGS, type MarkupRule } from '#app/domain/retail-pricing'

const optionalText = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v) => (v ? v : null))

// Only a tampered form fails these; the message is the markup's.
const markupMessage = { message: 'reseller.profile.errors.markup' }

export const MarkupFieldsSchema = z.object({
  markupKind: z.enum(['', 'percent', 'fixed'], { errorMap: () => markupMessage }).default(''),
  markupValue: z.string().trim().max(12, markupMessage.message).default(''),
  rounding: z.enum(ROUNDINGS, { errorMap: () => markupMessage }).default('none'),
})

/**
 * "30" (percent) → 3000 bps; "20.5" (yuan) → 2050 fen. Null when no markup was asked for; 'invalid' when it cannot
 * be read.
 */
export function markupFromFields(f: z.infer<typeof MarkupFieldsSchema>): MarkupRule | null | 'invalid' {
  if (!f.markupKind || f.markupValue === '') return null
  if (f.markupKind === 'percent') {
    if (!/^\d{1,4}(\.\d{1,2})?$/.test(f.markupValue)) return 'invalid'
    const bps = Math.round(Number(f.markupValue) * 100)
    return bps <= MARKUP_LIMITS.maxPercentBps ? { kind: 'percent', value: bps, rounding: f.rounding } : 'invalid'
  }
  const fen = parseYuan(f.markupValue)
  return fen != null && fen <= MARKUP_LIMITS.maxFixedMinor
    ? { kind: 'fixed', value: fen, rounding: f.rounding }
    : 'invalid'
}

// The profile form's messages are i18n keys (reseller.profile.errors.*), rendered by FieldErrors.
const profileError = (field: string) => `reseller.profile.errors.${field}`

export const ProfileSchema = z
  .object({
    displayName: z
      .string({ required_error: profileError('displayName') })
      .trim()
      .min(1, profileError('displayName'))
      .max(40, profileError('displayName')),
    wechatId: optionalText.refine(
      (v) => v == null || /^[A-Za-z][-_A-Za-z0-9]{5,19}$/.test(v),
      profileError('wechatId'),
    ),
    phone: optionalText.refine((v) => v == null || /^\+?[0-9]{6,20}$/.test(v), profileError('phone')),
  })
  .merge(MarkupFieldsSchema)
  // Her customers must be able to reach her, and a default markup must be one she could apply.
  .superRefine((v, ctx) => {
    if (!v.wechatId && !v.phone) ctx.addIssue({ code: 'custom', path: ['contact'], message: profileError('contact') })
    if (markupFromFields(v) === 'invalid')
      ctx.addIssue({ code: 'custom', path: ['markup'], message: profileError('markup') })
  })

// The forwarding form's messages are i18n keys (reseller.session.*), rendered above the table.
export const ForwardSchema = z
  .object({
    intent: z.enum(['preview', 'single', 'list']),
    item: z
      .array(z.string().uuid('reseller.session.nothingSelected'))
      .min(1, 'reseller.session.nothingSelected')
      .max(200, 'reseller.session.tooMany')
      .default([]),
    raiseToFloor: z.literal('on').optional(),
  })
  .merge(MarkupFieldsSchema)

/**
 * The prices typed for the selected items, in fen, and the items whose price cannot be read (a price left
 * empty is no price: the rule or her default prices the item).
 */
export function forwardPrices(itemIds: readonly string[], texts: ReadonlyMap<string, string>) {
  const prices = new Map<string, number>()
  const unreadable: string[] = []
  for (const id of itemIds) {
    const text = texts.get(id)
    if (text == null) continue
    const fen = parseYuan(text)
    if (fen == null || fen <= 0) unreadable.push(id)
    else prices.set(id, fen)
  }
  return { prices, unreadable }
}

/**
 * Reads a form into plain values: repeated `item` fields as a list, `price_<uuid>` fields as a map, and the ids
 * whose price was typed: a price that differs from the `prefill_<uuid>` the page put there (no prefill: typed).
 */
export function readForwardForm(form: FormData) {
  const prices = new Map<string, string>()
  const prefills = new Map<string, string>()
  for (const [k, v] of form.entries()) {
    if (typeof v !== 'string') continue
    if (k.startsWith('price_') && v.trim()) prices.set(k.slice(6), v.trim())
    if (k.startsWith('prefill_')) prefills.set(k.slice(8), v.trim())
  }
  const typed = new Set([...prices].filter(([id, v]) => prefills.get(id) !== v).map(([id]) => id))
  const fields = Object.fromEntries(
    [...form.entries()].filter(([k]) => !k.startsWith('price_') && !k.startsWith('prefill_') && k !== 'item'),
  )
  return { ...fields, item: form.getAll('item').map(String), prices, typed }
}
