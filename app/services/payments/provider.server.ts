// The payment providers: Stripe Checkout when STRIPE_SECRET_KEY is set, otherwise the labelled
// local test provider (no money moves; refused in production). Nothing here touches the database.
import Stripe from 'stripe'
import type { PaymentOutcome } from '#app/domain/payments'
import type { PaymentProviderName } from '#db/schema/payments'
import { paymentConfig, type PaymentConfig } from '#app/utils/env.server'

export interface CheckoutRequest {
  paymentId: string
  purpose: string
  referenceId: string
  amountMinor: number
  currency: string
  description: string
  successUrl: string
  cancelUrl: string
  expiresAt: Date
}

export interface ProviderRefundRequest {
  paymentId: string
  providerRef: string | null
  providerPaymentRef: string | null
  amountMinor: number
  idempotencyKey: string
  reason?: string
}

/** A verified provider event, reduced to what applyPaymentOutcome needs. */
export interface ProviderEvent {
  eventId: string
  type: string
  /** Our payment id (from metadata / client_reference_id), or null when the event is not ours. */
  paymentId: string | null
  providerRef: string | null
  providerPaymentRef: string | null
  /** null: recorded but changes nothing (unknown type, or completed but not yet paid). */
  outcome: PaymentOutcome | null
  /** A refund's final state (refund.updated / refund.failed), settled by its provider id. */
  refund?: { providerRef: string; status: 'succeeded' | 'pending' | 'failed' }
}

export class WebhookSignatureError extends Error {}

export interface PaymentProvider {
  readonly name: PaymentProviderName
  createCheckout(input: CheckoutRequest): Promise<{ providerRef: string; redirectUrl: string }>
  refund(input: ProviderRefundRequest): Promise<{ providerRef: string; status: 'succeeded' | 'pending' | 'failed' }>
  /** Verifies the signature over the raw body; throws WebhookSignatureError when it does not hold. */
  parseWebhook(rawBody: string, signature: string | null): ProviderEvent
}

/** The Stripe client; host/port/protocol come from STRIPE_API_HOST/PORT/PROTOCOL when set. */
export function createStripeClient(config: PaymentConfig = paymentConfig()): Stripe {
  if (!config.stripeSecretKey) throw new Error('STRIPE_SECRET_KEY is not set')
  const { host, port, protocol } = config.stripeApi
  return new Stripe(config.stripeSecretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(host ? { host } : {}),
    ...(port ? { port } : {}),
    ...(protocol ? { protocol } : {}),
  })
}

// A Stripe client per configuration: building one (its resources, its HTTP agent) cost more CPU per customer order
// than the order's own checkout.
const stripeClients = new Map<string, Stripe>()
function stripeClientFor(config: PaymentConfig): Stripe {
  const key = JSON.stringify([config.stripeSecretKey, config.stripeApi])
  let client = stripeClients.get(key)
  if (!client) stripeClients.set(key, (client = createStripeClient(config)))
  return client
}

