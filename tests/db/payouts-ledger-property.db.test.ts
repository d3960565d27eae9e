import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DomainError } from '#app/domain/errors'
import { settlementFor } from '#app/domain/orders'
import { refundOrder, writeSettlements } from '#app/services/orders/after-sales.server'
import { decideTestPayment, startPayment } from '#app/services/payments/index.server'
import { testProvider } from '#app/services/payments/provider.server'
import { deductDeposit, refundDepositOnExit, refundDuplicateDeposit } from '#app/services/payouts/deposits.server'
import { markManualPayoutSent, runPayouts } from '#app/services/payouts/payouts.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { memberWithAddress, paidCheckout } from '#tests/fixtures/money-flows'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Random sequences of payments, refunds, sessions ending (settlement and payout), payouts sent and deposit
// actions. After every step: the whole journal sums to zero, and every balance it derives equals what the
// settlement rules compute from the orders, payouts and deposit actions themselves.

let t: TestDatabase
let operatorId = ''
const HOUR = 3_600_000
const DAY = 24 * HOUR
const DEPOSIT = 500_000

beforeAll(async () => {
  delete process.env.STRIPE_SECRET_KEY // the manual provider: payouts are marked sent by the operator
  t = await createTestDatabase()
  operatorId = (await createUser(t.db, { role: 'operator' })).id
})
afterAll(async () => {
  await t.drop()
})

type Step =
  | { kind: 'pay'; session: 0 | 1; sku: number; units: number }
  | { kind: 'refund'; pick: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'settle' }
  | { kind: 'send' }
  | { kind: 'deduct'; amount: number }
  | { kind: 'duplicateDeposit' }
  | { kind: 'exit' }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      session: fc.constantFrom(0 as const, 1 as const),
      sku: fc.nat(1),
      units: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(50) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.constantFrom(12, 60, 24 * 5, 24 * 9) }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'send' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deduct' as const), amount: fc.integer({ min: 1, max: 200_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicateDeposit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'exit' as const }) },
)

async function payDeposit(brandId: string, payerId: string, now: Date) {
  const p = await startPayment(
    t.db,
    {
      purpose: 'brand_deposit',
      referenceId: brandId,
      amountMinor: DEPOSIT,
      currency: 'CNY',
      description: 'deposit',
      payerUserId: payerId,
      successPath: '/brand/deposit',
      cancelPath: '/brand/deposit',
      origin: 'http://localhost',
    },
    now,
    testProvider,
  )
  await decideTestPayment(t.db, p.paymentId, 'approve', now)
  return p.paymentId
}

const sum = async (q: ReturnType<typeof sql<{ v: string | null }>>) => Number((await q.execute(t.db)).rows[0]?.v ?? 0)

