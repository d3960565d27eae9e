import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paymentReceived, refundOwed } from '#app/domain/ledger'
import { WithdrawalRefusedError } from '#app/domain/payouts'
import { owedTo, post } from '#app/services/ledger/journal.server'
import { saveBankDetails } from '#app/services/payouts/accounts.server'
import { listPayouts, markManualPayoutSent, runPayouts } from '#app/services/payouts/payouts.server'
import { requestWithdrawal } from '#app/services/payouts/withdrawals.server'
import { createBrand, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// A reseller withdraws her available earnings through the payouts (the manual provider here): the whole available
// balance, at least the minimum; pending earnings stay; a reversal after a withdrawal is netted from the next one.

let t: TestDatabase
let operatorId = ''
const DAY = 86_400_000

beforeAll(async () => {
  delete process.env.STRIPE_SECRET_KEY
  t = await createTestDatabase()
  operatorId = (await createUser(t.db, { role: 'operator' })).id
})
afterAll(async () => {
  await t.drop()
})

/** A customer's payment with `earningMinor` of markup for the reseller, in a session that ended `endedDaysAgo`. */
async function earned(resellerId: string, earningMinor: number, sessionStart: Date) {
  const brand = await createBrand(t.db)
  const session = await createSession(t.db, { brandId: brand.id, startsAt: sessionStart })
  await t.db.transaction().execute((trx) =>
    post(
      trx,
      paymentReceived({
        paymentId: randomUUID(),
        amountMinor: 20_000 + earningMinor,
        currency: 'CNY',
        occurredAt: sessionStart,
        applied: true,
        goods: [{ brandId: brand.id, sessionId: session.id, goodsMinor: 20_000 }],
        earnings: [{ resellerId, sessionId: session.id, amountMinor: earningMinor }],
      }),
    ),
  )
  return { brand, session }
}

const balances = async (id: string) => ({
  pending: await owedTo(t.db, 'reseller_pending', id),
  available: await owedTo(t.db, 'reseller_available', id),
  inTransit: await owedTo(t.db, 'payouts_in_transit', id),
})

describe('reseller withdrawals', () => {
  it('withdraws all that is available once, never what is pending, nets a later reversal, and is paid out', async () => {
    const r = await createUser(t.db, { vipLevel: 1 })
    const now = new Date()
    const past = await earned(r.id, 15_000, new Date(now.getTime() - 30 * DAY))
    await earned(r.id, 9_000, new Date(now.getTime() - DAY)) // its after-sale window is still open

    // No account to pay to yet.
    await expect(requestWithdrawal(t.db, { resellerId: r.id, now })).rejects.toMatchObject({
      code: 'withdrawal_refused',
      details: { reason: 'no_account' },
    })
    await saveBankDetails(t.db, {
      owner: { type: 'reseller', id: r.id },
      holder: '林莉',
      bankName: '招商银行杭州分行',
      account: '6225 8800 1111 2222',
      actorId: r.id,
      now,
    })

    // Two requests at once: one withdrawal of everything available; the pending earning stays.
    const both = await Promise.allSettled([1, 2].map(() => requestWithdrawal(t.db, { resellerId: r.id, now })))
    const ok = both.filter((x) => x.status === 'fulfilled') as PromiseFulfilledResult<
      Awaited<ReturnType<typeof requestWithdrawal>>
    >[]
    expect(ok).toHaveLength(1)
    expect(ok[0]!.value).toMatchObject({ amountMinor: 15_000, currency: 'CNY', sent: null })
    expect((both.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      WithdrawalRefusedError,
    )
    expect(await balances(r.id)).toEqual({ pending: 9_000, available: 0, inTransit: 15_000 })
    const [payout] = await listPayouts(t.db, { payee: { type: 'reseller', id: r.id } })
    expect(payout).toMatchObject({
      kind: 'reseller_withdrawal',
      status: 'due',
      provider: 'manual',
      amountMinor: 15_000,
    })

    // The operator makes the bank transfer.
    await markManualPayoutSent(t.db, { payoutId: payout!.id, operatorId, now })
    expect(await balances(r.id)).toEqual({ pending: 9_000, available: 0, inTransit: 0 })

    // A customer's refund after the withdrawal takes 4,000 of markup back from her available balance: negative.
    await t.db.transaction().execute((trx) =>
      post(
        trx,
        refundOwed({
          key: `test:${randomUUID()}`,
          currency: 'CNY',
          occurredAt: now,
          parts: [
            {
              brandId: past.brand.id,
              sessionId: past.session.id,
              goodsMinor: 1_000,
              earning: { resellerId: r.id, amountMinor: 4_000, available: true },
            },
          ],
        }),
      ),
    )
    expect((await balances(r.id)).available).toBe(-4_000)

    // The second session's deadline passes (the payouts job releases it): 9,000 − 4,000 = 5,000 < the ¥100 minimum.
    const later = new Date(now.getTime() + 30 * DAY)
    await runPayouts(t.db, later)
    expect(await balances(r.id)).toEqual({ pending: 0, available: 5_000, inTransit: 0 })
    await expect(requestWithdrawal(t.db, { resellerId: r.id, now: later })).rejects.toMatchObject({
      code: 'withdrawal_refused',
      details: { availableMinor: 5_000, minimumMinor: 10_000 },
    })

    // More earnings: the next withdrawal is the net balance.
    await earned(r.id, 7_000, new Date(now.getTime() - 20 * DAY))
    const next = await requestWithdrawal(t.db, { resellerId: r.id, now: later })
    expect(next.amountMinor).toBe(12_000)
    expect(await balances(r.id)).toEqual({ pending: 0, available: 0, inTransit: 12_000 })

    // The journal still balances, and the operator's payouts list shows her withdrawals.
    const total = await sql<{
      s: string
    }>`select coalesce(sum(amount_minor), 0)::text as s from ledger_postings`.execute(t.db)
    expect(Number(total.rows[0]!.s)).toBe(0)
    const all = await listPayouts(t.db)
    expect(all.filter((p) => p.kind === 'reseller_withdrawal' && p.payee === r.display_name)).toHaveLength(2)
  })
})
