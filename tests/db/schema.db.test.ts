import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeCheckout } from '#app/services/checkout/member-checkout.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

describe('constraints keep data sane', () => {
  it('a session lasts exactly 48 hours', async () => {
    const brand = await createBrand(t.db)
    const startsAt = new Date('2026-12-01T02:00:00Z')
    await expect(
      t.db
        .insertInto('clearance_sessions')
        .values({
          brand_id: brand.id,
          title: 'x',
          banner_seed: 'x',
          starts_at: startsAt,
          ends_at: new Date('2026-12-03T03:00:00Z'),
          after_sale_deadline_at: new Date('2026-12-10T03:00:00Z'),
        })
        .execute(),
    ).rejects.toThrow(/check constraint/)
  })

  it('stock never goes negative and never exceeds the allocation', async () => {
    const brand = await createBrand(t.db)
    const { product, skus } = await createProduct(t.db, { brandId: brand.id })
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date('2026-12-01T02:00:00Z') })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 1000,
      quantity: 2,
    })
    const dec = (n: number) =>
      sql`update session_item_skus set available = available - ${n} where session_item_id = ${item.id}`.execute(t.db)
    await expect(dec(3)).rejects.toThrow(/check constraint/)
    await expect(dec(-1)).rejects.toThrow(/check constraint/)
    await dec(2)
  })

  it('money is positive integer fen', async () => {
    const brand = await createBrand(t.db)
    await expect(createProduct(t.db, { brandId: brand.id, tagPriceMinor: 0 })).rejects.toThrow(/check constraint/)
    await expect(createProduct(t.db, { brandId: brand.id, tagPriceMinor: 12.5 })).rejects.toThrow()
  })

  it('brand staff belong to a brand and nobody else does', async () => {
    await expect(createUser(t.db, { role: 'brand_staff', brandId: null })).rejects.toThrow(/check constraint/)
    const brand = await createBrand(t.db)
    await expect(createUser(t.db, { role: 'member', brandId: brand.id })).rejects.toThrow(/check constraint/)
  })

  it("an order line's session, SKU and product, and an order's member, cannot go while the order stands", async () => {
    // Their copies on the order have no foreign keys of their own: the line's session SKU and the order's checkout
    // hold them.
    const brand = await createBrand(t.db)
    const { product, skus } = await createProduct(t.db, { brandId: brand.id, sizes: ['M'], colours: ['黑色'] })
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 1000,
      quantity: 2,
    })
    const member = await createUser(t.db)
    const address = await t.db
      .insertInto('addresses')
      .values({
        member_id: member.id,
        kind: 'own',
        recipient: '张三',
        phone: '13800000000',
        region: '浙江 杭州',
        line: '1 号',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const sis = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
    const placed = await placeCheckout(t.db, {
      memberId: member.id,
      vipLevel: 0,
      lines: [{ sessionItemSkuId: sis.id, quantity: 1 }],
      addressId: address.id,
      now: new Date(),
    })
    const line = await t.db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .select(['l.session_id', 'l.sku_id', 'l.product_id', 'o.member_id'])
      .where('o.checkout_id', '=', placed.checkoutId)
      .executeTakeFirstOrThrow()
    expect(line).toEqual({ session_id: session.id, sku_id: skus[0].id, product_id: product.id, member_id: member.id })
    for (const [table, id] of [
      ['clearance_sessions', session.id],
      ['session_items', item.id],
      ['skus', skus[0].id],
      ['products', product.id],
      ['users', member.id],
    ] as const) {
      await expect(sql`delete from ${sql.table(table)} where id = ${id}`.execute(t.db), table).rejects.toThrow(
        /foreign key/,
      )
    }
  })

  it('timestamps are timestamptz', async () => {
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_schema = 'public' and data_type like 'timestamp%' and data_type <> 'timestamp with time zone'`.execute(
      t.db,
    )
    expect(rows.rows[0].n).toBe(0)
  })
})
