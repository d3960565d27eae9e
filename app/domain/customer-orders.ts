// Customers buying through a reseller: who may order, at what price, and what each side earns. Pure: no I/O.
import { DomainError } from './errors'
import { shareOf, money, type Currency } from './money'
import { checkRetailPrice, type FloorKind } from './retail-pricing'

export class TooManyOpenOrdersError extends DomainError {
  readonly code = 'too_many_open_orders'
  override readonly status = 429
}

export class ItemUnavailableError extends DomainError {
  readonly code = 'item_unavailable'
  override readonly status = 409
}

export class NotACustomerOrderLineError extends DomainError {
  readonly code = 'not_customer_line'
  override readonly status = 409
}

/**
 * One form of a mobile number, so caps and hold limits count a person once: spaces and dashes dropped,
 * a mainland number given with +86 or 0086 stored as its 11 digits. Null when it is not a phone number.
 */
export function normaliseMobile(input: string): string | null {
  let s = input.replace(/[\s-]/g, '')
  if (/^(\+|00)86(1\d{10})$/.test(s)) s = s.replace(/^(\+|00)86/, '')
  if (s.startsWith('00')) s = '+' + s.slice(2)
  return /^\+?[0-9]{6,20}$/.test(s) ? s : null
}

/** What the reseller sees of her customer's number: the first 3 and last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '')
  if (digits.length <= 7) return digits.slice(0, 2) + '*'.repeat(Math.max(1, digits.length - 2))
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4)
}

/** The refusal when a mobile number or a client already holds `limit` unpaid orders. */
export function tooManyOpenOrders(per: 'phone' | 'client', limit: number): TooManyOpenOrdersError {
  return per === 'phone'
    ? new TooManyOpenOrdersError('this mobile number already has unpaid orders: pay or let them expire first', {
        limit,
      })
    : new TooManyOpenOrdersError('too many unpaid orders from this device: pay or let them expire first', { limit })
}

export interface CustomerPriceCheck {
  sessionItemId: string
  /** The price the customer was shown (the share list's, or the shop's current one). */
  retailPriceMinor: number
  /** The reseller's own (wholesale) price now. */
  ownPriceMinor: number
  minRetailPriceMinor: number | null
  tagCut: boolean
}

export type PriceAlertReason = 'below_min_retail' | 'below_own_price'

const ALERT_FOR: Record<FloorKind, PriceAlertReason> = { min_retail: 'below_min_retail', own_price: 'below_own_price' }

/**
 * At order time the retail price must still be ≥ the brand's floor (items not tag-cut) and ≥ the reseller's
 * own current price. Null when it is; otherwise why not (told to the reseller, never to the customer).
 */
export function customerPriceRefusal(item: CustomerPriceCheck): PriceAlertReason | null {
  const v = checkRetailPrice(
    {
      itemId: item.sessionItemId,
      title: '',
      ownPriceMinor: item.ownPriceMinor,
      minRetailPriceMinor: item.minRetailPriceMinor,
      tagCut: item.tagCut,
    },
    item.retailPriceMinor,
  )
  return v ? ALERT_FOR[v.floor] : null
}

/** A paid customer line earns the reseller her markup: (retail − her own price at order time) × quantity. */
export function lineEarning(line: { retailUnitMinor: number; ownUnitMinor: number; quantity: number }): number {
  if (line.ownUnitMinor > line.retailUnitMinor) throw new RangeError('retail price below the reseller’s own price')
  return (line.retailUnitMinor - line.ownUnitMinor) * line.quantity
}

/** A refund of `quantity` units of a line reverses exactly that many units' markup (a negative amount). */
export function lineReversal(line: { retailUnitMinor: number; ownUnitMinor: number }, quantity: number): number {
  return 0 - lineEarning({ ...line, quantity })
}

/** What the customer gets back for refunded units: the retail price she paid. */
export function customerRefundMinor(lines: readonly { retailUnitMinor: number; quantity: number }[]): number {
  return lines.reduce((s, l) => s + l.retailUnitMinor * l.quantity, 0)
}

export interface LineAccount {
  customerPaidMinor: number
  brandShareMinor: number
  commissionMinor: number
  resellerEarningMinor: number
}

/**
 * Where every fen of a customer line goes, net of refunds: the brand's goods value is the reseller's own
 * price (commission is taken on it, as for members' orders) and the reseller keeps the markup.
 * customerPaid = brandShare + commission + resellerEarning, always.
 */
export function lineAccount(line: {
  retailUnitMinor: number
  ownUnitMinor: number
  quantity: number
  refundedQuantity: number
  commissionBps: number
  currency: Currency
}): LineAccount {
  const kept = line.quantity - line.refundedQuantity
  const goods = line.ownUnitMinor * kept
  const commissionMinor = shareOf(money(goods, line.currency), line.commissionBps).amountMinor
  return {
    customerPaidMinor: line.retailUnitMinor * kept,
    brandShareMinor: goods - commissionMinor,
    commissionMinor,
    resellerEarningMinor: lineEarning({ ...line, quantity: kept }),
  }
}

export type CustomerOrderState = 'pending_payment' | 'paid' | 'closed'

/** What a customer's order is to her and to the reseller: unpaid only while its hold has not expired. */
export function customerOrderState(o: { checkoutStatus: string; expiresAt: Date }, now: Date): CustomerOrderState {
  if (o.checkoutStatus === 'pending_payment' && o.expiresAt > now) return 'pending_payment'
  return o.checkoutStatus === 'paid' ? 'paid' : 'closed'
}

export class InvalidMobileError extends DomainError {
  readonly code = 'invalid_mobile'
}

export class ShopUnavailableError extends DomainError {
  readonly code = 'shop_unavailable'
  override readonly status = 409
}
