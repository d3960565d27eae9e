import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DomainError } from '#app/domain/errors'
import { settlementFor } from '#app/domain/orders'
import { insertShareLink } from '#db/queries/reseller'
import { refundOrder, writeSettlements } from '#app/services/orders/after-sales.server'
import { placeCustomerOrder, startCustomerPayment } from '#app/services/customer-orders/checkout.server'
import { owedTo } from '#app/services/ledger/journal.server'
import { saveBankDetails } from '#app/services/payouts/accounts.server'
import { requestWithdrawal } from '#app/services/payouts/withdrawals.server'
import { decideTestPayment, startPayment } from '#app/services/payments/index.server'
import { testProvider } from '#app/services/payments/provider.server'
import { deductDeposit, refundDepositOnExit, refundDuplicateDeposit } from '#app/services/payouts/deposits.server'
import { markManualPayoutSent, runPayouts } from '#app/services/payouts/payouts.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { memberWithAddress, paidCheckout } from '#tests/fixtures/money-flows'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Random sequences of members' payments, a reseller's customers' payments, refunds (of customer orders line by
// line), sessions ending (settlement, payout, earnings released), payouts sent, the reseller's withdrawals and
// deposit actions. After every step: the whole journal sums to zero, and every balance it derives equals what the
// settlement and earnings rules compute from the orders, payouts and deposit actions themselves.

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
  | { kind: 'customerPay'; session: 0 | 1; units: [number, number] }
  | { kind: 'customerRefund'; pick: number; line: number }
  | { kind: 'withdraw' }

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
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('customerPay' as const),
      session: fc.constantFrom(0 as const, 1 as const),
      units: fc
        .tuple(fc.nat(2), fc.nat(2))
        .map(([a, b]) => (a + b === 0 ? ([1, 0] as [number, number]) : ([a, b] as [number, number]))),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('customerRefund' as const), pick: fc.nat(50), line: fc.nat(1) }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'withdraw' as const }) },
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

/** What the reseller's customer pays per unit in each session (her share link's price). */
const RETAIL = [20_000, 21_500]

interface ResellerModel {
  id: string
  sessionIds: string[]
  /** Sessions whose earnings were released: a release ran (payouts job or withdrawal) after the after-sale deadline. */
  released: Set<string>
}

/**
 * The earnings rules, computed from the orders themselves: each paid customer line earns (retail − her own price)
 * per unit not refunded; pending until its session is released, then available; withdrawals take from available.
 */
async function checkResellerBooks(r: ResellerModel) {
  const lines = await t.db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .innerJoin('customer_orders as co', 'co.checkout_id', 'o.checkout_id')
    .select(['l.session_id', 'l.quantity', 'l.refunded_quantity', 'l.unit_price_minor', 'l.refunded_minor'])
    .where('co.reseller_id', '=', r.id)
    .where('o.paid_at', 'is not', null)
    .execute()
  let pending = 0
  let released = 0
  let retailPaid = 0
  let retailRefunded = 0
  for (const l of lines) {
    const retail = RETAIL[r.sessionIds.indexOf(l.session_id)]!
    const earning = (retail - l.unit_price_minor) * (l.quantity - l.refunded_quantity)
    if (r.released.has(l.session_id)) released += earning
    else pending += earning
    retailPaid += retail * l.quantity
    retailRefunded += retail * l.refunded_quantity
    // The brand's goods value given back is her own price of the refunded units.
    expect(l.refunded_minor).toBe(l.unit_price_minor * l.refunded_quantity)
  }
  const withdrawals = await t.db
    .selectFrom('payouts')
    .select(['amount_minor', 'status'])
    .where('payee_id', '=', r.id)
    .execute()
  expect(await owedTo(t.db, 'reseller_pending', r.id)).toBe(pending)
  expect(await owedTo(t.db, 'reseller_available', r.id)).toBe(
    released - withdrawals.reduce((s, w) => s + w.amount_minor, 0),
  )
  expect(await owedTo(t.db, 'payouts_in_transit', r.id)).toBe(
    withdrawals.filter((w) => w.status === 'due' || w.status === 'failed').reduce((s, w) => s + w.amount_minor, 0),
  )
  expect(withdrawals.every((w) => w.amount_minor >= 10_000)).toBe(true)
  // Every fen the customers paid: their payments are the retail price, refunds give back the retail price.
  const customerPayments = await sum(
    sql`select sum(p.amount_minor)::text as v from payments p join customer_orders co on co.checkout_id::text = p.reference_id where p.purpose = 'customer_order' and co.reseller_id = ${r.id} and p.status in ('succeeded', 'partially_refunded', 'refunded')`,
  )
  expect(customerPayments).toBe(retailPaid)
  const customerRefunds = await sum(
    sql`select sum(f.amount_minor)::text as v from order_refunds f join orders o on o.id = f.order_id join customer_orders co on co.checkout_id = o.checkout_id where co.reseller_id = ${r.id}`,
  )
  expect(customerRefunds).toBe(retailRefunded)
}

