import { describe, expect, it } from 'vitest'
import {
  balanced,
  paymentReceived,
  reconcile,
  refundOwed,
  refundSent,
  settlementAdjustment,
  settlementPosted,
  UnbalancedEntryError,
} from './ledger'
import { settlementFor } from './orders'

const at = new Date('2026-12-06T02:00:00Z')
const sum = (ps: Array<{ amountMinor: number }>) => ps.reduce((s, p) => s + p.amountMinor, 0)

describe('entries', () => {
  it('refuses an entry that does not balance, overall or within a session', () => {
    expect(() =>
      balanced({
        reference: 'x',
        kind: 'x',
        currency: 'CNY',
        occurredAt: at,
        postings: [
          { account: 'provider_cash', amountMinor: 100 },
          { account: 'other_income', amountMinor: -99 },
        ],
      }),
    ).toThrow(UnbalancedEntryError)
    expect(() =>
      balanced({
        reference: 'x',
        kind: 'x',
        currency: 'CNY',
        occurredAt: at,
        postings: [
          { account: 'provider_cash', sessionId: 'a', amountMinor: 100 },
          { account: 'other_income', sessionId: 'b', amountMinor: -100 },
        ],
      }),
    ).toThrow(/session a/)
  })

  it("a checkout payment holds each brand's goods per session and books the rest as other income", () => {
    const e = paymentReceived({
      paymentId: 'p',
      amountMinor: 30_500,
      currency: 'CNY',
      occurredAt: at,
      applied: true,
      goods: [
        { brandId: 'b1', sessionId: 's1', goodsMinor: 20_000 },
        { brandId: 'b2', sessionId: 's2', goodsMinor: 10_000 },
      ],
    })
    expect(sum(e.postings)).toBe(0)
    expect(e.postings).toEqual(
      expect.arrayContaining([
        { account: 'brand_held', partyId: 'b1', sessionId: 's1', amountMinor: -20_000 },
        { account: 'brand_held', partyId: 'b2', sessionId: 's2', amountMinor: -10_000 },
        { account: 'other_income', partyId: null, sessionId: null, amountMinor: -500 },
      ]),
    )
    const late = paymentReceived({
      paymentId: 'q',
      amountMinor: 30_500,
      currency: 'CNY',
      occurredAt: at,
      applied: false,
      goods: [],
    })
    expect(late.postings.find((p) => p.account === 'unapplied_receipts')?.amountMinor).toBe(-30_500)
  })

  it.each([
    { paid: 30_000, before: 0, after: 10_000, bps: 1000 },
    { paid: 12_345, before: 1_111, after: 5_555, bps: 833 },
    { paid: 999, before: 0, after: 999, bps: 5000 },
  ])('a refund after settlement takes back exactly the change in the statement: %o', ({ paid, before, after, bps }) => {
    const adj = settlementAdjustment({
      paidMinor: paid,
      refundedBeforeMinor: before,
      refundedAfterMinor: after,
      commissionBps: bps,
    })
    const s0 = settlementFor({ paidMinor: paid, refundedMinor: before, commissionBps: bps, currency: 'CNY' })
    const s1 = settlementFor({ paidMinor: paid, refundedMinor: after, commissionBps: bps, currency: 'CNY' })
    expect(adj.payableMinor).toBe(s0.payableMinor - s1.payableMinor)
    expect(adj.commissionMinor).toBe(s0.commissionMinor - s1.commissionMinor)
    expect(adj.payableMinor + adj.commissionMinor).toBe(after - before)
  })

  it('a refund owed and then sent leaves the same sessions it was owed from', () => {
    const owed = refundOwed({
      key: 'k',
      currency: 'CNY',
      occurredAt: at,
      parts: [
        { brandId: 'b', sessionId: 's1', goodsMinor: 5_000 },
        {
          brandId: 'b',
          sessionId: 's2',
          goodsMinor: 3_000,
          settled: { paidMinor: 30_000, refundedBeforeMinor: 0, commissionBps: 1000 },
        },
      ],
    })
    const sent = refundSent({
      key: 'k',
      amountMinor: 8_000,
      currency: 'CNY',
      occurredAt: at,
      owed: owed.postings
        .filter((p) => p.account === 'refunds_owed')
        .map((p) => ({ sessionId: p.sessionId ?? null, amountMinor: p.amountMinor })),
    })
    const rows = reconcile([...owed.postings, ...sent.postings])
    expect(rows).toMatchObject({ inMinor: 0, outMinor: 8_000, commissionMinor: -300, differenceMinor: 0 })
  })

  it('reconciliation: in − out − commission − other income − held is zero for balanced postings', () => {
    const pay = paymentReceived({
      paymentId: 'p',
      amountMinor: 30_000,
      currency: 'CNY',
      occurredAt: at,
      applied: true,
      goods: [{ brandId: 'b', sessionId: 's', goodsMinor: 30_000 }],
    })
    const settle = settlementPosted({
      settlementId: 'x',
      brandId: 'b',
      sessionId: 's',
      paidMinor: 30_000,
      refundedMinor: 0,
      commissionMinor: 3_000,
      payableMinor: 27_000,
      currency: 'CNY',
      occurredAt: at,
    })
    expect(reconcile([...pay.postings, ...settle.postings])).toEqual({
      inMinor: 30_000,
      outMinor: 0,
      commissionMinor: 3_000,
      otherIncomeMinor: 0,
      heldMinor: 27_000,
      differenceMinor: 0,
    })
  })
})
