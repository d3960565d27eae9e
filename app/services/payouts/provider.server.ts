// Money out through Stripe Connect (Express accounts, transfers from the platform balance), or — without
// Stripe keys — the labelled manual provider: the operator sends bank transfers by hand from a CSV export.
// Nothing here touches the database.
import Stripe from 'stripe'
import { createStripeClient } from '#app/services/payments/provider.server'
import { paymentConfig, setting } from '#app/utils/env.server'

/** Stripe unreachable, or failing on its side (not a refusal of what we asked). */
export function isProviderOutage(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError
  )
}

/** Without `source`, the process environment. */
export function payoutConfig(source?: Record<string, string | undefined>) {
  const connectWebhookSecret = setting('STRIPE_CONNECT_WEBHOOK_SECRET', source)
  const payments = paymentConfig(source)
  return {
    ...payments,
    provider: (payments.stripeSecretKey ? 'stripe' : 'manual') as 'stripe' | 'manual',
    /** Connect events may come to their own endpoint with its own secret; the payments secret otherwise. */
    connectWebhookSecrets: [connectWebhookSecret, payments.stripeWebhookSecret].filter((s): s is string => !!s),
    withdrawalMinimumMinor: setting('PAYOUT_WITHDRAWAL_MINIMUM_MINOR', source),
  }
}

export interface ConnectAccountState {
  accountId: string
  payoutsEnabled: boolean
  detailsSubmitted: boolean
  requirements: string[]
  disabledReason: string | null
}

export interface AccountUpdatedEvent extends ConnectAccountState {
  eventId: string
  type: string
  createdAt: Date
}

export class ConnectWebhookSignatureError extends Error {}

/**
 * A transfer the provider refused with an answer (a new attempt needs a new key); anything else may have gone
 * through.
 */
export class TransferDeclinedError extends Error {}

export function accountStateOf(account: Stripe.Account): ConnectAccountState {
  const req = account.requirements
  return {
    accountId: account.id,
    payoutsEnabled: !!account.payouts_enabled,
    detailsSubmitted: !!account.details_submitted,
    requirements: [...new Set([...(req?.past_due ?? []), ...(req?.currently_due ?? [])])].slice(0, 50),
    disabledReason: req?.disabled_reason ?? null,
  }
}

export function stripeConnect(config = payoutConfig()) {
  const stripe = createStripeClient(config)
  return {
    async createAccount(v: {
      ownerType: 'brand' | 'reseller'
      ownerId: string
      email: string | null
    }): Promise<ConnectAccountState> {
      const account = await stripe.accounts.create(
        {
          type: 'express',
          ...(v.email ? { email: v.email } : {}),
          capabilities: { transfers: { requested: true } },
          metadata: { ownerType: v.ownerType, ownerId: v.ownerId },
        },
        { idempotencyKey: `connect-account:${v.ownerType}:${v.ownerId}` },
      )
      return accountStateOf(account)
    },
    async onboardingLink(v: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<string> {
      const link = await stripe.accountLinks.create({
        account: v.accountId,
        refresh_url: v.refreshUrl,
        return_url: v.returnUrl,
        type: 'account_onboarding',
      })
      return link.url
    },
    async retrieveAccount(accountId: string): Promise<ConnectAccountState> {
      return accountStateOf(await stripe.accounts.retrieve(accountId))
    },
    /** One transfer per key; the session (or withdrawal) is the transfer group. */
    async transfer(v: {
      payoutId: string
      amountMinor: number
      currency: string
      destination: string
      transferGroup: string
      key: string
    }): Promise<{ transferId: string }> {
      try {
        const t = await stripe.transfers.create(
          {
            amount: v.amountMinor,
            currency: v.currency.toLowerCase(),
            destination: v.destination,
            transfer_group: v.transferGroup,
            metadata: { payoutId: v.payoutId },
          },
          { idempotencyKey: v.key },
        )
        return { transferId: t.id }
      } catch (error) {
        if (
          error instanceof Stripe.errors.StripeError &&
          (error.type === 'StripeInvalidRequestError' ||
            error.type === 'StripeCardError' ||
            error.type === 'StripePermissionError')
        ) {
          throw new TransferDeclinedError(error.message)
        }
        throw error
      }
    },
    /** A transfer already made for this payout (an earlier attempt whose answer was lost), if any. */
    async findTransfer(v: { payoutId: string; transferGroup: string }): Promise<{ transferId: string } | null> {
      const list = await stripe.transfers.list({ transfer_group: v.transferGroup, limit: 100 })
      const found = list.data.find((t) => t.metadata?.payoutId === v.payoutId && !t.reversed)
      return found ? { transferId: found.id } : null
    },
    /**
     * Verifies a Connect webhook against each configured secret; returns null for events other than
     * account.updated.
     */
    parseWebhook(rawBody: string, signature: string | null): AccountUpdatedEvent | null {
      if (!signature) throw new ConnectWebhookSignatureError('Missing Stripe-Signature header')
      let event: Stripe.Event | null = null
      let lastError = 'no webhook secret configured'
      for (const secret of config.connectWebhookSecrets) {
        try {
          event = stripe.webhooks.constructEvent(rawBody, signature, secret)
          break
        } catch (error) {
          lastError = error instanceof Error ? error.message : 'Bad signature'
        }
      }
      if (!event) throw new ConnectWebhookSignatureError(lastError)
      if (event.type !== 'account.updated') return null
      return {
        eventId: event.id,
        type: event.type,
        createdAt: new Date(event.created * 1000),
        ...accountStateOf(event.data.object as Stripe.Account),
      }
    },
  }
}

export type StripeConnect = ReturnType<typeof stripeConnect>