/** Runs a release of earnings in the model: every session past its after-sale deadline is released. */
async function releaseInModel(r: ResellerModel, now: Date) {
  const sessions = await t.db
    .selectFrom('clearance_sessions')
    .select(['id', 'after_sale_deadline_at'])
    .where('id', 'in', r.sessionIds)
    .execute()
  for (const s of sessions) if (s.after_sale_deadline_at.getTime() <= now.getTime()) r.released.add(s.id)
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
    customerPaid: 0,
    customerRefunds: 0,
    customerRefundsAfterRelease: 0,
    withdrawals: 0,
    negativeAvailable: 0,
    nettedWithdrawals: 0,
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
        const itemIds: string[] = []
        for (const [i, s] of sessions.entries()) {
          const item = await addSessionItem(t.db, {
            sessionId: s.id,
            productId: p.product.id,
            skuIds: p.skus.map((x) => x.id),
            basePriceMinor: 12_345 + i * 1000,
            quantity: 500,
          })
          itemIds.push(item.id)
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
        const reseller = await createUser(t.db, { vipLevel: 1 })
        await t.db
          .insertInto('memberships')
          .values({ member_id: reseller.id, invited_by: null, invitation_code_id: null, level_since: now })
          .execute()
        await saveBankDetails(t.db, {
          owner: { type: 'reseller', id: reseller.id },
          holder: '林莉',
          bankName: '招商银行',
          account: '6225 8800 1111 2222',
          actorId: reseller.id,
          now,
        })
        const shareTokens: string[] = []
        for (const [i, s] of sessions.entries()) {
          const token = `prop${randomUUID().replace(/-/g, '')}`
          await insertShareLink(t.db, {
            token,
            userId: reseller.id,
            sessionId: s.id,
            kind: 'list',
            now,
            items: [{ itemId: itemIds[i]!, priceMinor: RETAIL[i]!, currency: 'CNY' }],
          })
          shareTokens.push(token)
        }
        const model: ResellerModel = { id: reseller.id, sessionIds: sessions.map((s) => s.id), released: new Set() }
        const customerOrders: string[] = []
        let wasNegative = false
        const books = async () => {
          await checkBooks(
            brand.id,
            sessions.map((x) => x.id),
            bps,
          )
          await checkResellerBooks(model)
        }
        await books()
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
              await releaseInModel(model, now) // the payouts job releases earnings first
              seen.payouts += (await runPayouts(t.db, now)).decided
            } else if (s.kind === 'send') {
              const due = await t.db
                .selectFrom('payouts')
                .select('id')
                .where('payee_id', 'in', [brand.id, reseller.id])
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
            } else if (s.kind === 'customerPay') {
              const placed = await placeCustomerOrder(t.db, {
                source: { kind: 'share', token: shareTokens[s.session]! },
                lines: s.units.flatMap((quantity, i) =>
                  quantity ? [{ sessionItemSkuId: skuIds[s.session]![i]!, quantity }] : [],
                ),
                customer: { name: '王小姐', phone: '13912345678', region: '上海 徐汇', line: '漕溪北路 1 号' },
                clientKey: randomUUID(),
                idempotencyKey: randomUUID(),
                now,
              })
              const started = await startCustomerPayment(t.db, { token: placed.token, origin: 'http://localhost', now })
              await decideTestPayment(t.db, started!.redirectUrl.split('/').pop()!, 'approve', now)
              const placedOrders = await t.db
                .selectFrom('orders')
                .select('id')
                .where('checkout_id', '=', placed.checkoutId)
                .execute()
              customerOrders.push(...placedOrders.map((o) => o.id))
              seen.customerPaid += 1
            } else if (s.kind === 'customerRefund' && customerOrders.length) {
              const orderId = customerOrders[s.pick % customerOrders.length]!
              const lines = await t.db
                .selectFrom('order_lines')
                .select(['id', 'session_id', 'quantity', 'refunded_quantity'])
                .where('order_id', '=', orderId)
                .orderBy('id')
                .execute()
              const line = lines[s.line % lines.length]!
              if (line.quantity > line.refunded_quantity) {
                await refundOrder(t.db, {
                  orderId,
                  lines: [{ orderLineId: line.id, quantity: 1 }],
                  reason: 'property',
                  now,
                })
                seen.customerRefunds += 1
                if (model.released.has(line.session_id)) seen.customerRefundsAfterRelease += 1
              }
            } else if (s.kind === 'withdraw') {
              await releaseInModel(model, now) // a withdrawal releases her due earnings first
              await requestWithdrawal(t.db, { resellerId: reseller.id, now })
              // Her whole available balance, net of reversals after earlier withdrawals, is on its way.
              expect(await owedTo(t.db, 'reseller_available', reseller.id)).toBe(0)
              seen.withdrawals += 1
              if (wasNegative) seen.nettedWithdrawals += 1
              wasNegative = false
            }
          } catch (e) {
            // Business refusals (session not live, brand closed, deduction too large, exit too early) are part of the game.
            if (!(e instanceof DomainError)) throw e
          }
          await books()
          if ((await owedTo(t.db, 'reseller_available', reseller.id)) < 0) {
            wasNegative = true
            seen.negativeAvailable += 1
          }
        }
      },
    ),
    {
      numRuns: Number(process.env.PROPERTY_RUNS ?? 15),
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
        [
          [
            { kind: 'customerPay', session: 0, units: [2, 1] },
            { kind: 'pay', session: 0, sku: 1, units: 1 },
            { kind: 'customerPay', session: 0, units: [1, 0] },
            { kind: 'customerRefund', pick: 1, line: 0 },
            { kind: 'advance', hours: 24 * 9 },
            { kind: 'withdraw' },
            { kind: 'send' },
            { kind: 'customerRefund', pick: 0, line: 0 },
            { kind: 'customerRefund', pick: 0, line: 1 },
            { kind: 'settle' },
            { kind: 'advance', hours: 24 },
            { kind: 'customerPay', session: 1, units: [2, 2] },
            { kind: 'advance', hours: 24 * 9 },
            { kind: 'withdraw' },
            { kind: 'settle' },
            { kind: 'send' },
          ],
          1500,
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
