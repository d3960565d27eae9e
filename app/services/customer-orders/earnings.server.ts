// The reseller's earnings ledger: written when a customer's payment succeeds and when a customer line is
// refunded, in the same transaction as the payment or refund bookkeeping. Append-only; balances are derived.
import type { Transaction } from 'kysely'
import type { Db } from '#db/client'
import type { Database } from '#db/schema'
import type { Conn } from '#db/queries/conn'
import {
  appendEarnings,
  customerLinesOfCheckout,
  customerLinesOfOrder,
  listEarnings,
  type EarningRow,
} from '#db/queries/customer-orders'
import { lineEarning, lineReversal } from '#app/domain/customer-orders'
import { earningsBalance, lineEarningState } from '#app/domain/reseller-earnings'

type Trx = Transaction<Database>

/** One earning row per paid customer line: retail − her own price at order time, available at the after-sale deadline. */
export async function creditEarningsForCheckout(trx: Trx, checkoutId: string, now: Date) {
  const lines = await customerLinesOfCheckout(trx, checkoutId)
  return appendEarnings(
    trx,
    lines.map((l): EarningRow => ({
      resellerId: l.reseller_id,
      customerOrderId: l.customer_order_id,
      orderLineId: l.order_line_id,
      kind: 'earning',
      quantity: l.quantity,
      amountMinor: lineEarning({
        retailUnitMinor: l.retail_unit_minor,
        ownUnitMinor: l.own_unit_minor,
        quantity: l.quantity,
      }),
      currency: l.currency,
      availableAt: l.after_sale_deadline_at,
      orderRefundId: null,
      at: now,
    })),
  )
}

/** The customer lines of an order (empty for a member's own order), keyed by order line. */
export async function customerLinePrices(trx: Conn, orderId: string) {
  const rows = await customerLinesOfOrder(trx, orderId)
  return new Map(rows.map((r) => [r.order_line_id, r]))
}

/** A refund of customer lines reverses exactly the refunded units' markup, once per refund and line. */
export async function reverseEarningsForRefund(
  trx: Trx,
  input: {
    refundId: string
    lines: { orderLineId: string; quantity: number }[]
    prices: Awaited<ReturnType<typeof customerLinePrices>>
    now: Date
  },
) {
  const rows: EarningRow[] = []
  for (const l of input.lines) {
    const p = input.prices.get(l.orderLineId)
    if (!p) continue
    rows.push({
      resellerId: p.reseller_id,
      customerOrderId: p.customer_order_id,
      orderLineId: l.orderLineId,
      kind: 'reversal',
      quantity: l.quantity,
      amountMinor: lineReversal({ retailUnitMinor: p.retail_unit_minor, ownUnitMinor: p.own_unit_minor }, l.quantity),
      currency: p.currency,
      availableAt: p.after_sale_deadline_at,
      orderRefundId: input.refundId,
      at: input.now,
    })
  }
  return appendEarnings(trx, rows)
}

/** Her balance (pending / available) and the ledger's history, newest first, with each line's state. */
export async function resellerEarnings(db: Db, resellerId: string, now: Date) {
  const rows = await listEarnings(db, resellerId)
  const entries = rows.map((r) => ({ kind: r.kind, amountMinor: r.amount_minor, availableAt: r.available_at }))
  const byLine = new Map<string, typeof entries>()
  rows.forEach((r, i) => byLine.set(r.order_line_id, [...(byLine.get(r.order_line_id) ?? []), entries[i]!]))
  return {
    balance: earningsBalance(entries, now),
    currency: rows[0]?.currency ?? 'CNY',
    history: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      quantity: r.quantity,
      amountMinor: r.amount_minor,
      currency: r.currency,
      availableAt: r.available_at.toISOString(),
      createdAt: r.created_at.toISOString(),
      title: r.title,
      size: r.size,
      colour: r.colour,
      customerName: r.customer_name,
      lineState: lineEarningState(byLine.get(r.order_line_id) ?? [], now),
    })),
  }
}