export function stripeProvider(config: PaymentConfig = paymentConfig()): PaymentProvider {
  const stripe = stripeClientFor(config)
  return {
    name: 'stripe',
    async createCheckout(input) {
      const methods = config.stripePaymentMethods
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          // This SDK's API version (2026-10-28) replaced the static payment_method_types list with this filter.
          allowed_payment_method_types: methods,
          ...(methods.includes('wechat_pay') ? { payment_method_options: { wechat_pay: { client: 'web' } } } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: input.amountMinor,
                product_data: { name: input.description },
              },
            },
          ],
          client_reference_id: input.paymentId,
          metadata: { paymentId: input.paymentId, purpose: input.purpose, referenceId: input.referenceId },
          payment_intent_data: {
            metadata: { paymentId: input.paymentId, purpose: input.purpose, referenceId: input.referenceId },
          },
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          expires_at: Math.floor(input.expiresAt.getTime() / 1000),
        },
        { idempotencyKey: `checkout-${input.paymentId}` },
      )
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`)
      return { providerRef: session.id, redirectUrl: session.url }
    },
    async refund(input) {
      let paymentIntent = input.providerPaymentRef
      if (!paymentIntent && input.providerRef) {
        const session = await stripe.checkout.sessions.retrieve(input.providerRef)
        paymentIntent =
          typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null)
      }
      if (!paymentIntent) throw new Error(`Payment ${input.paymentId} has no Stripe PaymentIntent to refund`)
      const refund = await stripe.refunds.create(
        {
          payment_intent: paymentIntent,
          amount: input.amountMinor,
          metadata: { paymentId: input.paymentId, ...(input.reason ? { reason: input.reason.slice(0, 500) } : {}) },
        },
        { idempotencyKey: input.idempotencyKey },
      )
      return { providerRef: refund.id, status: refundStatusOf(refund.status) }
    },
    parseWebhook(rawBody, signature) {
      if (!config.stripeWebhookSecret) throw new WebhookSignatureError('STRIPE_WEBHOOK_SECRET is not set')
      if (!signature) throw new WebhookSignatureError('Missing Stripe-Signature header')
      let event: Stripe.Event
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, config.stripeWebhookSecret)
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : 'Bad signature')
      }
      return stripeEventToProviderEvent(event)
    },
  }
}

const CHECKOUT_OUTCOMES: Record<string, (s: Stripe.Checkout.Session) => PaymentOutcome | null> = {
  'checkout.session.completed': (s) => (s.payment_status === 'paid' ? 'succeeded' : null),
  'checkout.session.async_payment_succeeded': () => 'succeeded',
  'checkout.session.async_payment_failed': () => 'failed',
  'checkout.session.expired': () => 'expired',
}

function refundStatusOf(status: string | null | undefined): 'succeeded' | 'pending' | 'failed' {
  return status === 'succeeded' ? 'succeeded' : status === 'failed' || status === 'canceled' ? 'failed' : 'pending'
}

export function stripeEventToProviderEvent(event: Stripe.Event): ProviderEvent {
  if (event.type === 'refund.updated' || event.type === 'refund.failed') {
    const refund = event.data.object as Stripe.Refund
    return {
      eventId: event.id,
      type: event.type,
      paymentId: null,
      providerRef: null,
      providerPaymentRef: null,
      outcome: null,
      refund: { providerRef: refund.id, status: refundStatusOf(refund.status) },
    }
  }
  const outcomeOf = CHECKOUT_OUTCOMES[event.type]
  if (!outcomeOf)
    return {
      eventId: event.id,
      type: event.type,
      paymentId: null,
      providerRef: null,
      providerPaymentRef: null,
      outcome: null,
    }
  const session = event.data.object as Stripe.Checkout.Session
  const pi = session.payment_intent
  return {
    eventId: event.id,
    type: event.type,
    paymentId: session.metadata?.paymentId ?? session.client_reference_id ?? null,
    providerRef: session.id,
    providerPaymentRef: typeof pi === 'string' ? pi : (pi?.id ?? null),
    outcome: outcomeOf(session),
  }
}

/** The labelled local provider: the payer approves or declines on /pay/test/<id>. */
export const testProvider: PaymentProvider = {
  name: 'test',
  async createCheckout(input) {
    if (paymentConfig().production) throw new Error('The test-payment provider is refused in production')
    return { providerRef: input.paymentId, redirectUrl: `/pay/test/${input.paymentId}` }
  },
  async refund(input) {
    if (paymentConfig().production) throw new Error('The test-payment provider is refused in production')
    return { providerRef: `test_refund_${input.idempotencyKey}`, status: 'succeeded' }
  },
  parseWebhook() {
    throw new WebhookSignatureError('The test-payment provider has no webhooks')
  },
}

/** Stripe when STRIPE_SECRET_KEY is set, the test provider otherwise (never in production). */
export function paymentProvider(config: PaymentConfig = paymentConfig()): PaymentProvider {
  if (config.stripeSecretKey) return stripeProvider(config)
  if (config.production)
    throw new Error('STRIPE_SECRET_KEY is required in production: the test-payment provider is refused')
  return testProvider
}

/** The provider a stored payment was made with (a test payment is refunded by the test provider). */
export function providerFor(name: PaymentProviderName, config: PaymentConfig = paymentConfig()): PaymentProvider {
  if (name === 'stripe') return stripeProvider(config)
  if (config.production) throw new Error('The test-payment provider is refused in production')
  return testProvider
}
