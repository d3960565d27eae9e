import Stripe from 'stripe'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as connectWebhook } from '#app/routes/webhooks.stripe-connect'
import { writeSettlements, refundOrder } from '#app/services/orders/after-sales.server'
import {
  applyAccountUpdated,
  payoutAccountView,
  refreshAccount,
  startOnboarding,
} from '#app/services/payouts/accounts.server'
import { runPayouts, retryPayout, sendPayout, brandBalances } from '#app/services/payouts/payouts.server'
import { balanceOf } from '#app/services/ledger/journal.server'
import { BASE } from '#tests/setup/http'
import { startStripeStandIn, type StripeStandIn } from '#tests/setup/stripe-stand-in'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'
import { createUser } from '#tests/fixtures/factories'
import { brandWithSession, memberWithAddress, paidCheckout } from '#tests/fixtures/money-flows'

let t: TestDatabase
let api: StripeStandIn
const savedEnv = { ...process.env }
const HOUR = 3_600_000
const DAY = 24 * HOUR
const start = new Date(Date.now() - HOUR)
const afterDeadline = new Date(start.getTime() + 48 * HOUR + 7 * DAY + HOUR)
let operatorId = ''

beforeAll(async () => {
  api = await startStripeStandIn()
  Object.assign(process.env, api.env(), { STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect_stand_in' })
  t = await createTestDatabase()
  operatorId = (await createUser(t.db, { role: 'operator' })).id
})
afterAll(async () => {
  for (const k of [...Object.keys(api.env()), 'STRIPE_CONNECT_WEBHOOK_SECRET']) {
    if (savedEnv[k] === undefined) delete process.env[k]
    else process.env[k] = savedEnv[k]
  }
  await api.close()
  await t.drop()
})

let eventN = 0
function accountEvent(account: { id: string }, createdSec: number, id = `evt_acct_${eventN++}`) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: createdSec,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'account.updated',
    account: account.id,
    data: { object: account },
  }
}
async function deliver(body: unknown, secret = 'whsec_connect_stand_in') {
  const payload = JSON.stringify(body)
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret })
  const res = await connectWebhook({
    request: new Request(`${BASE}/webhooks/stripe-connect`, {
      method: 'POST',
      body: payload,
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
    }),
    params: {},
    context: {},
  })
  return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() }
}

/** A brand with an enabled Stripe account and one session with a paid order of `units` × ¥100. */
async function brandReadyToBePaid(units = 3) {
  const b = await brandWithSession(t.db, { startsAt: start, priceMinor: 10_000, commissionBps: 1000 })
  const { url } = await startOnboarding(t.db, {
    owner: { type: 'brand', id: b.brand.id },
    email: 'finance@brand.example',
    origin: BASE,
    returnPath: '/brand/payouts',
    actorId: operatorId,
    now: new Date(),
  })
  expect(url).toMatch(/^https:\/\/connect\.stripe\.com\/setup\/e\/acct_test_/)
  const account = await t.db
    .selectFrom('payout_accounts')
    .selectAll()
    .where('owner_id', '=', b.brand.id)
    .executeTakeFirstOrThrow()
  api.completeOnboarding(account.stripe_account_id!)
  await refreshAccount(t.db, { type: 'brand', id: b.brand.id }, new Date())
  const m = await memberWithAddress(t.db)
  const paid = await paidCheckout(t.db, {
    memberId: m.member.id,
    addressId: m.addressId,
    lines: [{ sessionItemSkuId: b.skuIds[0]!, quantity: units }],
    now: new Date(),
  })
  return { ...b, ...m, paid, accountId: account.stripe_account_id! }
}

async function journalTotal() {
  const r = await t.db
    .selectFrom('ledger_postings')
    .select(sql<string>`coalesce(sum(amount_minor), 0)`.as('s'))
    .executeTakeFirstOrThrow()
  return Number(r.s)
}

