import type { ActionFunctionArgs } from '@remix-run/node'
import { applyAccountUpdated } from '#app/services/payouts/accounts.server'
import { ConnectWebhookSignatureError, payoutConfig, stripeConnect } from '#app/services/payouts/provider.server'
import { getDb } from '#app/utils/db.server'

// Stripe Connect → us (account.updated of connected accounts). Authenticated by the Stripe-Signature header
// over the raw body. 400: signature missing or wrong; 200: applied, duplicate, stale or not ours; 500 only
// when applying fails (Stripe retries; nothing was recorded).
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
  const config = payoutConfig()
  if (config.provider !== 'stripe' || config.connectWebhookSecrets.length === 0)
    return new Response('Stripe is not configured', { status: 404 })
  const rawBody = await request.text()
  let event
  try {
    event = stripeConnect(config).parseWebhook(rawBody, request.headers.get('stripe-signature'))
  } catch (error) {
    if (error instanceof ConnectWebhookSignatureError)
      return new Response(`Webhook signature refused: ${error.message}`, { status: 400 })
    throw error
  }
  if (!event) return Response.json({ received: true, handled: false })
  try {
    const applied = await applyAccountUpdated(getDb(), event, new Date())
    return Response.json({
      received: true,
      handled: applied.known,
      duplicate: applied.duplicate,
      applied: applied.applied,
    })
  } catch (error) {
    console.error(`[payouts] applying Stripe event ${event.eventId} (${event.type}) failed`, error)
    return new Response('Could not apply the event; retry later', { status: 500 })
  }
}

export function loader() {
  return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
}
