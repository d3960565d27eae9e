import type { Db } from '#db/client'
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { awardInviteBonusIfFirstOrder, creditPurchasePoints, revokePurchasePoints } from '../membership/growth.server'
import { refundPayment, startPayment, type StartPaymentInput as PaymentStartInput } from '../payments/index.server'
import { recordStockMovements } from '../catalog/stock-movements.server'

// The orders feature's calls into other features (payments, membership ledger, catalog stock
// movements), in one object so tests can replace a field to observe or fail a call.

/** The payments feature's inputs, narrowed to what orders send. */
export type StartPaymentInput = PaymentStartInput & { purpose: 'order' }
export type RefundPaymentInput = Parameters<typeof refundPayment>[1] & { reason: string }
type Trx = Transaction<Database>

export interface StockMovementRow {
  brandId: string
  sessionId: string
  skuId: string
  sessionItemSkuId: string
  /** Signed units: −q for a sale or release, +q when a cancelled sale or a returned parcel brings stock back. */
  delta: number
  kind: 'sale' | 'sale_cancelled' | 'release' | 'return'
  /** The order, when the movement is one order's (a group-commit batch records its sale as one movement). */
  orderId?: string
  at: Date
}

export interface OrderIntegrations {
  startPayment(db: Db, input: StartPaymentInput): Promise<{ paymentId: string; redirectUrl: string }>
  refundPayment(db: Db, input: RefundPaymentInput): Promise<{ refundId: string; status: string }>
  creditPurchasePoints(
    trx: Trx,
    input: { memberId: string; orderId: string; paidGoodsMinor: number; now: Date },
  ): Promise<unknown>
  awardInviteBonusIfFirstOrder(trx: Trx, input: { memberId: string; orderId: string; now: Date }): Promise<unknown>
  revokePurchasePoints(
    trx: Trx,
    input: { memberId: string; orderId: string; refundId: string; refundedGoodsMinor: number; now: Date },
  ): Promise<unknown>
  recordStockMovements(trx: Trx, rows: StockMovementRow[]): Promise<unknown>
}

// The real functions of the payments, membership (growth ledger) and catalog (stock movements)
// features, called lazily (the payments module imports the order handler: a cycle at load time).
const wired: OrderIntegrations = {
  startPayment: (db, input) => startPayment(db, input),
  refundPayment: (db, input) => refundPayment(db, input),
  creditPurchasePoints: (trx, input) => creditPurchasePoints(trx, input),
  awardInviteBonusIfFirstOrder: (trx, input) => awardInviteBonusIfFirstOrder(trx, input),
  revokePurchasePoints: (trx, input) => revokePurchasePoints(trx, input),
  recordStockMovements: (trx, rows) =>
    recordStockMovements(
      trx,
      rows.map((r) => ({
        brandId: r.brandId,
        sessionId: r.sessionId,
        sessionItemSkuId: r.sessionItemSkuId,
        kind: r.kind,
        quantity: r.delta,
        createdAt: r.at,
      })),
    ),
}

export const orderIntegrations: OrderIntegrations = { ...wired }

/** Points the orders feature at other features' functions (the server and tests call this). */
export function wireOrderIntegrations(parts: Partial<OrderIntegrations>) {
  Object.assign(orderIntegrations, parts)
}

export function resetOrderIntegrations() {
  Object.assign(orderIntegrations, wired)
}
