import { z } from 'zod'

const uuid = z.string().uuid('orders.errors.invalid')
export const quantity = z.coerce
  .number({ invalid_type_error: 'orders.errors.quantity' })
  .int('orders.errors.quantity')
  .min(1, 'orders.errors.quantity')
  .max(99, 'orders.errors.quantity')

export const CheckoutApiSchema = z.object({
  addressId: uuid,
  lines: z
    .array(z.object({ sessionItemSkuId: uuid, quantity }))
    .min(1)
    .max(50),
})

/** POST /api/checkout's Idempotency-Key header: 1–255 visible ASCII characters. */
export const IdempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'orders.errors.invalid')

export const AddToCartSchema = z.object({
  intent: z.enum(['add-to-cart', 'buy-now']),
  sessionItemSkuId: uuid,
  quantity,
})

export const CartActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('update'), sessionItemSkuId: uuid, quantity: z.coerce.number().int().min(0).max(99) }),
  z.object({ intent: z.literal('remove'), sessionItemSkuId: uuid }),
  z.object({
    intent: z.literal('checkout'),
    addressId: z.string({ required_error: 'orders.errors.chooseAddress' }).uuid('orders.errors.chooseAddress'),
  }),
])

/** A division code chosen in the pickers; whether the three belong together is checked on the server. */
export const divisionCode = z
  .string({ required_error: 'addresses.errors.region' })
  .regex(/^[0-9]{6}$/, 'addresses.errors.region')

export const AddressSchema = z.object({
  kind: z.enum(['own', 'customer']),
  recipient: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .min(1, 'orders.errors.required')
    .max(60, 'orders.errors.tooLong'),
  phone: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .regex(/^\+?[0-9 -]{6,20}$/, 'orders.errors.phone'),
  provinceCode: divisionCode,
  cityCode: divisionCode,
  districtCode: divisionCode,
  line: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .min(1, 'orders.errors.required')
    .max(200, 'orders.errors.tooLong'),
  makeDefault: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
})

export const AddressIdSchema = z.object({ addressId: uuid })

export const ShipSchema = z.object({
  orderId: uuid,
  carrier: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .min(1, 'orders.errors.required')
    .max(40, 'orders.errors.tooLong'),
  trackingNo: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, 'orders.errors.tracking'),
})

export const AfterSaleSchema = z.object({
  kind: z.enum(['refund', 'return_refund']),
  reason: z
    .string({ required_error: 'orders.errors.required' })
    .trim()
    .min(1, 'orders.errors.required')
    .max(500, 'orders.errors.tooLong'),
})

export const DecideAfterSaleSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), requestId: uuid, scope: z.enum(['full', 'lines']) }),
  z.object({ intent: z.literal('retry'), refundId: uuid }),
  z.object({
    intent: z.literal('reject'),
    requestId: uuid,
    note: z
      .string({ required_error: 'orders.errors.required' })
      .trim()
      .min(1, 'orders.errors.required')
      .max(500, 'orders.errors.tooLong'),
  }),
])
