import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertShareLink } from '#db/queries/reseller'
import { ItemUnavailableError, TooManyOpenOrdersError } from '#app/domain/customer-orders'
import { CapExceededError, SoldOutError } from '#app/domain/orders'
import {
  customerOrderOf,
  customerPurchase,
  type PlaceCustomerOrderInput,
} from '#app/services/customer-orders/checkout.server'
import { placePurchases, type Outcome, type Placed } from '#app/services/checkout/pipeline.server'
import { pipelinedTransaction } from '#app/services/checkout/transaction.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Customer orders are purchases of the checkout pipeline: many of them, from many customers, are decided in ONE
// transaction (a group-commit batch). Each test here places its purchases as exactly one batch.
let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t.drop()
})

async function liveItem(opts: { units: number; cap?: number | null; minRetail?: number | null }) {
  const brandId = (await createBrand(t.db)).id
  const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, {
    brandId,
    sizes: ['M', 'L'],
    colours: ['黑色'],
    title: '羊毛大衣',
  })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: 10_000,
    quantity: opts.units,
    perMemberCap: opts.cap ?? null,
    minRetailPriceMinor: opts.minRetail ?? null,
  })
  const rows = await t.db
    .selectFrom('session_item_skus as k')
    .innerJoin('skus as s', 's.id', 'k.sku_id')
    .select(['k.id', 's.size'])
    .where('k.session_item_id', '=', item.id)
    .orderBy('s.size')
    .execute()
  return { item, session, skus: rows.map((r) => r.id) }
}

async function link(sessionId: string, itemId: string, priceMinor: number) {
  const reseller = await createUser(t.db, { vipLevel: 1 })
  const token = randomUUID().replace(/-/g, '') + 'tok'
  await insertShareLink(t.db, {
    token,
    userId: reseller.id,
    sessionId,
    kind: 'list',
    now: new Date(),
    items: [{ itemId, priceMinor, currency: 'CNY' }],
  })
  return { token, resellerId: reseller.id }
}

let phones = 13_700_000_000
const input = (
  token: string,
  sku: string,
  over: Partial<PlaceCustomerOrderInput> & { phone?: string; quantity?: number } = {},
): PlaceCustomerOrderInput => ({
  source: { kind: 'share', token },
  lines: [{ sessionItemSkuId: sku, quantity: over.quantity ?? 1 }],
  customer: { name: '王小姐', phone: over.phone ?? String(phones++), region: '上海 徐汇', line: '漕溪北路 1 号' },
  clientKey: over.clientKey ?? randomUUID(),
  idempotencyKey: over.idempotencyKey ?? randomUUID(),
  now: new Date(),
})

/** The inputs as ONE batch of the pipeline (one transaction), answered in order. */
async function oneBatch(inputs: PlaceCustomerOrderInput[]): Promise<Outcome[]> {
  const purchases = await Promise.all(inputs.map((i) => customerPurchase(t.db, i)))
  return pipelinedTransaction(t.db, (run) => placePurchases(run, purchases))
}

const placed = (o: Outcome) => {
  if (o instanceof Error) throw o
  return customerOrderOf(o as Placed)
}
const available = async (id: string) =>
  (await t.db.selectFrom('session_item_skus').select('available').where('id', '=', id).executeTakeFirstOrThrow())
    .available
const customerUnits = async (sku: string) =>
  (
    await sql<{ units: number; orders: number }>`
      select coalesce(sum(l.quantity), 0)::int as units, count(distinct co.id)::int as orders
      from customer_orders co join orders o on o.checkout_id = co.checkout_id join order_lines l on l.order_id = o.id
        join customer_order_lines cl on cl.order_line_id = l.id
      where l.session_item_sku_id = ${sku}`.execute(t.db)
  ).rows[0]!

