// The reseller's earnings live in the platform's double-entry journal (app/services/ledger): a paid customer
// checkout credits her markup to reseller_pending (journalPaymentSucceeded), a refund of a customer line debits it
// back (journalOrderRefund), and here pending earnings become available once the session's after-sale deadline has
// passed with none of her customers' requests in it still open. Balances and history are read from the journal.
import type { Db } from '#db/client'
import type { Conn } from '#db/queries/conn'
import { customerLines, earningsPostings, releasableEarnings } from '#db/queries/customer-orders'
import { earningsReleased } from '#app/domain/ledger'
import { owedTo, post } from '#app/services/ledger/journal.server'

/** The customer lines of an order (empty for a member's own order), keyed by order line. */
export async function customerLinePrices(trx: Conn, orderId: string) {
  const rows = await customerLines(trx, { orderId })
  return new Map(rows.map((r) => [r.order_line_id, r]))
}

/**
 * Moves pending earnings whose session is past its after-sale deadline (and has no open after-sale request of
 * hers) to available: one journal entry per reseller, session and state of the pending balance, so running it
 * again, or twice at once, posts nothing more. Returns how many entries were posted.
 */
export async function releaseDueEarnings(db: Db, now: Date, resellerId?: string): Promise<number> {
  const due = await releasableEarnings(db, now, resellerId)
  let posted = 0
  for (const d of due) {
    const entry = earningsReleased({
      reference: `earnings-available:${d.party_id}:${d.session_id}:${d.postings}`,
      resellerId: d.party_id!,
      sessionId: d.session_id!,
      amountMinor: -Number(d.balance),
      currency: d.currency,
      occurredAt: now,
    })
    if (await db.transaction().execute((trx) => post(trx, entry))) posted++
  }
  return posted
}

export type EarningsEvent = 'earned' | 'reversed' | 'released' | 'withdrawn' | 'other'

const EVENT_OF: Record<string, EarningsEvent> = {
  payment: 'earned',
  refund_owed: 'reversed',
  earnings_available: 'released',
  payout_reserved: 'withdrawn',
}

/** Her pending and available balances and their history, newest first, all from the journal. */
export async function resellerEarnings(db: Db, resellerId: string, now: Date) {
  await releaseDueEarnings(db, now, resellerId)
  const [pendingMinor, availableMinor, { rows }] = await Promise.all([
    owedTo(db, 'reseller_pending', resellerId),
    owedTo(db, 'reseller_available', resellerId),
    earningsPostings(db, resellerId),
  ])
  // One row per journal entry: what it did to each of her two balances (positive: owed to her more).
  const byEntry = new Map<
    string,
    {
      id: string
      event: EarningsEvent
      at: string
      currency: string
      pendingMinor: number
      availableMinor: number
      session: string | null
      customerName: string | null
      orderToken: string | null
    }
  >()
  for (const r of rows) {
    const e = byEntry.get(r.entry_id) ?? {
      id: r.entry_id,
      event: EVENT_OF[r.kind] ?? 'other',
      at: new Date(r.occurred_at).toISOString(),
      currency: r.currency,
      pendingMinor: 0,
      availableMinor: 0,
      session: r.session_title,
      customerName: r.customer_name,
      orderToken: r.order_token,
    }
    if (r.account === 'reseller_pending') e.pendingMinor -= Number(r.amount_minor)
    else e.availableMinor -= Number(r.amount_minor)
    byEntry.set(r.entry_id, e)
  }
  return {
    balance: { pendingMinor, availableMinor },
    currency: rows[0]?.currency ?? 'CNY',
    history: [...byEntry.values()],
  }
}
