import type { Db } from '#db/client'
import { customerPhoneOfCheckout } from '#db/queries/customer-orders'
import { cancelPendingOrders, checkoutLines, closePendingCheckout, returnStock } from '#db/queries/orders'
import { orderIntegrations, type StockMovementRow } from '../orders/integrations.server'
import { stockChanged } from '../catalog/kept-reads.server'

/**
 * Cancels an unpaid checkout and returns its stock, exactly once: whoever flips the checkout out of
 * pending_payment (expiry job, member cancel) returns the stock; everyone else finds nothing to do.
 */
export async function releaseCheckout(
  db: Db,
  input: { checkoutId: string; to: 'expired' | 'cancelled'; now: Date; memberId?: string },
): Promise<boolean> {
  const closedNow = await db.transaction().execute(async (trx) => {
    const closed = await closePendingCheckout(trx, input)
    if (!closed) return false
    await cancelPendingOrders(trx, input.checkoutId, input.now)
    const lines = await checkoutLines(trx, input.checkoutId)
    // A reseller's customer's checkout counted against her mobile number's caps, not the reseller's.
    const phone = await customerPhoneOfCheckout(trx, input.checkoutId)
    const capHolder = phone ? { phone } : { memberId: closed.member_id }
    const moves: StockMovementRow[] = []
    for (const l of lines) {
      const released = await returnStock(trx, capHolder, l.session_item_sku_id, l.quantity)
      const row = {
        brandId: l.brand_id,
        sessionId: l.session_id,
        skuId: l.sku_id,
        sessionItemSkuId: l.session_item_sku_id,
        orderId: l.order_id,
        at: input.now,
      }
      moves.push({ ...row, delta: l.quantity, kind: 'sale_cancelled' })
      // The session already ended and released its unsold units: these go the same way.
      if (released) moves.push({ ...row, delta: -l.quantity, kind: 'release' })
    }
    await orderIntegrations.recordStockMovements(trx, moves)
    return true
  })
  if (closedNow) stockChanged()
  return closedNow
}
