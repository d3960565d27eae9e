// Demo order history, written by the product's own services so the rows are exactly what members,
// brands and the payment layer produce: placeCheckoutInTransaction (stock taken, caps counted, checkout,
// one order per brand, lines at the member's own level price, stock movements, expiry job), a payment
// through the labelled test provider approved by applyPaymentOutcomeInTransaction (the order purpose
// handler marks the orders paid, starts the 24 h ship-by clock and credits growth points through the
// membership ledger), then shipOrder / confirmReceipt / openAfterSale / writeSettlements / flagLateOrders,
// each at a fixed time relative to the seed's `now`.
//
// Who buys: VIP5 (上海大胖买手) and VIP1 (阿梅海淘, small orders that keep her below VIP2). Trial and VIP3 buy
// nothing: a trial member's first paid order would award VIP3 invite points this month, and the membership
// demo shows VIP3 short of keeping her level (40 of 120 this month).
import type { Transaction } from 'kysely'
import type { Database } from '../schema'
import { placeCheckoutInTransaction } from '#app/services/checkout/member-checkout.server'
import { checkoutPaymentRequest, confirmReceipt, flagLateOrders, shipOrder } from '#app/services/orders/orders.server'
import { openAfterSale, writeSettlements } from '#app/services/orders/after-sales.server'
import {
  applyPaymentOutcomeInTransaction,
  startPayment,
  testPaymentDecision,
} from '#app/services/payments/index.server'
import { testProvider } from '#app/services/payments/provider.server'

type Trx = Transaction<Database>

const SESSIONS = { winter: '沐岚 冬季女装清仓', northshore: '北岸 男装鞋包特卖', autumn: '沐岚 秋装尾货' } as const
type SessionKey = keyof typeof SESSIONS

/** `capped`: pick among SKUs with a per-member cap (so the demo shows a cap counted), when the session has one in stock. */
interface Line {
  session: SessionKey
  pick: number
  quantity: number
  capped?: true
}
interface OrderPlan {
  member: 'vip1@demo.cm' | 'vip5@demo.cm'
  /** Hours (fractions allowed) from the seed hour. */
  at: number
  lines: Line[]
  dropShip?: boolean
  /** Per brand slug: carrier, tracking number, hours from the seed hour. */
  ship?: { carrier: string; trackingNo: string; at: number }
  receivedAt?: number
  afterSale?: { at: number; reason: string }
}

// VIP1 picks the cheapest eligible SKUs (her points stay under VIP2); VIP5 picks along the session's order.
const PLANS: OrderPlan[] = [
  // The ended MULAN session (after-sale window closed): received orders, settled below.
  {
    member: 'vip5@demo.cm',
    at: -236.6,
    lines: [
      { session: 'autumn', pick: 0, quantity: 3 },
      { session: 'autumn', pick: 4, quantity: 2 },
    ],
    ship: { carrier: '顺丰速运', trackingNo: 'SF1402258891', at: -226 },
    receivedAt: -200,
  },
  {
    member: 'vip1@demo.cm',
    at: -214.3,
    lines: [{ session: 'autumn', pick: 0, quantity: 1 }],
    ship: { carrier: '中通快递', trackingNo: 'ZTO7731904415', at: -205 },
    receivedAt: -190,
  },
  {
    member: 'vip5@demo.cm',
    at: -201.8,
    lines: [{ session: 'autumn', pick: 9, quantity: 2 }],
    ship: { carrier: '圆通速递', trackingNo: 'YT6620158834', at: -197 },
    receivedAt: -150,
  },
  // 北岸 (live for 30 h): one paid more than 24 h ago and still not shipped (late), one received, one with an open after-sale request, one in transit, one to ship.
  { member: 'vip5@demo.cm', at: -29.4, lines: [{ session: 'northshore', pick: 2, quantity: 4 }] },
  {
    member: 'vip1@demo.cm',
    at: -28.1,
    lines: [{ session: 'northshore', pick: 0, quantity: 1 }],
    ship: { carrier: '中通快递', trackingNo: 'ZTO7731988702', at: -20 },
    receivedAt: -4,
  },
  {
    member: 'vip5@demo.cm',
    at: -27.5,
    lines: [{ session: 'northshore', pick: 6, quantity: 2 }],
    ship: { carrier: '圆通速递', trackingNo: 'YT6620199015', at: -22 },
    receivedAt: -6,
    afterSale: { at: -2.3, reason: '尺码偏小，申请退款' },
  },
  {
    member: 'vip1@demo.cm',
    at: -10.2,
    lines: [{ session: 'northshore', pick: 1, quantity: 1 }],
    ship: { carrier: '京东物流', trackingNo: 'JD0088412399', at: -1.2 },
  },
  // 沐岚 winter (live for 6 h): a two-brand checkout (one payment, two orders), a drop-ship order, one already shipped.
  {
    member: 'vip5@demo.cm',
    at: -5.8,
    lines: [
      { session: 'winter', pick: 3, quantity: 3 },
      { session: 'northshore', pick: 10, quantity: 2 },
    ],
  },
  {
    member: 'vip5@demo.cm',
    at: -5.2,
    lines: [{ session: 'winter', pick: 8, quantity: 2 }],
    ship: { carrier: '顺丰速运', trackingNo: 'SF1402300127', at: -1.7 },
  },
  { member: 'vip1@demo.cm', at: -3.4, lines: [{ session: 'winter', pick: 1, quantity: 1 }], dropShip: true },
  {
    member: 'vip5@demo.cm',
    at: -1.5,
    lines: [
      { session: 'winter', pick: 12, quantity: 1, capped: true },
      { session: 'winter', pick: 15, quantity: 2 },
    ],
  },
]