async function checkBooks(brandId: string, sessionIds: string[], commissionBps: number) {
  // Every entry balances (the database enforces it), so the journal does.
  expect(await sum(sql`select sum(amount_minor)::text as v from ledger_postings`)).toBe(0)
  const owed = (account: string, sessionId?: string) =>
    sum(
      sessionId
        ? sql`select (-sum(amount_minor))::text as v from ledger_postings where account = ${account} and party_id = ${brandId} and session_id = ${sessionId}`
        : sql`select (-sum(amount_minor))::text as v from ledger_postings where account = ${account} and party_id = ${brandId}`,
    )
  let expectedPayable = 0
  for (const sessionId of sessionIds) {
    const paid = await sum(
      sql`select sum(l.quantity * l.unit_price_minor)::text as v from order_lines l join orders o on o.id = l.order_id where l.session_id = ${sessionId} and o.paid_at is not null`,
    )
    const refunded = await sum(
      sql`select sum(l.refunded_minor)::text as v from order_lines l join orders o on o.id = l.order_id where l.session_id = ${sessionId} and o.paid_at is not null`,
    )
    const settled = !!(await t.db
      .selectFrom('payouts')
      .select('id')
      .where('session_id', '=', sessionId)
      .executeTakeFirst())
    const rules = settlementFor({ paidMinor: paid, refundedMinor: refunded, commissionBps, currency: 'CNY' })
    // Held until the session's payout is decided; then the statement (recomputed with every refund) is the brand's payable and the platform's commission.
    expect(await owed('brand_held', sessionId)).toBe(settled ? 0 : paid - refunded)
    expect(
      await sum(
        sql`select (-sum(amount_minor))::text as v from ledger_postings where account = 'commission_income' and session_id = ${sessionId}`,
      ),
    ).toBe(settled ? rules.commissionMinor : 0)
    if (settled) expectedPayable += rules.payableMinor
  }
  const payouts = await t.db
    .selectFrom('payouts')
    .select(['amount_minor', 'status'])
    .where('payee_id', '=', brandId)
    .execute()
  const actions = await t.db
    .selectFrom('deposit_actions')
    .select(['kind', 'amount_minor'])
    .where('brand_id', '=', brandId)
    .execute()
  const actionTotal = (kind: string) => actions.filter((a) => a.kind === kind).reduce((s, a) => s + a.amount_minor, 0)
  expectedPayable += -payouts.reduce((s, p) => s + p.amount_minor, 0) + actionTotal('netting')
  expect(await owed('brand_payable')).toBe(expectedPayable)
  expect(await owed('payouts_in_transit')).toBe(
    payouts.filter((p) => p.status === 'due' || p.status === 'failed').reduce((s, p) => s + p.amount_minor, 0),
  )
  expect(await owed('deposits_held')).toBe(
    DEPOSIT - actionTotal('deduction') - actionTotal('netting') - actionTotal('exit_refund'),
  )
  // A payout never exceeds what the brand was owed: after every decision its balance is the rules' balance, and no
  // payout is negative; a negative balance exists only as debt from refunds after payouts.
  expect(payouts.every((p) => p.amount_minor >= 0)).toBe(true)
  // Cash at the provider: payments received − refunds made − payouts sent.
  const cash = await sum(sql`select sum(amount_minor)::text as v from ledger_postings where account = 'provider_cash'`)
  const paidIn = await sum(
    sql`select sum(amount_minor)::text as v from payments where status in ('succeeded', 'partially_refunded', 'refunded')`,
  )
  const refundedOut = await sum(
    sql`select sum(amount_minor)::text as v from payment_refunds where status = 'succeeded'`,
  )
  const paidOut = await sum(sql`select sum(amount_minor)::text as v from payouts where status = 'sent'`)
  expect(cash).toBe(paidIn - refundedOut - paidOut)
  // Nothing is left unapplied once duplicate payments are refunded (each step refunds at once).
  expect(
    await sum(sql`select (-sum(amount_minor))::text as v from ledger_postings where account = 'unapplied_receipts'`),
  ).toBe(0)
}

