import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSettlements } from '#app/services/orders/after-sales.server'
import { updateItemPrices } from '#app/services/sessions/brand-sessions.server'
import { checkResellerPrices } from '#app/services/notifications/events.server'
import { refreshAccount, startOnboarding } from '#app/services/payouts/accounts.server'
import { retryPayout, runPayouts, sendPayout } from '#app/services/payouts/payouts.server'
import { invalidateVipTiers } from '#app/services/membership/pricing.server'
import { forwardItems } from '#app/services/reseller/forwarding.server'
import { repriceIssues } from '#app/services/reseller/offers.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { brandWithSession, memberWithAddress, paidCheckout } from '#tests/fixtures/money-flows'
import { BASE } from '#tests/setup/http'
import { startStripeStandIn, type StripeStandIn } from '#tests/setup/stripe-stand-in'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Notifications about money and prices: payouts sent or failed (to the payee and, on failure, to operators) and a
// reseller's retail prices broken by a floor that moved. Each is one notification per recipient and event however
// often the job or scan runs.

let t: TestDatabase
let api: StripeStandIn
const savedEnv = { ...process.env }
const HOUR = 3_600_000
const DAY = 24 * HOUR
const start = new Date(Date.now() - HOUR)
const afterDeadline = new Date(start.getTime() + 48 * HOUR + 7 * DAY + HOUR)

beforeAll(async () => {
  api = await startStripeStandIn()
  Object.assign(process.env, api.env())
  t = await createTestDatabase()
  invalidateVipTiers()
})
afterAll(async () => {
  for (const k of Object.keys(api.env())) {
    if (savedEnv[k] === undefined) delete process.env[k]
    else process.env[k] = savedEnv[k]
  }
  await api.close()
  await t.drop()
})

async function inbox(userId: string) {
  return t.db
    .selectFrom('notifications as n')
    .leftJoin('notification_deliveries as d', 'd.notification_id', 'n.id')
    .select(['n.event', 'n.dedupe_key', 'n.data', 'n.link', 'd.channel'])
    .where('n.recipient_id', '=', userId)
    .orderBy('n.created_at')
    .orderBy('n.event')
    .execute()
}

async function enabledAccount(owner: { type: 'brand' | 'reseller'; id: string }, operatorId: string) {
  await startOnboarding(t.db, {
    owner,
    email: null,
    origin: BASE,
    returnPath: '/brand/payouts',
    actorId: operatorId,
    now: new Date(),
  })
  const account = await t.db
    .selectFrom('payout_accounts')
    .select('stripe_account_id')
    .where('owner_id', '=', owner.id)
    .executeTakeFirstOrThrow()
  api.completeOnboarding(account.stripe_account_id!)
  await refreshAccount(t.db, owner, new Date())
}

