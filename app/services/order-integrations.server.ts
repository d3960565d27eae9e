import type { Db } from '#db/client'
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema'
import { refundPayment, startPayment } from './payments/index.server'

// The orders feature's calls into other features (payments, membership ledger, catalog stock
// movements), in one replaceable object. At merge the lead points each field at the real function
// (see README, orders section); tests replace fields to observe the calls.

export interface StartPaymentInput {
  purpose: 'order'
  referenceId: string
  amountMinor: number
  currency: string
  description: string
  payerUserId: string
  successPath: string
  cancelPath: string
  origin: string
}
export interface RefundPaymentInput {
  paymentId: string
  amountMinor: number
  idempotencyKey: string
  reason: string
}
type Trx = Transaction<Database>

export interface StockMovementRow {
  brandId: string
  sessionId: string
  skuId: string
  sessionItemSkuId: string
  /** Signed units: −q for a sale, +q when a cancelled sale returns stock. */
  delta: number
  kind: 'sale' | 'sale_cancelled'
  orderId: string
  at: Date
}

export interface OrderIntegrations {
  startPayment(db: Db, input: StartPaymentInput): Promise<{ paymentId: string; redirectUrl: string }>
  refundPayment(db: Db, input: RefundPaymentInput): Promise<{ refundId: string; status: string }>
  creditPurchasePoints(trx: Trx, input: { memberId: string; orderId: string; paidGoodsMinor: number; now: Date }): Promise<unknown>
  awardInviteBonusIfFirstOrder(trx: Trx, input: { memberId: string; orderId: string; now: Date }): Promise<unknown>
  revokePurchasePoints(trx: Trx, input: { memberId: string; orderId: string; refundId: string; refundedGoodsMinor: number; now: Date }): Promise<unknown>
  recordStockMovements(trx: Trx, rows: StockMovementRow[]): Promise<unknown>
}

export class PaymentsUnavailableError extends Error {
  constructor() {
    super('no payment provider is wired to orders')
  }
}

// Payments are wired (called lazily: the payments module imports the order handler, a cycle at load time).
// Membership and catalog are not in main yet: their calls do nothing until the lead wires them here.
const unwired: OrderIntegrations = {
  startPayment: (db, input) => startPayment(db, input),
  refundPayment: (db, input) => refundPayment(db, input),
  creditPurchasePoints: async () => undefined,
  awardInviteBonusIfFirstOrder: async () => undefined,
  revokePurchasePoints: async () => undefined,
  recordStockMovements: async () => undefined,
}

export const orderIntegrations: OrderIntegrations = { ...unwired }

/** Points the orders feature at other features' functions (the server and tests call this). */
export function wireOrderIntegrations(parts: Partial<OrderIntegrations>) {
  Object.assign(orderIntegrations, parts)
}

export function resetOrderIntegrations() {
  Object.assign(orderIntegrations, unwired)
}