describe('the journal', () => {
  it('refuses to commit an entry whose debits and credits differ, and refuses edits', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        const e = await trx
          .insertInto('ledger_entries')
          .values({ reference: 'test:unbalanced', kind: 'test', currency: 'CNY', occurred_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('ledger_postings')
          .values([
            { entry_id: e.id, account: 'provider_cash', amount_minor: 100, currency: 'CNY' },
            { entry_id: e.id, account: 'other_income', amount_minor: -99, currency: 'CNY' },
          ])
          .execute()
      }),
    ).rejects.toThrow(/does not balance/)
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('ledger_entries')
          .values({ reference: 'test:empty', kind: 'test', currency: 'CNY', occurred_at: new Date() })
          .execute()
      }),
    ).rejects.toThrow(/does not balance/)
    // A posting in another currency than its entry is refused by the foreign key.
    await expect(
      t.db.transaction().execute(async (trx) => {
        const e = await trx
          .insertInto('ledger_entries')
          .values({ reference: 'test:fx', kind: 'test', currency: 'CNY', occurred_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('ledger_postings')
          .values([
            { entry_id: e.id, account: 'provider_cash', amount_minor: 100, currency: 'USD' },
            { entry_id: e.id, account: 'other_income', amount_minor: -100, currency: 'USD' },
          ])
          .execute()
      }),
    ).rejects.toThrow()
    await t.db.transaction().execute(async (trx) => {
      const e = await trx
        .insertInto('ledger_entries')
        .values({ reference: 'test:ok', kind: 'test', currency: 'CNY', occurred_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('ledger_postings')
        .values([
          { entry_id: e.id, account: 'provider_cash', amount_minor: 100, currency: 'CNY' },
          { entry_id: e.id, account: 'other_income', amount_minor: -100, currency: 'CNY' },
        ])
        .execute()
    })
    await expect(
      t.db.updateTable('ledger_postings').set({ amount_minor: 5 }).where('account', '=', 'provider_cash').execute(),
    ).rejects.toThrow(/append-only/)
    await expect(t.db.deleteFrom('ledger_entries').execute()).rejects.toThrow(/append-only/)
    expect(await journalTotal()).toBe(0)
  })
})

