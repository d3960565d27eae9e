import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '#db/client'
import { insertShareLink, upsertResellerPrices } from '#db/queries/reseller'
import { setShopHandle } from '#app/services/reseller/shop.server'
import { CapExceededError, SoldOutError, UnknownItemError } from '#app/domain/orders'
import {
  ItemUnavailableError,
  lineAccount,
  ShopUnavailableError,
  TooManyOpenOrdersError,
} from '#app/domain/customer-orders'
import {
  placeCustomerOrder,
  startCustomerPayment,
  type PlaceCustomerOrderInput,
} from '#app/services/customer-orders/checkout.server'
import { resellerEarnings } from '#app/services/customer-orders/earnings.server'
import { customerOrderPage } from '#app/services/customer-orders/order-page.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { refundOrder } from '#app/services/orders/after-sales.server'
import { releaseCheckout } from '#app/services/checkout/release.server'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { owedTo } from '#app/services/ledger/journal.server'
import { payForOrder, listMemberOrders } from '#app/services/orders/orders.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let wide: Db
const now = new Date()
const hoursFrom = (n: number) => new Date(now.getTime() + n * 3_600_000)

beforeAll(async () => {
  t = await createTestDatabase()
  wide = createDb(t.url, { max: 40 })
})
afterAll(async () => {
  await wide.destroy()
  await t.drop()
})

/** A live session item with the given SKUs (sizes), `units` each. */
async function liveItem(opts: {
  units: number
  sizes?: string[]
  cap?: number | null
  base?: number
  minRetail?: number | null
  tagCut?: boolean
  brandId?: string
}) {
  const brandId = opts.brandId ?? (await createBrand(t.db)).id
  const session = await createSession(t.db, { brandId, startsAt: hoursFrom(-1) })
  const { product, skus } = await createProduct(t.db, {
    brandId,
    sizes: opts.sizes ?? ['M'],
    colours: ['黑色'],
    title: '羊毛大衣',
    tagCut: opts.tagCut,
  })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: opts.base ?? 10_000,
    quantity: opts.units,
    perMemberCap: opts.cap ?? null,
    minRetailPriceMinor: opts.minRetail ?? null,
  })
  const rows = await t.db
    .selectFrom('session_item_skus as k')
    .innerJoin('skus as s', 's.id', 'k.sku_id')
    .select(['k.id', 's.size'])
    .where('k.session_item_id', '=', item.id)
    .execute()
  const bySize = Object.fromEntries(rows.map((r) => [r.size, r.id])) as Record<string, string>
  return { item, session, brandId, sisId: rows[0]!.id, bySize }
}

async function reseller(vipLevel = 1, invitedBy: string | null = null) {
  const u = await createUser(t.db, { vipLevel, displayName: `店主${randomUUID().slice(0, 4)}` })
  await t.db
    .insertInto('memberships')
    .values({ member_id: u.id, invited_by: invitedBy, invitation_code_id: null, level_since: now })
    .execute()
  return u
}

async function shareLink(resellerId: string, sessionId: string, items: { itemId: string; priceMinor: number }[]) {
  const token = randomUUID().replace(/-/g, '') + 'abc'
  await insertShareLink(t.db, {
    token,
    userId: resellerId,
    sessionId,
    kind: 'list',
    now,
    items: items.map((i) => ({ ...i, currency: 'CNY' })),
  })
  return token
}

let phoneSeq = 13_900_000_000
const customer = (phone = String(phoneSeq++)) => ({ name: '王小姐', phone, region: '上海 徐汇', line: '漕溪北路 1 号' })
const order = (
  db: Db,
  token: string,
  lines: { sessionItemSkuId: string; quantity: number }[],
  extra: Partial<PlaceCustomerOrderInput> = {},
) =>
  placeCustomerOrder(db, {
    source: { kind: 'share', token },
    lines,
    customer: customer(),
    clientKey: randomUUID(),
    idempotencyKey: randomUUID(),
    now: new Date(),
    ...extra,
  })

