import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { PaymentUnavailableError } from '#app/domain/orders'
import { startCustomerPayment } from '#app/services/customer-orders/checkout.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse } from '#app/utils/http.server'
import { publicOrigin } from '#app/utils/public-url.server'

// The customer's pay step: whoever holds the order's token is the customer. Her order's one payment (Stripe
// Checkout, or the labelled test provider) is opened here, and taken up again on a reload or from a second tab;
// an order that can no longer be paid sends her to her order page.
const PRIVATE = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' }

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? ''
  try {
    const payment = await startCustomerPayment(getDb(), { token, origin: publicOrigin(), now: new Date() })
    invariantResponse(payment)
    return redirect(payment.redirectUrl, { headers: PRIVATE })
  } catch (e) {
    if (!(e instanceof PaymentUnavailableError)) throw e
    return redirect(`/o/${token}?payment=unavailable`, { headers: PRIVATE })
  }
}
