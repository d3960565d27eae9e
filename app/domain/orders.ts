import { DomainError } from './errors'
import { shortageDetails } from './stock'
import { shareOf, money, type Currency } from './money'
import { PLATFORM_RULES } from './platform-rules'

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'received' | 'completed' | 'cancelled' | 'refunded'

// ---- refusals (all business refusals: 409, naming the item) ----
export class SoldOutError extends DomainError {
  readonly code = 'sold_out'
  override readonly status = 409
}
export class CapExceededError extends DomainError {
  readonly code = 'cap_exceeded'
  override readonly status = 409
}
export class SessionClosedError extends DomainError {
  readonly code = 'session_closed'
  override readonly status = 409
}
export class OrderStateError extends DomainError {
  readonly code = 'order_state'
  override readonly status = 409
}
export class AfterSaleWindowError extends DomainError {
  readonly code = 'after_sale_window'
  override readonly status = 409
}
export class RefundTooLargeError extends DomainError {
  readonly code = 'refund_too_large'
  override readonly status = 409
}
export class UnknownItemError extends DomainError {
  readonly code = 'unknown_item'
  override readonly status = 409
}
export class EmptyCheckoutError extends DomainError {
  readonly code = 'empty_checkout'
}
export class AddressNotFoundError extends DomainError {
  readonly code = 'address_not_found'
}
/** Too many unpaid checkouts (or units in them) held at once. */
export class HoldLimitError extends DomainError {
  readonly code = 'hold_limit'
  override readonly status = 409
}
/** An Idempotency-Key reused for a different checkout. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'idempotency_key_reused'
}
/** A refusal given before to the same Idempotency-Key, given again. */
export class RecordedRefusal extends DomainError {
  constructor(
    readonly code: string,
    override readonly status: 409 | 422 | 429,
    message: string,
    details: Record<string, unknown>,
  ) {
    super(message, details)
  }
}
/** More buyers of one item waiting at once than the checkout queues. */
export class CheckoutBusyError extends DomainError {
  readonly code = 'busy'
  override readonly status = 429
}

export interface RequestedLine {
  sessionItemSkuId: string
  quantity: number
}

/**
 * The fixed lock order of a checkout: one entry per SKU (duplicates summed), sorted by id, so two
 * checkouts never wait on each other's rows in opposite orders (no deadlocks).
 */
export function lockOrder(lines: readonly RequestedLine[]): RequestedLine[] {
  const merged = new Map<string, number>()
  for (const l of lines) merged.set(l.sessionItemSkuId, (merged.get(l.sessionItemSkuId) ?? 0) + l.quantity)
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sessionItemSkuId, quantity]) => ({ sessionItemSkuId, quantity }))
}

/** The number that names a purchase (one checkout, one payment) on the payment page and on each of its orders. */
export function purchaseNo(checkoutId: string): string {
  return checkoutId.slice(0, 8).toUpperCase()
}

export function paymentDeadline(createdAt: Date, holdMs: number = PLATFORM_RULES.unpaidHoldMs): Date {
  return new Date(createdAt.getTime() + holdMs)
}

export function shipByDeadline(paidAt: Date): Date {
  return new Date(paidAt.getTime() + PLATFORM_RULES.shipWithinMs)
}

export function isLate(order: { status: OrderStatus; shipByAt: Date | null }, now: Date): boolean {
  return order.status === 'paid' && order.shipByAt !== null && now.getTime() > order.shipByAt.getTime()
}

export function autoReceiveDue(shippedAt: Date, now: Date): boolean {
  return now.getTime() >= shippedAt.getTime() + PLATFORM_RULES.autoReceiveAfterMs
}

const TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['shipped', 'refunded'],
  shipped: ['received', 'refunded'],
  received: ['completed', 'refunded'],
  completed: ['refunded'],
  cancelled: [],
  refunded: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** After-sales may be opened on a paid order until the session's after-sale deadline. */
export function canOpenAfterSale(order: { status: OrderStatus }, afterSaleDeadlineAt: Date, now: Date): boolean {
  if (!['paid', 'shipped', 'received', 'completed'].includes(order.status)) return false
  return now.getTime() < afterSaleDeadlineAt.getTime()
}

export interface RefundableLine {
  id: string
  quantity: number
  refundedQuantity: number
  unitPriceMinor: number
}

/**
 * What a refund of some lines costs: quantity × unit price each, refusing more than is left.
 * The amount is goods only (no shipping in this marketplace).
 */
export function refundLines(
  lines: readonly RefundableLine[],
  wanted: readonly { orderLineId: string; quantity: number }[],
) {
  const byId = new Map(lines.map((l) => [l.id, l]))
  const out: { orderLineId: string; quantity: number; amountMinor: number }[] = []
  for (const w of wanted) {
    const line = byId.get(w.orderLineId)
    if (!line) throw new RefundTooLargeError('unknown order line', { orderLineId: w.orderLineId })
    if (!Number.isInteger(w.quantity) || w.quantity <= 0) continue
    if (w.quantity > line.quantity - line.refundedQuantity) {
      throw new RefundTooLargeError('refund quantity exceeds what is left on the line', { orderLineId: w.orderLineId })
    }
    out.push({ orderLineId: w.orderLineId, quantity: w.quantity, amountMinor: w.quantity * line.unitPriceMinor })
  }
  if (!out.length) throw new RefundTooLargeError('nothing to refund')
  return { lines: out, amountMinor: out.reduce((s, l) => s + l.amountMinor, 0) }
}

/** Whole-order refund: everything not yet refunded. */
export function remainingLines(lines: readonly RefundableLine[]) {
  return lines
    .filter((l) => l.quantity > l.refundedQuantity)
    .map((l) => ({ orderLineId: l.id, quantity: l.quantity - l.refundedQuantity }))
}

/** Settlement per brand per session: paid − refunds − commission (commission on the net goods). */
export function settlementFor(input: {
  paidMinor: number
  refundedMinor: number
  commissionBps: number
  currency: Currency
}) {
  const net = input.paidMinor - input.refundedMinor
  const commission = shareOf(money(Math.max(0, net), input.currency), input.commissionBps).amountMinor
  return {
    paidMinor: input.paidMinor,
    refundedMinor: input.refundedMinor,
    commissionMinor: commission,
    payableMinor: net - commission,
  }
}

/** Units a member may still add under a per-member cap: the cap less what orders took and what the cart holds. */
export function capRemaining(cap: number, usage: { taken: number; inCart: number }): number {
  return Math.max(0, cap - usage.taken - usage.inCart)
}

/** A stock refusal names the item; it gives a count only when few are left (what the member's pages show too). */
export function soldOut(item: string, sessionItemSkuId: string, available: number, requested: number): SoldOutError {
  if (available <= 0) return new SoldOutError(`${item}: sold out`, { sessionItemSkuId, item })
  const { left } = shortageDetails(available, 'member')
  return left === undefined
    ? new SoldOutError(`${item}: not enough left for ${requested}`, { sessionItemSkuId, item })
    : new SoldOutError(`${item}: only ${left} left, ${requested} requested`, { sessionItemSkuId, item, left })
}

export class PaymentUnavailableError extends DomainError {
  readonly code = 'payment_unavailable'
  override readonly status = 409
}

export class ShipError extends DomainError {
  readonly code = 'ship_refused'
  override readonly status = 409
}

export class AfterSaleOpenError extends DomainError {
  readonly code = 'after_sale_open'
  override readonly status = 409
}