async function pay(token: string, at = new Date()) {
  const started = await startCustomerPayment(t.db, { token, origin: 'http://localhost', now: at })
  const paymentId = started!.redirectUrl.split('/').pop()!
  await decideTestPayment(t.db, paymentId, 'approve', at)
}
const available = async (id: string) =>
  (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', id).executeTakeFirstOrThrow())
    .available
const points = async (id: string) =>
  (
    await sql<{
      b: number
    }>`select coalesce(sum(delta), 0)::int as b from growth_ledger where member_id = ${id}`.execute(t.db)
  ).rows[0]!.b

describe('customer checkout: the same zero-oversell checkout', () => {
  it('two customers racing for the last unit: exactly one wins', async () => {
    const { item, session, sisId } = await liveItem({ units: 1 })
    const r = await reseller()
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 15_000 }])
    const results = await Promise.allSettled([
      order(wide, token, [{ sessionItemSkuId: sisId, quantity: 1 }]),
      order(wide, token, [{ sessionItemSkuId: sisId, quantity: 1 }]),
    ])
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(SoldOutError)
    expect(await available(sisId)).toBe(0)
    const { rows } = await sql<{
      n: number
    }>`select count(*)::int as n from customer_orders co join checkouts c on c.id = co.checkout_id where co.reseller_id = ${r.id}`.execute(
      t.db,
    )
    expect(rows[0]!.n).toBe(1)
  })

  it('40 customers for 10 units through one share page: 10 orders, no oversell', async () => {
    const { item, session, sisId } = await liveItem({ units: 10 })
    const r = await reseller()
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 15_000 }])
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => order(wide, token, [{ sessionItemSkuId: sisId, quantity: 1 }])),
    )
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(10)
    expect(await available(sisId)).toBe(0)
    const sold = await sql<{
      n: number
    }>`select coalesce(sum(quantity), 0)::int as n from order_lines where session_item_sku_id = ${sisId}`.execute(t.db)
    expect(sold.rows[0]!.n).toBe(10)
  })

  it('caps count per mobile number under concurrency, whatever the number’s spelling or the reseller', async () => {
    const { item, session, sisId } = await liveItem({ units: 100, cap: 3 })
    const [r1, r2] = [await reseller(), await reseller()]
    const [a, b] = [
      await shareLink(r1.id, session.id, [{ itemId: item.id, priceMinor: 15_000 }]),
      await shareLink(r2.id, session.id, [{ itemId: item.id, priceMinor: 16_000 }]),
    ]
    const spellings = ['13811112222', '+86 138 1111 2222', '138-1111-2222', '008613811112222']
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        order(wide, i % 2 ? a : b, [{ sessionItemSkuId: sisId, quantity: 2 }], {
          customer: customer(spellings[i % 4]),
        }),
      ),
    )
    const ok = results.filter((x) => x.status === 'fulfilled')
    expect(ok).toHaveLength(1)
    expect(
      results
        .filter((x) => x.status === 'rejected')
        .every((x) => (x as PromiseRejectedResult).reason instanceof CapExceededError),
    ).toBe(true)
    expect(await available(sisId)).toBe(98)
    // The reseller's own member cap is untouched: caps of her customers are theirs.
    const takes = await t.db
      .selectFrom('member_sku_takes')
      .select('taken')
      .where('session_item_sku_id', '=', sisId)
      .execute()
    expect(takes).toEqual([])
    // Expiry gives the units back to the customer's count too.
    const placed = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof order>>>).value
    await releaseCheckout(t.db, { checkoutId: placed.checkoutId, to: 'expired', now: hoursFrom(1) })
    expect(await available(sisId)).toBe(100)
    await expect(
      order(t.db, a, [{ sessionItemSkuId: sisId, quantity: 3 }], { customer: customer('13811112222') }),
    ).resolves.toMatchObject({ created: true })
  })

  it('limits open holds per mobile number and per client, and an idempotency key places one order', async () => {
    const { item, session, sisId } = await liveItem({ units: 100 })
    const r = await reseller()
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 15_000 }])
    const c = customer()
    await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { customer: c })
    await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { customer: c })
    await expect(
      order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { customer: c }),
    ).rejects.toBeInstanceOf(TooManyOpenOrdersError)
    const clientKey = randomUUID()
    for (let i = 0; i < 4; i++) await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { clientKey })
    await expect(order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { clientKey })).rejects.toBeInstanceOf(
      TooManyOpenOrdersError,
    )

    const idempotencyKey = randomUUID()
    const twice = await Promise.all(
      [1, 2].map(() => order(wide, token, [{ sessionItemSkuId: sisId, quantity: 1 }], { idempotencyKey })),
    )
    expect(twice[0]!.token).toBe(twice[1]!.token)
    expect(twice.filter((x) => x.created)).toHaveLength(1)
    expect(await available(sisId)).toBe(100 - 2 - 4 - 1)
  })
})