it('the journal balances and matches the settlement rules after every step of random histories', async () => {
  // What the random histories reached, so the property is known to have exercised every movement.
  const seen = {
    paid: 0,
    refunds: 0,
    refundsAfterPayout: 0,
    payouts: 0,
    sent: 0,
    deductions: 0,
    duplicates: 0,
    exits: 0,
  }
  await fc.assert(
    fc.asyncProperty(
      fc.array(step, { minLength: 4, maxLength: 14 }),
      fc.integer({ min: 0, max: 2000 }),
      async (steps, bps) => {
        const t0 = new Date(Date.now() + 30 * DAY)
        let now = new Date(t0.getTime() + HOUR)
        const brand = await createBrand(t.db, { status: 'awaiting_deposit' })
        await t.db.updateTable('brands').set({ commission_bps: bps }).where('id', '=', brand.id).execute()
        const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
        await payDeposit(brand.id, staff.id, now)
        const sessions = [
          await createSession(t.db, { brandId: brand.id, startsAt: t0 }),
          await createSession(t.db, { brandId: brand.id, startsAt: new Date(t0.getTime() + 10 * DAY) }),
        ]
        const p = await createProduct(t.db, { brandId: brand.id, title: '针织衫', sizes: ['S', 'M'] })
        const skuIds: string[][] = []
        for (const [i, s] of sessions.entries()) {
          const item = await addSessionItem(t.db, {
            sessionId: s.id,
            productId: p.product.id,
            skuIds: p.skus.map((x) => x.id),
            basePriceMinor: 12_345 + i * 1000,
            quantity: 500,
          })
          skuIds.push(
            (
              await t.db
                .selectFrom('session_item_skus')
                .select('id')
                .where('session_item_id', '=', item.id)
                .orderBy('id')
                .execute()
            ).map((x) => x.id),
          )
        }
        const { member, addressId } = await memberWithAddress(t.db)
        const orders: string[] = []
        await checkBooks(
          brand.id,
          sessions.map((s) => s.id),
          bps,
        )
        for (const s of steps) {
          try {
            if (s.kind === 'pay') {
              const placed = await paidCheckout(t.db, {
                memberId: member.id,
                addressId,
                lines: [{ sessionItemSkuId: skuIds[s.session]![s.sku]!, quantity: s.units }],
                now,
              })
              orders.push(...placed.orderIds)
              seen.paid += 1
            } else if (s.kind === 'refund' && orders.length) {
              const orderId = orders[s.pick % orders.length]!
              const line = await t.db
                .selectFrom('order_lines')
                .select(['id', 'quantity', 'refunded_quantity'])
                .where('order_id', '=', orderId)
                .executeTakeFirstOrThrow()
              if (line.quantity > line.refunded_quantity) {
                await refundOrder(t.db, {
                  orderId,
                  lines: [{ orderLineId: line.id, quantity: 1 }],
                  reason: 'property',
                  now,
                })
                seen.refunds += 1
                if (await t.db.selectFrom('payouts').select('id').where('payee_id', '=', brand.id).executeTakeFirst())
                  seen.refundsAfterPayout += 1
              }
            } else if (s.kind === 'advance') {
              now = new Date(now.getTime() + s.hours * HOUR)
            } else if (s.kind === 'settle') {
              await writeSettlements(t.db, now)
              seen.payouts += (await runPayouts(t.db, now)).decided
            } else if (s.kind === 'send') {
              const due = await t.db
                .selectFrom('payouts')
                .select('id')
                .where('payee_id', '=', brand.id)
                .where('status', '=', 'due')
                .execute()
              for (const d of due)
                if (await markManualPayoutSent(t.db, { payoutId: d.id, operatorId, now })) seen.sent += 1
            } else if (s.kind === 'deduct') {
              await deductDeposit(t.db, {
                brandId: brand.id,
                amountMinor: s.amount,
                reason: 'penalty',
                operatorId,
                now,
              })
              seen.deductions += 1
            } else if (s.kind === 'duplicateDeposit') {
              const paymentId = await payDeposit(brand.id, staff.id, now)
              await refundDuplicateDeposit(t.db, { paymentId, now })
              seen.duplicates += 1
            } else if (s.kind === 'exit') {
              await refundDepositOnExit(t.db, { brandId: brand.id, reason: 'leaving', operatorId, now })
              seen.exits += 1
            }
          } catch (e) {
            // Business refusals (session not live, brand closed, deduction too large, exit too early) are part of the game.
            if (!(e instanceof DomainError)) throw e
          }
          await checkBooks(
            brand.id,
            sessions.map((x) => x.id),
            bps,
          )
        }
      },
    ),
    {
      numRuns: 15,
      examples: [
        [
          [
            { kind: 'pay', session: 0, sku: 0, units: 3 },
            { kind: 'advance', hours: 24 * 9 },
            { kind: 'settle' },
            { kind: 'send' },
            { kind: 'refund', pick: 0 },
            { kind: 'advance', hours: 24 },
            { kind: 'pay', session: 1, sku: 1, units: 1 },
            { kind: 'advance', hours: 24 * 9 },
            { kind: 'settle' },
            { kind: 'refund', pick: 1 },
            { kind: 'send' },
            { kind: 'duplicateDeposit' },
            { kind: 'deduct', amount: 1000 },
            { kind: 'exit' },
          ],
          1000,
        ],
      ],
    },
  )
  expect(
    Object.entries(seen)
      .filter(([, n]) => n === 0)
      .map(([k]) => k),
  ).toEqual([])
}, 600_000)