/** Every SKU of a session a demo order may take: enough stock left, past the first items (share list, browser tests). */
async function eligibleSkus(trx: Trx, title: string) {
  return trx
    .selectFrom('session_item_skus as x')
    .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select(['x.id', 'x.available', 'i.base_price_minor', 'i.per_member_cap', 'i.position', 'k.colour', 'k.size'])
    .where('s.title', '=', title)
    .where('i.position', '>=', 5)
    .where('x.available', '>=', 12)
    .orderBy('i.position')
    .orderBy('k.colour')
    .orderBy('k.size')
    .execute()
}

export async function seedDemoOrders(trx: Trx, now: Date): Promise<void> {
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000
  const at = (h: number) => new Date(hour + Math.round(h * 3_600_000))
  const members = await trx
    .selectFrom('users')
    .select(['id', 'email', 'vip_level'])
    .where('email', 'in', ['vip1@demo.cm', 'vip5@demo.cm'])
    .execute()
  if (members.length < 2) return
  const addresses = await trx
    .selectFrom('addresses')
    .select(['id', 'member_id', 'kind'])
    .where(
      'member_id',
      'in',
      members.map((m) => m.id),
    )
    .execute()
  const pools: Partial<Record<SessionKey, Awaited<ReturnType<typeof eligibleSkus>>>> = {}
  for (const key of Object.keys(SESSIONS) as SessionKey[]) pools[key] = await eligibleSkus(trx, SESSIONS[key])
  // VIP1's picks index the cheapest uncapped SKUs (one per item), so her points stay below VIP2.
  const cheapest = (key: SessionKey) => {
    const seen = new Set<number>()
    return [...pools[key]!]
      .filter((s) => s.per_member_cap === null)
      .sort((a, b) => a.base_price_minor - b.base_price_minor || a.position - b.position)
      .filter((s) => !seen.has(s.position) && seen.add(s.position))
  }

  for (const plan of PLANS) {
    const member = members.find((m) => m.email === plan.member)!
    const address = addresses.find((a) => a.member_id === member.id && a.kind === (plan.dropShip ? 'customer' : 'own'))!
    const lines = plan.lines.map((l) => {
      const open = (plan.member === 'vip1@demo.cm' ? cheapest(l.session) : pools[l.session]!).filter(
        (s) => s.per_member_cap === null || s.per_member_cap >= l.quantity,
      )
      // Which SKUs have stock left depends on the hour the demo is seeded at (the catalog seed's earlier sales), so
      // a capped pick is asked for explicitly rather than left to the index.
      const capped = l.capped ? open.filter((s) => s.per_member_cap !== null) : []
      const pool = capped.length ? capped : open
      const sku = pool[l.pick % pool.length]
      if (!sku) throw new Error(`demo orders: no stock left in ${SESSIONS[l.session]}`)
      return { sessionItemSkuId: sku.id, quantity: l.quantity }
    })
    const placedAt = at(plan.at)
    const placed = await placeCheckoutInTransaction(trx, {
      memberId: member.id,
      vipLevel: member.vip_level,
      lines,
      addressId: address.id,
      now: placedAt,
    })
    const paying = new Date(placedAt.getTime() + 40_000)
    const payment = await startPayment(
      trx,
      checkoutPaymentRequest({
        checkoutId: placed.checkoutId,
        memberId: member.id,
        amountMinor: placed.totalMinor,
        currency: placed.currency,
        origin: 'http://localhost',
        orderId: placed.orderIds[0],
      }),
      paying,
      testProvider,
    )
    await applyPaymentOutcomeInTransaction(
      trx,
      testPaymentDecision(payment.paymentId, 'approve'),
      new Date(paying.getTime() + 95_000),
    )

    const orders = await trx
      .selectFrom('orders')
      .select(['id', 'brand_id'])
      .where('checkout_id', '=', placed.checkoutId)
      .execute()
    for (const order of orders) {
      if (plan.ship)
        await shipOrder(trx, {
          brandId: order.brand_id,
          orderId: order.id,
          carrier: plan.ship.carrier,
          trackingNo: plan.ship.trackingNo,
          now: at(plan.ship.at),
        })
      if (plan.receivedAt !== undefined)
        await confirmReceipt(trx, { memberId: member.id, orderId: order.id, now: at(plan.receivedAt) })
      if (plan.afterSale)
        await openAfterSale(trx, {
          memberId: member.id,
          orderId: order.id,
          kind: 'refund',
          reason: plan.afterSale.reason,
          photos: [],
          now: at(plan.afterSale.at),
        })
    }
  }
  // What the hourly and five-minute jobs would have done by now: the ended session's statement, the late flag.
  await writeSettlements(trx, now)
  await flagLateOrders(trx, now)
}