describe('what holds a customer order’s rows', () => {
  it('her reseller cannot go while the order stands, and is the member of the checkout it wraps', async () => {
    // The copy on the customer order has no foreign key of its own: the order's checkout, placed on her behalf, holds
    // her row.
    const { item, session, sisId } = await liveItem({ units: 2 })
    // No membership row: the checkout is the only row of hers the delete could trip over.
    const r = await createUser(t.db, { vipLevel: 1 })
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 15_000 }])
    const placed = await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }])
    const row = await t.db
      .selectFrom('customer_orders as co')
      .innerJoin('checkouts as c', 'c.id', 'co.checkout_id')
      .select(['co.reseller_id', 'c.member_id'])
      .where('co.id', '=', placed.customerOrderId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ reseller_id: r.id, member_id: r.id })
    const refused = (q: Promise<unknown>) =>
      q.then(() => null).catch((e: { constraint_name?: string }) => e.constraint_name)
    expect(await refused(sql`delete from users where id = ${r.id}`.execute(t.db))).toBe('checkouts_member_id_fkey')
    // Its orders and the customer order hold the checkout.
    expect(await refused(sql`delete from checkouts where id = ${placed.checkoutId}`.execute(t.db))).toMatch(
      /_checkout_id_fkey$/,
    )
  })
})

describe('the price at order time', () => {
  it('refuses a price below the brand floor raised after sharing: unavailable, the reseller is told, no stock taken', async () => {
    const { item, session, sisId } = await liveItem({ units: 5, minRetail: 12_000 })
    const r = await reseller()
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 12_500 }])
    await t.db.updateTable('session_items').set({ min_retail_price_minor: 13_000 }).where('id', '=', item.id).execute()
    const e = await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }]).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ItemUnavailableError)
    // The customer's error says nothing about floors or prices.
    expect(JSON.stringify({ message: (e as Error).message, details: (e as ItemUnavailableError).details })).not.toMatch(
      /13000|12500|floor|min/i,
    )
    expect(await available(sisId)).toBe(5)
    const alert = await t.db
      .selectFrom('reseller_price_alerts')
      .selectAll()
      .where('reseller_id', '=', r.id)
      .executeTakeFirstOrThrow()
    expect(alert).toMatchObject({ session_item_id: item.id, reason: 'below_min_retail', refused: 1 })
  })

  it('refuses a price below her own current price after her level dropped; a tag-cut item ignores the brand floor', async () => {
    const { item, session, sisId } = await liveItem({ units: 5, base: 10_000, minRetail: 50_000, tagCut: true })
    const r = await reseller(3)
    const token = await shareLink(r.id, session.id, [{ itemId: item.id, priceMinor: 9_500 }])
    await expect(order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }])).resolves.toMatchObject({
      created: true,
    })
    await t.db.updateTable('users').set({ vip_level: 0 }).where('id', '=', r.id).execute()
    await expect(order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }])).rejects.toBeInstanceOf(
      ItemUnavailableError,
    )
    const alert = await t.db
      .selectFrom('reseller_price_alerts')
      .select('reason')
      .where('reseller_id', '=', r.id)
      .executeTakeFirstOrThrow()
    expect(alert.reason).toBe('below_own_price')
  })
})