describe('payouts', () => {
  it("a brand's staff hear of a failed transfer and then of the payout sent; operators hear of the failure; once each", async () => {
    const ops = [await createUser(t.db, { role: 'operator' }), await createUser(t.db, { role: 'operator' })]
    const b = await brandWithSession(t.db, { startsAt: start, priceMinor: 10_000, commissionBps: 1000 })
    await t.db
      .updateTable('clearance_sessions')
      .set({ title: '冬季清仓', title_en: 'Winter clearance' })
      .where('id', '=', b.session.id)
      .execute()
    const staff = [
      await createUser(t.db, { role: 'brand_staff', brandId: b.brand.id }),
      await createUser(t.db, { role: 'brand_staff', brandId: b.brand.id }),
    ]
    const otherBrand = await createBrand(t.db)
    const outsider = await createUser(t.db, { role: 'brand_staff', brandId: otherBrand.id })
    await enabledAccount({ type: 'brand', id: b.brand.id }, ops[0].id)
    const m = await memberWithAddress(t.db)
    await paidCheckout(t.db, {
      memberId: m.member.id,
      addressId: m.addressId,
      lines: [{ sessionItemSkuId: b.skuIds[0]!, quantity: 3 }],
      now: new Date(),
    })
    await writeSettlements(t.db, afterDeadline)

    // The provider declines the first transfer; the job runs three times at once and again.
    api.declineTransfers = 1
    await Promise.all([
      runPayouts(t.db, afterDeadline),
      runPayouts(t.db, afterDeadline),
      runPayouts(t.db, afterDeadline),
    ])
    await runPayouts(t.db, afterDeadline)
    const payout = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('payee_id', '=', b.brand.id)
      .executeTakeFirstOrThrow()
    expect(payout).toMatchObject({ status: 'failed', attempts: 1 })
    const payoutNews = async (userId: string) => (await inbox(userId)).filter((n) => n.event.startsWith('payout_'))
    // (The settlement statement was announced before: settlement_ready.)
    expect((await inbox(staff[0].id)).map((n) => n.event)).toEqual(['settlement_ready', 'payout_failed'])
    for (const s of staff) {
      expect(await payoutNews(s.id)).toEqual([
        {
          event: 'payout_failed',
          dedupe_key: `${payout.id}#0`,
          data: expect.objectContaining({ session: '冬季清仓', sessionEn: 'Winter clearance', amount: '¥270.00' }),
          link: '/brand/payouts',
          channel: 'email',
        },
      ])
    }
    for (const o of ops) {
      const got = await inbox(o.id)
      expect(got).toHaveLength(1)
      expect(got[0]).toMatchObject({
        event: 'payout_failed_operator',
        link: '/admin/payouts',
        channel: 'email',
        data: expect.objectContaining({ payee: b.brand.name, amount: '¥270.00' }),
      })
      expect(String((got[0].data as Record<string, unknown>).error)).toMatch(/insufficient/)
    }

    // The operator's retry sends it: the staff hear once more, operators nothing more.
    expect(await retryPayout(t.db, { payoutId: payout.id, operatorId: ops[0].id, now: afterDeadline })).toBe('sent')
    expect(await sendPayout(t.db, payout.id, afterDeadline)).toBe('already_sent')
    await runPayouts(t.db, afterDeadline)
    for (const s of staff) {
      expect((await payoutNews(s.id)).map((n) => [n.event, n.dedupe_key])).toEqual([
        ['payout_failed', `${payout.id}#0`],
        ['payout_sent', payout.id],
      ])
    }
    for (const o of ops) expect(await inbox(o.id)).toHaveLength(1)
    expect(await inbox(outsider.id)).toEqual([])
  })

  it('a reseller hears of her own payout, failed then sent', async () => {
    const op = await createUser(t.db, { role: 'operator' })
    const lily = await createUser(t.db, { displayName: '杭州Lily', email: 'lily@shop.test' })
    await enabledAccount({ type: 'reseller', id: lily.id }, op.id)
    const p = await t.db
      .insertInto('payouts')
      .values({
        kind: 'reseller_withdrawal',
        payee_type: 'reseller',
        payee_id: lily.id,
        amount_minor: 12_345,
        currency: 'CNY',
        status: 'due',
        provider: 'stripe',
        transfer_group: `withdrawal:${lily.id}`,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    api.declineTransfers = 1
    await Promise.all([sendPayout(t.db, p.id, new Date()), sendPayout(t.db, p.id, new Date())])
    expect(await retryPayout(t.db, { payoutId: p.id, operatorId: op.id, now: new Date() })).toBe('sent')
    const got = await inbox(lily.id)
    expect(got.map((n) => [n.event, n.link])).toEqual([
      ['reseller_payout_failed', '/reseller/payouts'],
      ['reseller_payout_sent', '/reseller/payouts'],
    ])
    expect(got[1].data).toMatchObject({ amount: '¥123.45' })
    expect((await inbox(op.id)).map((n) => n.event)).toEqual(['payout_failed_operator'])
    expect((await inbox(op.id))[0].data).toMatchObject({ payee: '杭州Lily' })
  })
})

describe("a reseller's prices broken by a moved floor", () => {
  it('tells her once per set of broken prices, again after a new break, not after she re-prices', async () => {
    const brand = await createBrand(t.db)
    const session = await createSession(t.db, {
      brandId: brand.id,
      startsAt: new Date(Date.now() + 5 * HOUR),
      title: '春季预告',
    })
    const coat = await createProduct(t.db, { brandId: brand.id, title: '风衣', titleEn: 'Trench coat', sizes: ['M'] })
    const shirt = await createProduct(t.db, { brandId: brand.id, title: '衬衫', titleEn: 'Shirt', sizes: ['L'] })
    const coatItem = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: coat.product.id,
      skuIds: coat.skus.map((s) => s.id),
      basePriceMinor: 10_130,
      quantity: 5,
      minRetailPriceMinor: 11_110,
    })
    const shirtItem = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: shirt.product.id,
      skuIds: shirt.skus.map((s) => s.id),
      basePriceMinor: 10_170,
      quantity: 5,
    })
    const lily = await createUser(t.db, { vipLevel: 3, displayName: '杭州Lily', email: 'lily.prices@shop.test' })
    const bystander = await createUser(t.db, { vipLevel: 3 })
    await forwardItems(
      t.db,
      { id: lily.id, role: 'member', vip_level: 3, display_name: '杭州Lily' },
      {
        sessionId: session.id,
        itemIds: [coatItem.id, shirtItem.id],
        prices: new Map(),
        rule: { kind: 'percent', value: 1000, rounding: 'none' },
        raiseToFloor: true,
        mode: 'list',
        now: new Date(),
      },
    )
    const broken = async () => (await inbox(lily.id)).filter((n) => n.event === 'reseller_price_broken')

    expect(await checkResellerPrices(t.db, new Date())).toBe(0)
    // The brand raises the coat's minimum retail before the start: her link now shows it under the floor.
    await updateItemPrices(
      t.db,
      brand.id,
      session.id,
      { itemId: coatItem.id, basePriceMinor: 10_130, minRetailPriceMinor: 13_370, perMemberCap: null },
      new Date(),
    )
    const runs = await Promise.all([
      checkResellerPrices(t.db, new Date()),
      checkResellerPrices(t.db, new Date()),
      checkResellerPrices(t.db, new Date()),
    ])
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1)
    await checkResellerPrices(t.db, new Date())
    let got = await broken()
    expect(got).toEqual([
      {
        event: 'reseller_price_broken',
        dedupe_key: expect.any(String),
        data: expect.objectContaining({ count: 1, item: '风衣', itemEn: 'Trench coat' }),
        link: '/reseller/shop',
        channel: 'email',
      },
    ])

    // A second change breaks the shirt too: she hears again, of both.
    await updateItemPrices(
      t.db,
      brand.id,
      session.id,
      { itemId: shirtItem.id, basePriceMinor: 10_170, minRetailPriceMinor: 20_000, perMemberCap: null },
      new Date(),
    )
    await checkResellerPrices(t.db, new Date())
    got = await broken()
    expect(got).toHaveLength(2)
    expect(got[1].data).toMatchObject({ count: 2 })

    // She re-prices in one step: nothing broken, nothing more to hear.
    expect(await repriceIssues(t.db, lily.id, new Date())).toBe(2)
    expect(await checkResellerPrices(t.db, new Date())).toBe(0)
    expect(await broken()).toHaveLength(2)
    expect(await inbox(bystander.id)).toEqual([])
  })
})