describe('connected accounts', () => {
  it('onboarding creates one Express account per brand (idempotency key) and a fresh link each visit', async () => {
    const b = await brandWithSession(t.db, { startsAt: start })
    const owner = { type: 'brand' as const, id: b.brand.id }
    const before = api.requests.length
    await startOnboarding(t.db, {
      owner,
      email: null,
      origin: BASE,
      returnPath: '/brand/payouts',
      actorId: operatorId,
      now: new Date(),
    })
    await startOnboarding(t.db, {
      owner,
      email: null,
      origin: BASE,
      returnPath: '/brand/payouts',
      actorId: operatorId,
      now: new Date(),
    })
    const reqs = api.requests.slice(before)
    expect(reqs.filter((r) => r.path === '/v1/accounts')).toHaveLength(1)
    expect(reqs.find((r) => r.path === '/v1/accounts')).toMatchObject({
      idempotencyKey: `connect-account:brand:${b.brand.id}`,
      body: { type: 'express', 'capabilities[transfers][requested]': 'true' },
    })
    const links = reqs.filter((r) => r.path === '/v1/account_links')
    expect(links).toHaveLength(2)
    expect(links[0]!.body).toMatchObject({
      type: 'account_onboarding',
      return_url: `${BASE}/brand/payouts?connect=return`,
      refresh_url: `${BASE}/brand/payouts?connect=refresh`,
    })
    const view = await payoutAccountView(t.db, owner)
    expect(view).toMatchObject({ provider: 'stripe', connected: true, status: 'onboarding' })
    expect(view.requirements).toEqual(expect.arrayContaining(['external_account', 'tos_acceptance.date']))
  })

  it('account.updated webhooks: signed, applied once, and an older event arriving late changes nothing', async () => {
    const b = await brandWithSession(t.db, { startsAt: start })
    const owner = { type: 'brand' as const, id: b.brand.id }
    await startOnboarding(t.db, {
      owner,
      email: null,
      origin: BASE,
      returnPath: '/brand/payouts',
      actorId: operatorId,
      now: new Date(),
    })
    const acct = (
      await t.db
        .selectFrom('payout_accounts')
        .select('stripe_account_id')
        .where('owner_id', '=', b.brand.id)
        .executeTakeFirstOrThrow()
    ).stripe_account_id!
    const pending = structuredClone(api.accounts.get(acct)!)
    pending.details_submitted = true
    pending.requirements = {
      currently_due: ['individual.verification.document'],
      past_due: [],
      eventually_due: [],
      disabled_reason: 'requirements.pending_verification',
    }
    const enabled = structuredClone(api.completeOnboarding(acct))
    const now = Math.floor(Date.now() / 1000)

    // Wrong secret, or no signature: 400, nothing recorded.
    expect((await deliver(accountEvent(enabled, now), 'whsec_wrong')).status).toBe(400)
    const unsigned = await connectWebhook({
      request: new Request(`${BASE}/webhooks/stripe-connect`, { method: 'POST', body: '{}' }),
      params: {},
      context: {},
    })
    expect(unsigned.status).toBe(400)

    // The newer event (enabled) arrives first, then the older one (still verifying) and a duplicate of the newer.
    const newer = accountEvent(enabled, now + 10)
    expect((await deliver(newer)).body).toMatchObject({ handled: true, applied: true, duplicate: false })
    expect((await deliver(accountEvent(pending, now))).body).toMatchObject({
      handled: true,
      applied: false,
      duplicate: false,
    })
    expect((await deliver(newer)).body).toMatchObject({ duplicate: true, applied: false })
    expect(await payoutAccountView(t.db, owner)).toMatchObject({ status: 'enabled', requirements: [] })

    // A later restriction applies, with what Stripe still needs; the payments secret is accepted too.
    const restricted = {
      ...enabled,
      payouts_enabled: false,
      requirements: {
        currently_due: ['external_account'],
        past_due: ['external_account'],
        eventually_due: [],
        disabled_reason: 'requirements.past_due',
      },
    }
    expect((await deliver(accountEvent(restricted, now + 20), process.env.STRIPE_WEBHOOK_SECRET!)).body).toMatchObject({
      applied: true,
    })
    expect(await payoutAccountView(t.db, owner)).toMatchObject({
      status: 'restricted',
      requirements: ['external_account'],
      disabledReason: 'requirements.past_due',
    })
    const events = await t.db
      .selectFrom('connect_events')
      .select(['provider_event_id', 'applied'])
      .where('stripe_account_id', '=', acct)
      .execute()
    expect(events.map((e) => e.applied).sort()).toEqual([false, true, true])

    // An account we do not know is recorded and ignored; other event types are acknowledged.
    expect((await deliver(accountEvent({ ...enabled, id: 'acct_unknown' }, now))).body).toMatchObject({
      handled: false,
    })
    expect(
      (await deliver({ ...accountEvent(enabled, now), type: 'account.application.authorized' })).body,
    ).toMatchObject({ handled: false })
  })

  it('applies the same event concurrently exactly once', async () => {
    const b = await brandWithSession(t.db, { startsAt: start })
    await startOnboarding(t.db, {
      owner: { type: 'brand', id: b.brand.id },
      email: null,
      origin: BASE,
      returnPath: '/brand/payouts',
      actorId: operatorId,
      now: new Date(),
    })
    const acct = (
      await t.db
        .selectFrom('payout_accounts')
        .select('stripe_account_id')
        .where('owner_id', '=', b.brand.id)
        .executeTakeFirstOrThrow()
    ).stripe_account_id!
    const ev = {
      eventId: `evt_race_${acct}`,
      type: 'account.updated',
      createdAt: new Date(),
      accountId: acct,
      payoutsEnabled: true,
      detailsSubmitted: true,
      requirements: [],
      disabledReason: null,
    }
    const results = await Promise.all(Array.from({ length: 6 }, () => applyAccountUpdated(t.db, ev, new Date())))
    expect(results.filter((r) => r.applied)).toHaveLength(1)
    expect(results.filter((r) => r.duplicate)).toHaveLength(5)
  })
})

