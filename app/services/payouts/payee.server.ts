// A payee's own payouts page (a brand's staff, or a reseller): account, balances, payouts.
import type { Db } from '#db/client'
import { payoutAccountView, refreshAccount, type PayoutOwner } from './accounts.server'
import { brandBalances, listPayouts } from './payouts.server'
import { owedTo } from '#app/services/ledger/journal.server'
import { releaseDueEarnings } from '#app/services/customer-orders/earnings.server'
import { withdrawalMinimumMinor } from './withdrawals.server'

export async function payeeOverview(db: Db, owner: PayoutOwner, v: { returnedFromStripe: boolean; now: Date }) {
  // Back from onboarding: read the account now rather than wait for the webhook (best effort).
  if (v.returnedFromStripe)
    await refreshAccount(db, owner, v.now).catch((e) =>
      console.warn('[payouts] account refresh failed', (e as Error).message),
    )
  // A reseller's earnings past their after-sale deadline are available now, not at the next job run.
  if (owner.type === 'reseller') await releaseDueEarnings(db, v.now, owner.id)
  const [account, payouts] = await Promise.all([payoutAccountView(db, owner), listPayouts(db, { payee: owner })])
  const balances =
    owner.type === 'brand'
      ? await brandBalances(db, owner.id)
      : {
          pendingMinor: await owedTo(db, 'reseller_pending', owner.id),
          availableMinor: await owedTo(db, 'reseller_available', owner.id),
          inTransitMinor: await owedTo(db, 'payouts_in_transit', owner.id),
          currency: 'CNY',
        }
  return { account, payouts, balances, withdrawalMinimumMinor: withdrawalMinimumMinor() }
}
