import { depositPaymentHandler } from '../onboarding/deposits.server'
import { orderPaymentHandler } from '../orders/order-payments.server'
import { customerOrderPaymentHandler } from '../customer-orders/payment.server'
import { registerPaymentPurpose } from './purposes.server'

/**
 * Tells the payments layer what each purpose's success or failure does. Every entry point calls it once before
 * a payment outcome can arrive: the Remix server build (entry.server.tsx), the job worker, the seed, the tests.
 */
export function registerPaymentPurposes(): void {
  registerPaymentPurpose('brand_deposit', depositPaymentHandler)
  registerPaymentPurpose('order', orderPaymentHandler)
  registerPaymentPurpose('customer_order', customerOrderPaymentHandler)
}
