import { z } from 'zod'
import { CATEGORIES } from '#app/domain/platform-rules'
import { MarkupFieldsSchema } from './reseller'

/** Query string of a shop page: free text, one category, one size; all optional. */
export const ShopFiltersSchema = z.object({
  q: z.string().trim().max(60).default(''),
  category: z.union([z.enum(CATEGORIES), z.literal('')]).default(''),
  size: z.string().trim().max(20).default(''),
})

const itemId = z.string().uuid()

/** The actions of her shop page, one per intent. */
export const ShopActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('handle'),
    handle: z
      .string({ required_error: 'shop.manage.handleErrors.too_short' })
      .max(60, 'shop.manage.handleErrors.too_long'),
  }),
  z.object({ intent: z.literal('addSession'), sessionId: z.string().uuid() }).merge(MarkupFieldsSchema),
  z.object({ intent: z.literal('remove'), itemId }),
  z.object({ intent: z.literal('removeSession'), sessionId: z.string().uuid() }),
  z.object({ intent: z.literal('move'), itemId, direction: z.enum(['up', 'down']) }),
  z.object({ intent: z.literal('reprice') }),
])
export type ShopActionInput = z.infer<typeof ShopActionSchema>