describe('paying, refunds and the ledgers', () => {
  it('accounts for every fen per line before and after refunds; earnings pending → reversed → available; points follow', async () => {
    const brand = await createBrand(t.db)
    const coat = await liveItem({ units: 10, sizes: ['M', 'L'], base: 10_000, brandId: brand.id })
    const r = await reseller(1)
    const token = await shareLink(r.id, coat.session.id, [{ itemId: coat.item.id, priceMinor: 14_900 }])
    const placed = await order(t.db, token, [
      { sessionItemSkuId: coat.bySize.M!, quantity: 2 },
      { sessionItemSkuId: coat.bySize.L!, quantity: 1 },
    ])
    expect(placed.retailTotalMinor).toBe(3 * 14_900)
    // Unpaid: no earnings, no points, the member's own order list does not show it, nor can she pay it.
    expect((await resellerEarnings(t.db, r.id, now)).history).toHaveLength(0)
    expect(await listMemberOrders(t.db, r.id, now)).toHaveLength(0)
    await pay(placed.token)
    const page = await customerOrderPage(t.db, placed.token, new Date())
    expect(page!.state).toBe('paid')
    // Paid once: her pay step now leads to her order page and opens no second payment.
    await expect(
      startCustomerPayment(t.db, { token: placed.token, origin: 'http://localhost', now: new Date() }),
    ).resolves.toEqual({ redirectUrl: `/o/${placed.token}`, paymentId: null })
    const orderId = page!.parcels[0]!.id
    await expect(payForOrder(t.db, { memberId: r.id, orderId, origin: 'http://x', now })).resolves.toBeNull()

    const own = 9_700 // VIP1: 3% off ¥100
    const lines = await t.db
      .selectFrom('order_lines as l')
      .innerJoin('customer_order_lines as cl', 'cl.order_line_id', 'l.id')
      .select(['l.id', 'l.quantity', 'l.unit_price_minor', 'l.refunded_quantity', 'cl.retail_unit_minor'])
      .where('l.order_id', '=', orderId)
      .orderBy('l.quantity', 'desc')
      .execute()
    expect(lines.map((l) => l.unit_price_minor)).toEqual([own, own])
    const payment = await t.db
      .selectFrom('payments')
      .select(['amount_minor', 'payer_user_id'])
      .where('purpose', '=', 'customer_order')
      .where('reference_id', '=', placed.checkoutId)
      .executeTakeFirstOrThrow()
    expect(payment).toEqual({ amount_minor: 3 * 14_900, payer_user_id: null })
    const goods = (
      await t.db.selectFrom('orders').select('goods_minor').where('id', '=', orderId).executeTakeFirstOrThrow()
    ).goods_minor
    expect(goods).toBe(3 * own)
    expect(await points(r.id)).toBe(Math.floor((3 * own) / 1000))

    const accountAll = async () => {
      const now2 = await t.db
        .selectFrom('order_lines as l')
        .innerJoin('customer_order_lines as cl', 'cl.order_line_id', 'l.id')
        .select(['l.id', 'l.quantity', 'l.refunded_quantity', 'l.unit_price_minor', 'cl.retail_unit_minor'])
        .where('l.order_id', '=', orderId)
        .execute()
      const refunds = await t.db
        .selectFrom('order_refunds')
        .select(['amount_minor', 'goods_minor'])
        .where('order_id', '=', orderId)
        .execute()
      let paidNet = 0
      let earningNet = 0
      let goodsNet = 0
      for (const l of now2) {
        const a = lineAccount({
          retailUnitMinor: l.retail_unit_minor,
          ownUnitMinor: l.unit_price_minor,
          quantity: l.quantity,
          refundedQuantity: l.refunded_quantity,
          commissionBps: 1000,
          currency: 'CNY',
        })
        expect(a.brandShareMinor + a.commissionMinor + a.resellerEarningMinor).toBe(a.customerPaidMinor)
        paidNet += a.customerPaidMinor
        earningNet += a.resellerEarningMinor
        goodsNet += a.brandShareMinor + a.commissionMinor
      }
      // The journal agrees: her earnings (pending + available) are the lines' markup, the brand's held goods their own price.
      const journaled =
        (await owedTo(t.db, 'reseller_pending', r.id)) + (await owedTo(t.db, 'reseller_available', r.id))
      expect(journaled).toBe(earningNet)
      expect(await owedTo(t.db, 'brand_held', brand.id, coat.session.id)).toBe(goodsNet)
      // What the customer paid, less what went back to her, is exactly what the lines still account for.
      expect(payment.amount_minor - refunds.reduce((s, f) => s + f.amount_minor, 0)).toBe(paidNet)
    }
    await accountAll()
    const before = await resellerEarnings(t.db, r.id, now)
    expect(before.balance).toEqual({ pendingMinor: 3 * (14_900 - own), availableMinor: 0 })
    expect(before.history.map((h) => h.event)).toEqual(['earned'])

    // Refund one unit of the two-unit line: the customer gets the retail price back, the markup of one unit is reversed.
    const two = lines[0]!
    const refund = await refundOrder(t.db, {
      orderId,
      lines: [{ orderLineId: two.id, quantity: 1 }],
      reason: 'size',
      now,
    })
    expect(refund).toMatchObject({ status: 'succeeded', amountMinor: 14_900 })
    const paymentAfter = await t.db
      .selectFrom('payments')
      .select('refunded_minor')
      .where('purpose', '=', 'customer_order')
      .where('reference_id', '=', placed.checkoutId)
      .executeTakeFirstOrThrow()
    expect(paymentAfter.refunded_minor).toBe(14_900)
    await accountAll()
    const afterRefund = await resellerEarnings(t.db, r.id, now)
    expect(afterRefund.balance).toEqual({ pendingMinor: 2 * (14_900 - own), availableMinor: 0 })
    expect(afterRefund.history[0]).toMatchObject({
      event: 'reversed',
      pendingMinor: -(14_900 - own),
      customerName: '王小姐',
    })
    expect(await points(r.id)).toBe(Math.floor((2 * own) / 1000))

    // After the session's after-sale deadline everything left is available.
    const later = new Date(coat.session.after_sale_deadline_at.getTime() + 1)
    // Not before it, and not while one of her customers' after-sale requests in the session is open.
    await t.db
      .insertInto('after_sale_requests')
      .values({ order_id: orderId, member_id: r.id, kind: 'refund', reason: 'x', photos: [], created_at: now })
      .execute()
    expect((await resellerEarnings(t.db, r.id, later)).balance).toEqual({
      pendingMinor: 2 * (14_900 - own),
      availableMinor: 0,
    })
    await t.db.updateTable('after_sale_requests').set({ status: 'rejected' }).where('order_id', '=', orderId).execute()
    expect((await resellerEarnings(t.db, r.id, later)).balance).toEqual({
      pendingMinor: 0,
      availableMinor: 2 * (14_900 - own),
    })
    // Released once, however often it is asked.
    expect((await resellerEarnings(t.db, r.id, later)).history.filter((h) => h.event === 'released')).toHaveLength(1)

    // The rest of the order refunded: nothing left for anyone.
    await refundOrder(t.db, { orderId, reason: 'all', now })
    await accountAll()
    expect((await resellerEarnings(t.db, r.id, later)).balance).toEqual({ pendingMinor: 0, availableMinor: 0 })
    expect(await points(r.id)).toBe(0)
    // The journal is append-only.
    await expect(
      sql`update ledger_postings set amount_minor = 1 where party_id = ${r.id}`.execute(t.db),
    ).rejects.toThrow(/append-only/)
    await expect(sql`delete from ledger_postings where party_id = ${r.id}`.execute(t.db)).rejects.toThrow(/append-only/)
  })
})