describe('customer orders in one batch', () => {
  it('customers racing in one batch for the last unit: the first in the batch wins, the rest are sold out', async () => {
    const { item, session, skus } = await liveItem({ units: 1 })
    const { token } = await link(session.id, item.id, 15_000)
    const results = await oneBatch([1, 2, 3].map(() => input(token, skus[0]!)))
    expect(placed(results[0]!)).toMatchObject({ created: true, retailTotalMinor: 15_000 })
    expect(results.slice(1).every((r) => r instanceof SoldOutError)).toBe(true)
    expect(await available(skus[0]!)).toBe(0)
    expect(await customerUnits(skus[0]!)).toEqual({ units: 1, orders: 1 })
  })

  it('per-mobile caps and open-order limits hold when several purchases of one number land in the same batch', async () => {
    const { item, session, skus } = await liveItem({ units: 100, cap: 3 })
    const { token } = await link(session.id, item.id, 15_000)
    const phone = '13812345678'
    const client = randomUUID()
    const results = await oneBatch([
      input(token, skus[0]!, { phone, quantity: 2 }),
      // The number's cap: 2 held in this batch + 2 > 3.
      input(token, skus[0]!, { phone: '+86 138 1234 5678', quantity: 2 }),
      // Within the cap, and the number's second open order.
      input(token, skus[0]!, { phone, quantity: 1 }),
      // Another SKU (no cap reached), but a third open order for the number.
      input(token, skus[1]!, { phone, quantity: 1 }),
      // Four open orders per client: four numbers from one device pass, the fifth is refused.
      ...[1, 2, 3, 4, 5].map(() => input(token, skus[1]!, { clientKey: client })),
    ])
    expect(placed(results[0]!).created).toBe(true)
    expect(results[1]).toBeInstanceOf(CapExceededError)
    expect(placed(results[2]!).created).toBe(true)
    expect(results[3]).toBeInstanceOf(TooManyOpenOrdersError)
    expect((results[3] as TooManyOpenOrdersError).message).toMatch(/mobile/)
    expect(results.slice(4, 8).every((r) => !(r instanceof Error))).toBe(true)
    expect(results[8]).toBeInstanceOf(TooManyOpenOrdersError)
    expect((results[8] as TooManyOpenOrdersError).message).toMatch(/device/)
    const takes = await t.db
      .selectFrom('customer_sku_takes')
      .select('taken')
      .where('phone', '=', phone)
      .where('session_item_sku_id', '=', skus[0]!)
      .executeTakeFirstOrThrow()
    expect(takes.taken).toBe(3)
    expect(await available(skus[0]!)).toBe(97)
    expect(await available(skus[1]!)).toBe(96)

    // The next batch sees what this one committed: the number is at its limit, the device too.
    const later = await oneBatch([input(token, skus[1]!, { phone }), input(token, skus[1]!, { clientKey: client })])
    expect(later.every((r) => r instanceof TooManyOpenOrdersError)).toBe(true)
  })

  it('a batch where one customer’s price re-check fails: only that purchase is refused, and her reseller is told', async () => {
    const { item, session, skus } = await liveItem({ units: 10, minRetail: 12_000 })
    const good = await link(session.id, item.id, 15_000)
    const low = await link(session.id, item.id, 12_500)
    // The brand raised its floor after the low link was shared.
    await t.db.updateTable('session_items').set({ min_retail_price_minor: 13_000 }).where('id', '=', item.id).execute()
    const results = await oneBatch([
      input(good.token, skus[0]!),
      input(low.token, skus[0]!),
      input(good.token, skus[0]!, { quantity: 2 }),
      input(low.token, skus[1]!),
    ])
    expect(placed(results[0]!).retailTotalMinor).toBe(15_000)
    expect(results[1]).toBeInstanceOf(ItemUnavailableError)
    expect(JSON.stringify((results[1] as ItemUnavailableError).details)).not.toMatch(/13000|12500/)
    expect(placed(results[2]!).retailTotalMinor).toBe(30_000)
    expect(results[3]).toBeInstanceOf(ItemUnavailableError)
    expect(await available(skus[0]!)).toBe(7)
    expect(await available(skus[1]!)).toBe(10)
    const alerts = await t.db
      .selectFrom('reseller_price_alerts')
      .selectAll()
      .where('session_item_id', '=', item.id)
      .execute()
    expect(alerts).toEqual([
      expect.objectContaining({ reseller_id: low.resellerId, reason: 'below_min_retail', refused: 2 }),
    ])
  })

  it('an idempotency key repeated within one batch places one order; a later batch gets the same order back', async () => {
    const { item, session, skus } = await liveItem({ units: 10 })
    const { token } = await link(session.id, item.id, 15_000)
    const key = randomUUID()
    const phone = '13911112222'
    const results = await oneBatch([
      input(token, skus[0]!, { idempotencyKey: key, phone }),
      input(token, skus[0]!),
      input(token, skus[0]!, { idempotencyKey: key, phone }),
    ])
    const [first, , again] = results.map(placed)
    expect(first!.created).toBe(true)
    expect(again).toEqual({ ...first, created: false })
    const next = await oneBatch([input(token, skus[0]!, { idempotencyKey: key, phone })])
    expect(placed(next[0]!)).toEqual({ ...first, created: false })
    expect(await available(skus[0]!)).toBe(8)
    expect(await customerUnits(skus[0]!)).toEqual({ units: 2, orders: 2 })
  })
})