describe('brand payouts through Stripe transfers', () => {
  it('a final settlement is transferred exactly once, with the session as transfer group, under concurrent and repeated runs', async () => {
    const b = await brandReadyToBePaid(3)
    // Before the after-sale deadline nothing is settled or paid.
    await writeSettlements(t.db, new Date())
    await runPayouts(t.db, new Date())
    expect(api.transfers.filter((x) => x.destination === b.accountId)).toHaveLength(0)

    await writeSettlements(t.db, afterDeadline)
    await Promise.all([
      runPayouts(t.db, afterDeadline),
      runPayouts(t.db, afterDeadline),
      runPayouts(t.db, afterDeadline),
    ])
    await runPayouts(t.db, afterDeadline)
    const transfers = api.transfers.filter((x) => x.destination === b.accountId)
    expect(transfers).toHaveLength(1)
    // ¥300 goods − 10% commission.
    expect(transfers[0]).toMatchObject({ amount: 27_000, currency: 'cny', transfer_group: `session:${b.session.id}` })
    const payout = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('payee_id', '=', b.brand.id)
      .executeTakeFirstOrThrow()
    expect(payout).toMatchObject({
      status: 'sent',
      amount_minor: 27_000,
      provider_transfer_id: transfers[0]!.id,
      attempts: 0,
    })
    expect(
      api.requests
        .filter((r) => r.path === '/v1/transfers' && r.method === 'POST' && r.body.destination === b.accountId)
        .every((r) => r.idempotencyKey === `payout:${payout.id}:0`),
    ).toBe(true)
    expect(await brandBalances(t.db, b.brand.id)).toMatchObject({ heldMinor: 0, payableMinor: 0, inTransitMinor: 0 })
    expect(-(await balanceOf(t.db, { account: 'commission_income', sessionId: b.session.id }))).toBe(3_000)
    // Sending the sent payout again does nothing.
    expect(await sendPayout(t.db, payout.id, afterDeadline)).toBe('already_sent')
    expect(await journalTotal()).toBe(0)
  })

  it('a declined transfer is failed; the retry uses a new key and pays once', async () => {
    const b = await brandReadyToBePaid(2)
    await writeSettlements(t.db, afterDeadline)
    api.declineTransfers = 1
    await runPayouts(t.db, afterDeadline)
    let payout = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('payee_id', '=', b.brand.id)
      .executeTakeFirstOrThrow()
    expect(payout).toMatchObject({ status: 'failed', attempts: 1 })
    expect(payout.error).toMatch(/insufficient/)
    // The job leaves failed payouts to the operator, also a run that listed it as due before it failed; the
    // operator's retry sends it.
    await runPayouts(t.db, afterDeadline)
    expect(await sendPayout(t.db, payout.id, afterDeadline)).toBe('failed')
    expect(api.transfers.filter((x) => x.destination === b.accountId)).toHaveLength(0)
    expect(await retryPayout(t.db, { payoutId: payout.id, operatorId, now: afterDeadline })).toBe('sent')
    await expect(retryPayout(t.db, { payoutId: payout.id, operatorId, now: afterDeadline })).rejects.toMatchObject({
      code: 'payout_refused',
    })
    payout = await t.db.selectFrom('payouts').selectAll().where('id', '=', payout.id).executeTakeFirstOrThrow()
    expect(payout).toMatchObject({ status: 'sent', amount_minor: 18_000 })
    const keys = api.requests
      .filter((r) => r.path === '/v1/transfers' && r.method === 'POST' && r.body.destination === b.accountId)
      .map((r) => r.idempotencyKey)
    expect(new Set(keys)).toEqual(new Set([`payout:${payout.id}:0`, `payout:${payout.id}:1`]))
    expect(api.transfers.filter((x) => x.destination === b.accountId)).toHaveLength(1)
  })

  it('a transfer whose answer was lost is retried with the same key and not made twice', async () => {
    const b = await brandReadyToBePaid(1)
    await writeSettlements(t.db, afterDeadline)
    api.dropTransferAnswers = 3 // the client's own two retries are lost too
    await runPayouts(t.db, afterDeadline)
    const payout = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('payee_id', '=', b.brand.id)
      .executeTakeFirstOrThrow()
    expect(payout).toMatchObject({ status: 'failed', attempts: 0 })
    expect(await retryPayout(t.db, { payoutId: payout.id, operatorId, now: afterDeadline })).toBe('sent')
    const made = api.transfers.filter((x) => x.destination === b.accountId)
    expect(made).toHaveLength(1)
    expect(
      (
        await t.db
          .selectFrom('payouts')
          .select('provider_transfer_id')
          .where('id', '=', payout.id)
          .executeTakeFirstOrThrow()
      ).provider_transfer_id,
    ).toBe(made[0]!.id)
  })

  it("a refund after the payout is a negative balance netted from the next session's payout", async () => {
    const b = await brandReadyToBePaid(2)
    await writeSettlements(t.db, afterDeadline)
    await runPayouts(t.db, afterDeadline)
    // The operator refunds one unit after the payout: ¥100 goods, of which ¥10 was commission.
    const orderId = b.paid.orderIds[0]!
    const line = await t.db
      .selectFrom('order_lines')
      .select('id')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
    await refundOrder(t.db, {
      orderId,
      lines: [{ orderLineId: line.id, quantity: 1 }],
      reason: 'late damage claim',
      now: afterDeadline,
    })
    expect((await brandBalances(t.db, b.brand.id)).payableMinor).toBe(-9_000)

    // The brand's next session: ¥100 × 1 → payable ¥90, netted to 0; the debt stays at 0 after.
    const second = await t.db
      .insertInto('clearance_sessions')
      .values({
        brand_id: b.brand.id,
        title: '第二场',
        banner_seed: 'x',
        status: 'scheduled',
        starts_at: start,
        ends_at: new Date(start.getTime() + 48 * HOUR),
        after_sale_deadline_at: new Date(start.getTime() + 48 * HOUR + 7 * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const item = await t.db
      .selectFrom('session_items')
      .selectAll()
      .where('session_id', '=', b.session.id)
      .executeTakeFirstOrThrow()
    const skuRows = await t.db
      .selectFrom('session_item_skus')
      .select('sku_id')
      .where('session_item_id', '=', item.id)
      .execute()
    const item2 = await t.db
      .insertInto('session_items')
      .values({ session_id: second.id, product_id: item.product_id, base_price_minor: 30_000 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const sis = await t.db
      .insertInto('session_item_skus')
      .values({ session_item_id: item2.id, sku_id: skuRows[0]!.sku_id, allocated: 10, available: 10 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await paidCheckout(t.db, {
      memberId: b.member.id,
      addressId: b.addressId,
      lines: [{ sessionItemSkuId: sis.id, quantity: 1 }],
      now: new Date(),
    })
    await writeSettlements(t.db, afterDeadline)
    await runPayouts(t.db, afterDeadline)
    const p2 = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('session_id', '=', second.id)
      .executeTakeFirstOrThrow()
    // ¥300 − 10% = ¥270, less the ¥90 owed.
    expect(p2).toMatchObject({ status: 'sent', amount_minor: 18_000 })
    expect(await brandBalances(t.db, b.brand.id)).toMatchObject({ payableMinor: 0, inTransitMinor: 0 })
    expect(await journalTotal()).toBe(0)
  })
})