describe('single level, provably', () => {
  it('an invitation chain three deep, customer orders and own purchases at each step: each earns only from her own customers', async () => {
    const { item, session, sisId } = await liveItem({ units: 100, base: 10_000 })
    const a = await reseller(1)
    const b = await reseller(1, a.id)
    const c = await reseller(1, b.id)
    const own = 9_700
    const markup = { [a.id]: 2_000, [b.id]: 3_000, [c.id]: 4_000 }
    const customersOf: Record<string, number> = { [a.id]: 1, [b.id]: 2, [c.id]: 3 }
    for (const m of [a, b, c]) {
      const token = await shareLink(m.id, session.id, [{ itemId: item.id, priceMinor: own + markup[m.id]! }])
      for (let i = 0; i < customersOf[m.id]!; i++) {
        const placed = await order(t.db, token, [{ sessionItemSkuId: sisId, quantity: 1 }])
        await pay(placed.token)
      }
    }
    // Each invitee also buys for herself (the inviter's only reward is the one-off invitation bonus in points).
    for (const m of [b, c]) {
      const addr = await t.db
        .insertInto('addresses')
        .values({ member_id: m.id, kind: 'own', recipient: 'x', phone: '13800000000', region: 'r', line: 'l' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const placed = await placeCheckout(t.db, {
        memberId: m.id,
        vipLevel: 1,
        lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
        addressId: addr.id,
        now: new Date(),
      })
      const { orderPaymentHandler } = await import('#app/services/orders/order-payments.server')
      await t.db
        .transaction()
        .execute((trx) =>
          orderPaymentHandler.onSucceeded(
            trx,
            { id: randomUUID(), reference_id: placed.checkoutId, amount_minor: placed.totalMinor, currency: 'CNY' },
            new Date(),
          ),
        )
    }
    for (const m of [a, b, c]) {
      const postings = await t.db
        .selectFrom('ledger_postings')
        .select('amount_minor')
        .where('party_id', '=', m.id)
        .where('account', 'in', ['reseller_pending', 'reseller_available'])
        .execute()
      expect(postings).toHaveLength(customersOf[m.id]!)
      expect(postings.every((p) => Number(p.amount_minor) === -markup[m.id]!)).toBe(true)
    }
    // Every earning posting comes from a payment of one of that reseller's own customers.
    const foreign = await sql<{ n: number }>`
      select count(*)::int as n from ledger_postings p join ledger_entries e on e.id = p.entry_id
        left join payments pay on 'payment:' || pay.id::text = e.reference
        left join customer_orders co on co.checkout_id::text = pay.reference_id
      where p.account in ('reseller_pending', 'reseller_available') and p.party_id in (${a.id}, ${b.id}, ${c.id})
        and (co.reseller_id is null or co.reseller_id <> p.party_id)`.execute(t.db)
    expect(foreign.rows[0]!.n).toBe(0)
    // Growth: purchase points on her own price per paid customer order; invitation bonus only for invitees' OWN first orders.
    const bonuses = await t.db
      .selectFrom('growth_ledger')
      .select(['member_id', 'invitee_id'])
      .where('reason', '=', 'invite_bonus')
      .where('member_id', 'in', [a.id, b.id, c.id])
      .execute()
    expect(bonuses.map((x) => [x.member_id, x.invitee_id]).sort()).toEqual(
      [
        [a.id, b.id],
        [b.id, c.id],
      ].sort(),
    )
    const purchase = async (id: string) =>
      (
        await sql<{
          n: number
        }>`select coalesce(sum(delta), 0)::int as n from growth_ledger where member_id = ${id} and reason = 'purchase'`.execute(
          t.db,
        )
      ).rows[0]!.n
    expect(await purchase(a.id)).toBe(1 * Math.floor(own / 1000))
    expect(await purchase(b.id)).toBe(3 * Math.floor(own / 1000))
    expect(await purchase(c.id)).toBe(4 * Math.floor(own / 1000))
  })
})

describe('ordering from her shop', () => {
  async function onShelf(resellerId: string, itemId: string, priceMinor: number) {
    await t.db.insertInto('shop_items').values({ user_id: resellerId, session_item_id: itemId, position: 1 }).execute()
    await upsertResellerPrices(t.db, resellerId, [{ itemId, priceMinor, currency: 'CNY' }], now)
  }

  it('orders at her shop price, also by a former handle; refuses an item not on her shelves or priced under a floor now', async () => {
    const coat = await liveItem({ units: 10, minRetail: 12_000 })
    const other = await liveItem({ units: 10 })
    const r = await reseller()
    const handle = `shop-${randomUUID().slice(0, 8)}`
    await setShopHandle(t.db, r.id, handle, now)
    await onShelf(r.id, coat.item.id, 13_900)
    const shop = (h: string, lines: { sessionItemSkuId: string; quantity: number }[]) =>
      order(t.db, '', lines, { source: { kind: 'shop', handle: h } })

    const placed = await shop(handle, [{ sessionItemSkuId: coat.sisId, quantity: 2 }])
    expect(placed).toMatchObject({ created: true, retailTotalMinor: 2 * 13_900 })
    const row = await t.db
      .selectFrom('customer_orders')
      .select(['source', 'share_link_id', 'reseller_id'])
      .where('id', '=', placed.customerOrderId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ source: 'shop', share_link_id: null, reseller_id: r.id })
    expect(await available(coat.sisId)).toBe(8)

    // A former handle still leads to her shop.
    await setShopHandle(t.db, r.id, `${handle}-x`, now)
    await expect(shop(handle, [{ sessionItemSkuId: coat.sisId, quantity: 1 }])).resolves.toMatchObject({
      created: true,
    })
    // Not on her shelves; an unknown shop.
    await expect(shop(handle, [{ sessionItemSkuId: other.sisId, quantity: 1 }])).rejects.toBeInstanceOf(
      UnknownItemError,
    )
    await expect(shop('no-such-shop', [{ sessionItemSkuId: coat.sisId, quantity: 1 }])).rejects.toBeInstanceOf(
      ShopUnavailableError,
    )
    // The brand raised its floor over her shop price: unavailable, nothing taken.
    await t.db
      .updateTable('session_items')
      .set({ min_retail_price_minor: 14_000 })
      .where('id', '=', coat.item.id)
      .execute()
    await expect(shop(handle, [{ sessionItemSkuId: coat.sisId, quantity: 1 }])).rejects.toBeInstanceOf(
      ItemUnavailableError,
    )
    expect(await available(coat.sisId)).toBe(7)
  })
})
