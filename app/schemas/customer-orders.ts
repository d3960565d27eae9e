import { z } from 'zod'
import { divisionCode } from '#app/schemas/orders'

const text = (max: number) =>
  z
    .string({ required_error: 'customerOrders.errors.required' })
    .trim()
    .min(1, 'customerOrders.errors.required')
    .max(max, 'customerOrders.errors.tooLong')

/** One bag line as the form sends it: `<session item SKU id>:<quantity>`. */
const BagLine = z
  .string()
  .regex(/^[0-9a-f-]{36}:[1-9][0-9]?$/i, 'customerOrders.errors.bag')
  .transform((v) => {
    const [sessionItemSkuId, quantity] = v.split(':')
    return { sessionItemSkuId: sessionItemSkuId!.toLowerCase(), quantity: Number(quantity) }
  })

export const CustomerCheckoutSchema = z.object({
  line: z
    .array(BagLine, { required_error: 'customerOrders.errors.bag' })
    .min(1, 'customerOrders.errors.bag')
    .max(20, 'customerOrders.errors.bag'),
  name: text(60),
  phone: z
    .string({ required_error: 'customerOrders.errors.required' })
    .trim()
    .regex(/^[+0-9][0-9 -]{5,24}$/, 'customerOrders.errors.phone'),
  provinceCode: divisionCode,
  cityCode: divisionCode,
  districtCode: divisionCode,
  address: text(200),
  email: z
    .string()
    .trim()
    .max(254, 'customerOrders.errors.tooLong')
    .email('customerOrders.errors.email')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'customerOrders.errors.invalid'),
})
export type CustomerCheckoutInput = z.infer<typeof CustomerCheckoutSchema>

export const CustomerAfterSaleSchema = z.object({
  orderId: z.string().uuid('customerOrders.errors.invalid'),
  kind: z.enum(['refund', 'return_refund'], { errorMap: () => ({ message: 'customerOrders.errors.invalid' }) }),
  reason: text(500),
})
