// Where a brand's or a reseller's money goes: a Stripe Connect Express account (onboarding links, state
// from signed account.updated webhooks applied once and in order), or bank details for the manual provider.
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import {
  findPayoutAccount,
  insertConnectEvent,
  insertPayoutAccountOnce,
  lockPayoutAccountByStripeId,
  updatePayoutAccount,
  upsertPayoutAccount,
  type PayoutOwner,
} from '#db/queries/payouts'
import { accountStatus, isNewerEvent, PayoutAccountError, PayoutProviderUnavailableError } from '#app/domain/payouts'
import { recordAudit } from '#app/services/onboarding/audit.server'
import {
  isProviderOutage,
  payoutConfig,
  stripeConnect,
  type AccountUpdatedEvent,
  type ConnectAccountState,
} from './provider.server'

export { findPayoutAccount, type PayoutOwner }

/** What the console shows: the provider, whether payouts can be sent, and what Stripe still needs. */
export async function payoutAccountView(db: Conn, owner: PayoutOwner) {
  const a = await findPayoutAccount(db, owner)
  const provider = payoutConfig().provider
  return {
    provider,
    connected: !!a && a.provider === provider,
    status: a && a.provider === provider ? a.status : null,
    requirements: a?.requirements ?? [],
    disabledReason: a?.disabled_reason ?? null,
    bank:
      a?.provider === 'manual'
        ? {
            holder: a.bank_holder,
            bankName: a.bank_name,
            accountTail: a.bank_account ? a.bank_account.replace(/\D/g, '').slice(-4) : null,
          }
        : null,
  }
}

function stateColumns(s: ConnectAccountState) {
  return {
    payouts_enabled: s.payoutsEnabled,
    details_submitted: s.detailsSubmitted,
    requirements: s.requirements,
    disabled_reason: s.disabledReason,
    status: accountStatus({
      payoutsEnabled: s.payoutsEnabled,
      detailsSubmitted: s.detailsSubmitted,
      requirements: s.requirements,
      disabledReason: s.disabledReason,
    }),
  }
}

/**
 * Creates the owner's Express account once (idempotency key per owner, unique row) and returns a fresh
 * onboarding link (links are single-use and short-lived, so one is made per visit).
 */
export async function startOnboarding(
  db: Db,
  v: { owner: PayoutOwner; email: string | null; origin: string; returnPath: string; actorId: string; now: Date },
): Promise<{ url: string }> {
  try {
    return await onboard(db, v)
  } catch (error) {
    if (isProviderOutage(error))
      throw new PayoutProviderUnavailableError('Stripe could not be reached; nothing changed')
    throw error
  }
}

async function onboard(db: Db, v: Parameters<typeof startOnboarding>[1]): Promise<{ url: string }> {
  const config = payoutConfig()
  if (config.provider !== 'stripe')
    throw new PayoutAccountError('Stripe is not configured: enter bank details for manual transfers', {
      reason: 'manual_provider',
    })
  const connect = stripeConnect(config)
  let account = await findPayoutAccount(db, v.owner)
  if (!account) {
    const created = await connect.createAccount({ ownerType: v.owner.type, ownerId: v.owner.id, email: v.email })
    await insertPayoutAccountOnce(db, {
      owner_type: v.owner.type,
      owner_id: v.owner.id,
      provider: 'stripe',
      stripe_account_id: created.accountId,
      ...stateColumns(created),
      created_at: v.now,
      updated_at: v.now,
    })
    account = (await findPayoutAccount(db, v.owner))!
    await recordAudit(db, {
      actorId: v.actorId,
      action: 'payout_account.connect',
      targetType: v.owner.type,
      targetId: v.owner.id,
      details: { stripeAccountId: account.stripe_account_id },
    })
  }
  if (!account.stripe_account_id)
    throw new PayoutAccountError('this account uses manual bank transfers', { reason: 'manual_account' })
  const origin = new URL(v.origin).origin
  const url = await connect.onboardingLink({
    accountId: account.stripe_account_id,
    refreshUrl: `${origin}${v.returnPath}?connect=refresh`,
    returnUrl: `${origin}${v.returnPath}?connect=return`,
  })
  return { url }
}

/** On return from onboarding: reads the account's state now (webhooks may lag); later stale events are ignored. */
export async function refreshAccount(db: Db, owner: PayoutOwner, now: Date) {
  const account = await findPayoutAccount(db, owner)
  if (!account?.stripe_account_id || payoutConfig().provider !== 'stripe') return null
  const state = await stripeConnect().retrieveAccount(account.stripe_account_id)
  await updatePayoutAccount(db, account.id, { ...stateColumns(state), last_event_at: now, updated_at: now }, now)
  return findPayoutAccount(db, owner)
}

/**
 * A verified account.updated event: recorded once by event id; applied only when it is not older than
 * the last state applied (Stripe does not promise order). Returns whether it changed the account.
 */
export async function applyAccountUpdated(
  db: Db,
  event: AccountUpdatedEvent,
  now: Date,
): Promise<{ duplicate: boolean; applied: boolean; known: boolean }> {
  return db.transaction().execute(async (trx) => {
    const account = await lockPayoutAccountByStripeId(trx, event.accountId)
    const applies = !!account && isNewerEvent(account.last_event_at, event.createdAt)
    const recorded = await insertConnectEvent(trx, {
      provider_event_id: event.eventId,
      stripe_account_id: event.accountId,
      type: event.type,
      created_at_provider: event.createdAt,
      applied: applies,
      received_at: now,
    })
    if (!recorded) return { duplicate: true, applied: false, known: !!account }
    if (!account || !applies) return { duplicate: false, applied: false, known: !!account }
    await updatePayoutAccount(trx, account.id, {
      ...stateColumns(event),
      last_event_at: event.createdAt,
      updated_at: now,
    })
    return { duplicate: false, applied: true, known: true }
  })
}

/** Manual provider: the bank account the operator transfers to. Refused when Stripe is configured. */
export async function saveBankDetails(
  db: Db,
  v: { owner: PayoutOwner; holder: string; bankName: string; account: string; actorId: string; now: Date },
) {
  if (payoutConfig().provider !== 'manual')
    throw new PayoutAccountError('payouts go through Stripe: connect an account instead', { reason: 'stripe_provider' })
  const existing = await findPayoutAccount(db, v.owner)
  if (existing && existing.provider !== 'manual')
    throw new PayoutAccountError('this owner already has a Stripe account', { reason: 'stripe_account' })
  const cols = {
    bank_holder: v.holder,
    bank_name: v.bankName,
    bank_account: v.account,
    status: 'enabled' as const,
    payouts_enabled: true,
    details_submitted: true,
    updated_at: v.now,
  }
  await upsertPayoutAccount(
    db,
    {
      owner_type: v.owner.type,
      owner_id: v.owner.id,
      provider: 'manual',
      stripe_account_id: null,
      ...cols,
      created_at: v.now,
    },
    cols,
  )
  await recordAudit(db, {
    actorId: v.actorId,
    action: 'payout_account.bank_details',
    targetType: v.owner.type,
    targetId: v.owner.id,
    details: { bankName: v.bankName, accountTail: v.account.replace(/\D/g, '').slice(-4) },
  })
}
