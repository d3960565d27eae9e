import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as dashboard from '#app/routes/brand._index'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { cookieFor, getRequest } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date()
const H = 3_600_000
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}
const shipTo = JSON.stringify({ recipient: '张三', phone: '13800000000', region: '上海', line: '一号路', kind: 'own' })

/** Writes a checkout + one order for `brandId` with the given lines (straight into the tables: the dashboard only reads). */
async function order(
  brandId: string,
  status: 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled',
  lines: Array<{
    sessionId: string
    sisId: string
    skuId: string
    productId: string
    quantity: number
    unit: number
    refundedQty?: number
  }>,
  shipByAt: Date | null,
) {
  const goods = lines.reduce((s, l) => s + l.quantity * l.unit, 0)
  const paidAt = status === 'pending_payment' || status === 'cancelled' ? null : new Date(now.getTime() - 2 * H)
  const checkout = await t.db
    .insertInto('checkouts')
    .values({
      member_id: ids.member,
      total_minor: goods,
      ship_to: shipTo,
      expires_at: new Date(now.getTime() + H),
      status: paidAt ? 'paid' : 'pending_payment',
      paid_at: paidAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const refunded = lines.reduce((s, l) => s + (l.refundedQty ?? 0) * l.unit, 0)
  const o = await t.db
    .insertInto('orders')
    .values({
      checkout_id: checkout.id,
      member_id: ids.member,
      brand_id: brandId,
      status,
      goods_minor: goods,
      refunded_minor: refunded,
      ship_to: shipTo,
      paid_at: paidAt,
      ship_by_at: shipByAt,
      shipped_at: status === 'shipped' || status === 'completed' ? now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.db
    .insertInto('order_lines')
    .values(
      lines.map((l) => ({
        order_id: o.id,
        session_id: l.sessionId,
        session_item_sku_id: l.sisId,
        sku_id: l.skuId,
        product_id: l.productId,
        title: 'x',
        size: 'M',
        colour: 'black',
        quantity: l.quantity,
        unit_price_minor: l.unit,
        refunded_quantity: l.refundedQty ?? 0,
        refunded_minor: (l.refundedQty ?? 0) * l.unit,
      })),
    )
    .execute()
  return o.id
}

beforeAll(async () => {
  t = await createTestDatabase()
  const a = await createBrand(t.db)
  const b = await createBrand(t.db)
  ids.brandA = a.id
  ids.brandB = b.id
  ids.member = (await createUser(t.db, { role: 'member', vipLevel: 1 })).id
  cookies.brandA = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: a.id })).id)
  cookies.brandB = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: b.id })).id)
  const line = async (brandId: string) => {
    const { product, skus } = await createProduct(t.db, { brandId, sizes: ['M', 'L'] })
    const session = await createSession(t.db, { brandId, startsAt: new Date(now.getTime() - 3 * H) })
    await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((s) => s.id),
      basePriceMinor: 10000,
      quantity: 20,
    })
    const sis = await t.db
      .selectFrom('session_item_skus')
      .select(['id', 'sku_id'])
      .where(
        'sku_id',
        'in',
        skus.map((s) => s.id),
      )
      .orderBy('sku_id')
      .execute()
    return {
      sessionId: session.id,
      productId: product.id,
      m: { sisId: sis[0].id, skuId: sis[0].sku_id },
      l: { sisId: sis[1].id, skuId: sis[1].sku_id },
    }
  }
  const A = await line(a.id)
  const B = await line(b.id)
  ids.sessionA = A.sessionId
  ids.sessionB = B.sessionId
  const base = { sessionId: A.sessionId, productId: A.productId }
  // Paid, not shipped, deadline in 20 h: 3 × ¥100 + 2 × ¥100 with one unit refunded → ¥400 net.
  await order(
    a.id,
    'paid',
    [
      { ...base, ...A.m, quantity: 3, unit: 10000 },
      { ...base, ...A.l, quantity: 2, unit: 10000, refundedQty: 1 },
    ],
    new Date(now.getTime() + 20 * H),
  )
  // Paid and late (deadline 1 h ago): ¥95 (a member price).
  await order(a.id, 'paid', [{ ...base, ...A.m, quantity: 1, unit: 9500 }], new Date(now.getTime() - H))
  // Shipped: counts in revenue, not in "to ship".
  await order(a.id, 'shipped', [{ ...base, ...A.m, quantity: 1, unit: 10000 }], new Date(now.getTime() + 5 * H))
  // Unpaid and cancelled orders never count.
  await order(a.id, 'pending_payment', [{ ...base, ...A.m, quantity: 5, unit: 10000 }], null)
  await order(a.id, 'cancelled', [{ ...base, ...A.l, quantity: 5, unit: 10000 }], null)
  // Brand B: one big paid order that A must never see.
  await order(
    b.id,
    'paid',
    [{ sessionId: B.sessionId, productId: B.productId, ...B.m, quantity: 7, unit: 77700 }],
    new Date(now.getTime() + 2 * H),
  )
})
afterAll(() => t.drop())

describe('brand dashboard revenue and orders to ship', () => {
  it('revenue per session is paid lines minus refunds, unpaid and cancelled orders excluded', async () => {
    const dash = await brandDashboard(t.db, ids.brandA, now)
    const s = dash.sessions.find((x) => x.id === ids.sessionA)!
    expect(s.revenueMinor).toBe(40000 + 9500 + 10000)
    expect(s.orders).toBe(3)
    expect(dash.totals.revenueMinor).toBe(59500)
    expect(dash.sessions.some((x) => x.id === ids.sessionB)).toBe(false)
  })

  it('orders to ship: paid-not-shipped count, nearest deadline, late ones flagged', async () => {
    const { toShip } = await brandDashboard(t.db, ids.brandA, now)
    expect(toShip.count).toBe(2)
    expect(toShip.late).toBe(1)
    expect(toShip.nearestLate).toBe(true)
    expect(new Date(toShip.nearestShipByAt!).getTime()).toBeCloseTo(now.getTime() - H, -3)
    expect(new Date(toShip.nextShipByAt!).getTime()).toBeCloseTo(now.getTime() + 20 * H, -3)
    // Once the late order ships, the nearest deadline is the one 20 h ahead and nothing is late.
    await t.db
      .updateTable('orders')
      .set({ status: 'shipped', shipped_at: now })
      .where('brand_id', '=', ids.brandA)
      .where('ship_by_at', '<', now)
      .execute()
    const after = (await brandDashboard(t.db, ids.brandA, now)).toShip
    expect(after).toMatchObject({ count: 1, late: 0, nearestLate: false })
    expect(new Date(after.nearestShipByAt!).getTime()).toBeCloseTo(now.getTime() + 20 * H, -3)
    const ctx = (await brandDashboard(t.db, ids.brandA, now)).sessions.find((x) => x.id === ids.sessionA)!
    expect(ctx.revenueMinor).toBe(59500)
  })

  it('the /brand loader shows each brand only its own numbers', async () => {
    const load = async (cookie: string) =>
      (
        await (dashboard.loader({
          request: getRequest('/brand', cookie),
          params: {},
          context: {},
        }) as Promise<Response>)
      ).json()
    const asB = await load(cookies.brandB)
    expect(asB.totals.revenueMinor).toBe(7 * 77700)
    expect(asB.toShip.count).toBe(1)
    expect(JSON.stringify(asB)).not.toContain(ids.sessionA)
    const asA = await load(cookies.brandA)
    expect(asA.totals.revenueMinor).toBe(59500)
    expect(JSON.stringify(asA)).not.toContain(ids.sessionB)
    expect(JSON.stringify(asA)).not.toContain('543900')
  })
})
