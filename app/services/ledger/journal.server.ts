// Writing the journal and reading balances from it. Entries are posted inside the transaction of the
// movement they record; the database refuses to commit one that does not balance.
import type { Conn } from '#db/queries/conn'
import { checkoutEarnings, customerLines } from '#db/queries/customer-orders'
import {
  accountTotal,
  checkoutGoodsBySession,
  entryExists,
  findBrandDeposit,
  findCheckoutPayment,
  findSettlement,
  insertEntry,
  linesWithBrand,
  owedPostings,
  refundedInSession,
} from '#db/queries/ledger'
import { lineEarning } from '#app/domain/customer-orders'
import {
  balanced,
  depositReceived,
  paymentReceived,
  refundOwed,
  refundSent,
  type EntryDraft,
  type LedgerAccount,
  type RefundPart,
} from '#app/domain/ledger'

/** Posts an entry once: a reference already in the journal is a no-op (returns false). */
export async function post(trx: Conn, draft: EntryDraft): Promise<boolean> {
  const entry = balanced(draft)
  if (entry.postings.length === 0) return false
  return insertEntry(trx, { ...entry, memo: (entry.memo ?? '').slice(0, 500) })
}

export async function hasEntry(db: Conn, reference: string): Promise<boolean> {
  return entryExists(db, reference)
}

/** Signed balance (debit > 0) of an account, optionally for one party and/or session. */
export async function balanceOf(
  db: Conn,
  v: { account: LedgerAccount; partyId?: string; sessionId?: string },
): Promise<number> {
  return accountTotal(db, v)
}

/** What the platform holds for a party (a liability): the negative of its signed balance. */
export async function owedTo(db: Conn, account: LedgerAccount, partyId: string, sessionId?: string): Promise<number> {
  return 0 - (await balanceOf(db, { account, partyId, sessionId })) || 0
}

/**
 * A payment that succeeded, journaled after its purpose handler ran (in the same transaction), so what the
 * handler decided — the checkout took it, or it came late or twice — decides the accounts.
 */
export async function journalPaymentSucceeded(
  trx: Conn,
  payment: { id: string; purpose: string; reference_id: string; amount_minor: number; currency: string },
  now: Date,
): Promise<void> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(payment.reference_id)
  if (payment.purpose === 'brand_deposit') {
    const brand = !isId ? undefined : await findBrandDeposit(trx, payment.reference_id)
    if (!brand) {
      await post(
        trx,
        paymentReceived({
          paymentId: payment.id,
          amountMinor: payment.amount_minor,
          currency: payment.currency,
          occurredAt: now,
          applied: false,
          goods: [],
        }),
      )
      return
    }
    await post(
      trx,
      depositReceived({
        paymentId: payment.id,
        brandId: brand.id,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        occurredAt: now,
        duplicate: brand.deposit_payment_id !== payment.id,
      }),
    )
    return
  }
  const checkout = isId ? await findCheckoutPayment(trx, payment.reference_id) : undefined
  const applied = !!checkout && checkout.payment_id === payment.id
  const goods = applied ? await checkoutGoodsBySession(trx, checkout.id) : []
  // A reseller's customer paid her retail price: the goods are her own price, her markup is her pending earning.
  const earnings = applied && payment.purpose === 'customer_order' ? await checkoutEarnings(trx, checkout.id) : []
  await post(
    trx,
    paymentReceived({
      paymentId: payment.id,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      occurredAt: now,
      applied,
      goods: goods.map((g) => ({ brandId: g.brand_id, sessionId: g.session_id, goodsMinor: Number(g.goods) })),
      earnings: earnings.map((e) => ({
        resellerId: e.reseller_id,
        sessionId: e.session_id,
        amountMinor: Number(e.earning),
      })),
    }),
  )
}

/**
 * An approved order refund, journaled in the transaction that books it (lines already updated): what the
 * brand gives back per session, from its held goods or — the session already settled — from its payable.
 * A reseller's customer's line also gives back the markup: her earning on the refunded units is reversed, from
 * her pending earnings while the session's are pending, else from her available ones (which may go negative:
 * netted from her next withdrawal).
 */
export async function journalOrderRefund(
  trx: Conn,
  v: {
    orderRefundId: string
    orderId: string
    lines: Array<{ orderLineId: string; quantity: number; amountMinor: number }>
    now: Date
  },
): Promise<void> {
  if (v.lines.length === 0) return
  const ids = v.lines.map((l) => l.orderLineId)
  const [rows, ofCustomers] = await Promise.all([linesWithBrand(trx, ids), customerLines(trx, { orderLineIds: ids })])
  const bySession = new Map<string, RefundPart>()
  for (const l of v.lines) {
    const r = rows.find((x) => x.id === l.orderLineId)
    if (!r) continue
    const k = `${r.brand_id}|${r.session_id}`
    const part = bySession.get(k) ?? { brandId: r.brand_id, sessionId: r.session_id, goodsMinor: 0 }
    part.goodsMinor += l.amountMinor
    const c = ofCustomers.find((x) => x.order_line_id === l.orderLineId)
    if (c) {
      const markup = lineEarning({
        retailUnitMinor: c.retail_unit_minor,
        ownUnitMinor: c.own_unit_minor,
        quantity: l.quantity,
      })
      part.earning = {
        resellerId: c.reseller_id,
        amountMinor: (part.earning?.amountMinor ?? 0) + markup,
        available: false,
      }
    }
    bySession.set(k, part)
  }
  for (const part of bySession.values()) {
    if (!part.earning) continue
    const pending = await owedTo(trx, 'reseller_pending', part.earning.resellerId, part.sessionId)
    part.earning.available = pending < part.earning.amountMinor
  }
  const parts: RefundPart[] = []
  for (const p of bySession.values()) {
    const settlement = await findSettlement(trx, p.brandId, p.sessionId)
    if (!settlement) {
      parts.push(p)
      continue
    }
    // This refund's lines are already counted in refunded_minor: the total before it is the sum less this part.
    const refunded = await refundedInSession(trx, p.brandId, p.sessionId)
    parts.push({
      ...p,
      settled: {
        paidMinor: settlement.paid_minor,
        refundedBeforeMinor: refunded - p.goodsMinor,
        commissionBps: settlement.commission_bps,
      },
    })
  }
  await post(
    trx,
    refundOwed({
      key: `order-refund:${v.orderRefundId}`,
      currency: rows[0]?.currency ?? 'CNY',
      occurredAt: v.now,
      parts,
    }),
  )
}

/**
 * The provider confirmed a refund: it leaves what was owed (same session split), or unapplied receipts for a refund
 * nobody owed.
 */
export async function journalRefundSucceeded(
  trx: Conn,
  refund: { idempotency_key: string; amount_minor: number },
  payment: { currency: string },
  now: Date,
): Promise<void> {
  const owed = await owedPostings(trx, `refund-owed:${refund.idempotency_key}`)
  await post(
    trx,
    refundSent({
      key: refund.idempotency_key,
      amountMinor: refund.amount_minor,
      currency: payment.currency,
      occurredAt: now,
      owed: owed.length ? owed.map((o) => ({ sessionId: o.session_id, amountMinor: o.amount_minor })) : null,
    }),
  )
}
