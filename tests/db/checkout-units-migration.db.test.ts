import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as checkoutUnits from '#db/migrations/2026_12_07_1000_checkout_units'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { createBuyer } from '#tests/fixtures/factories'
import { brandWithSession } from '#tests/fixtures/money-flows'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The open-hold limit reads a checkout's units from the checkout itself. Checkouts placed before that column existed
// get it from their order lines when the column is added; a checkout without lines holds nothing.
let t: TestDatabase

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

const unitsByCheckout = async () =>
  Object.fromEntries(
    (await sql<{ id: string; units: number }>`select id, units from checkouts order by id`.execute(t.db)).rows.map(
      (r) => [r.id, r.units],
    ),
  )

it('adding the column gives every earlier checkout the units of its lines, across its orders', async () => {
  const live = { startsAt: new Date(Date.now() - 3_600_000) }
  const [a, b] = (await brandWithSession(t.db, { ...live, skus: 2 })).skuIds
  const [c] = (await brandWithSession(t.db, { ...live, skus: 1 })).skuIds // another brand: another order
  const buyer = await createBuyer(t.db)
  const now = new Date()
  const place = (lines: Array<[string, number]>) =>
    placeCheckout(t.db, {
      memberId: buyer.id,
      vipLevel: buyer.vipLevel,
      addressId: buyer.addressId,
      lines: lines.map(([sessionItemSkuId, quantity]) => ({ sessionItemSkuId, quantity })),
      now,
    })
  const three = await place([
    [a!, 2],
    [c!, 1],
  ])
  const one = await place([[b!, 1]])
  expect(three.orderIds).toHaveLength(2)
  const written = await unitsByCheckout()
  expect(Object.values(written).sort()).toEqual([1, 3])

  await checkoutUnits.down(t.db as never)
  // A checkout written outside the pipeline, with no orders: it holds nothing.
  const bare = await sql<{ id: string }>`
    insert into checkouts (member_id, status, total_minor, currency, ship_to, expires_at)
    select member_id, status, 0, currency, ship_to, expires_at from checkouts limit 1
    returning id`.execute(t.db)
  await checkoutUnits.up(t.db as never)

  expect(await unitsByCheckout()).toEqual({ ...written, [bare.rows[0]!.id]: 0 })
  expect([three, one].map((p) => p.checkoutId).every((id) => id in written)).toBe(true)
})
