// Starting a deposit payment (kept apart from deposits.server.ts, which the payments module imports
// for its purpose handler, so the two modules do not import each other).
import type { Db } from '#db/client'
import { DepositNotDueError } from '#app/domain/onboarding'
import { depositStatus } from './deposits.server'
import { startPayment } from '../payments/index.server'

/**
 * Starts the deposit payment for a brand that owes it and returns where to send the browser.
 * Refuses (409) when nothing is due.
 */
export async function startDepositPayment(
  db: Db,
  v: { brandId: string; userId: string; origin: string },
): Promise<{ paymentId: string; redirectUrl: string }> {
  const d = await depositStatus(db, v.brandId)
  if (!d || !d.due) throw new DepositNotDueError('no deposit is due for this brand', { status: d?.status })
  return startPayment(db, {
    purpose: 'brand_deposit',
    referenceId: d.brandId,
    amountMinor: d.amountMinor,
    currency: d.currency,
    description: `品牌保证金 Brand deposit · ${d.brandName}`,
    payerUserId: v.userId,
    successPath: '/brand/deposit?payment=returned',
    cancelPath: '/brand/deposit?payment=cancelled',
    origin: v.origin,
  })
}
