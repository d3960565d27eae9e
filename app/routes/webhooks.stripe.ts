import type { ActionFunctionArgs } from '@remix-run/node'
import { applyProviderEvent, settleRefundByProviderRef } from '#app/services/payments/index.server'
import { stripeProvider, WebhookSignatureError } from '#app/services/payments/provider.server'
import { getDb } from '#app/utils/db.server'
import { paymentConfig } from '#app/utils/env.server'

// Stripe → us. Authenticated by the Stripe-Signature header over the raw body (no session, no Origin).
// 400: signature missing or wrong. 200: applied, duplicate, or not ours/unknown type (Stripe stops retrying).
// 500 only when applying fails (e.g. a purpose handler threw): Stripe retries, and the event was not recorded.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
  const config = paymentConfig()
  if (!config.stripeSecretKey || !config.stripeWebhookSecret)
    return new Response('Stripe is not configured', { status: 404 })
  const rawBody = await request.text()
  let event
  try {
    event = stripeProvider(config).parseWebhook(rawBody, request.headers.get('stripe-signature'))
  } catch (error) {
    if (error instanceof WebhookSignatureError)
      return new Response(`Webhook signature refused: ${error.message}`, { status: 400 })
    throw error
  }
  try {
    if (event.refund) {
      const settled = await settleRefundByProviderRef(getDb(), event.refund, new Date())
      return Response.json({ received: true, handled: settled !== null })
    }
    if (!event.paymentId && !event.providerRef) return Response.json({ received: true, handled: false })
    const applied = await applyProviderEvent(getDb(), event, new Date())
    return Response.json({ received: true, handled: applied !== null, duplicate: applied?.duplicate ?? false })
  } catch (error) {
    console.error(`[payments] applying Stripe event ${event.eventId} (${event.type}) failed`, error)
    return new Response('Could not apply the event; retry later', { status: 500 })
  }
}

export function loader() {
  return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
}
