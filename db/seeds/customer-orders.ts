// Customer demo data: five customers of 杭州Lily (vip3@demo.cm) order on her shop (/shop/lily-hz), written by the
// product's own services after the rest of the seed has committed (they open their own transactions), so orders,
// stock, journal entries and her earnings are exactly what a real customer produces: placeCustomerOrder, a
// payment through the labelled test provider, shipOrder by the brand, confirmCustomerReceipt by the customer and
// refundOrder for one line. States: unpaid within its 15-minute hold, paid (to ship), shipped with tracking,
// received, and a two-line order with one line refunded (her earning on it reversed).
//
// Idempotent: each order has a fixed idempotency key (placing again returns the first order) and every later
// step is skipped when the order is already past it, so running it twice changes nothing.
import type { Db } from '../client'
import { placeCustomerOrder, startCustomerPayment } from '#app/services/customer-orders/checkout.server'
import { confirmCustomerReceipt } from '#app/services/customer-orders/order-page.server'
import { refundOrder } from '#app/services/orders/after-sales.server'
import { shipOrder } from '#app/services/orders/orders.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { testProvider } from '#app/services/payments/provider.server'
import { DEMO_SHOP_HANDLE } from './reseller'

/** The demo order a newcomer is pointed at (shipped, with tracking): see `demoCustomerOrderPath`. */
export const DEMO_CUSTOMER_ORDER_KEY = 'demo-customer-order-2'

interface Plan {
  key: string
  name: string
  phone: string
  region: string
  line: string
  /** Hours from the seed hour; null: placed at the seed's `now`, still unpaid within its hold. */
  at: number | null
  /** Indexes into the eligible items of her shop, one unit each unless `quantity`. */
  picks: Array<{ pick: number; quantity?: number }>
  ship?: { carrier: string; trackingNo: string; at: number }
  receivedAt?: number
  /** Refund the order's second line (one unit) at this hour. */
  refundAt?: number
}

const PLANS: Plan[] = [
  {
    key: 'demo-customer-order-1',
    name: '孙小姐',
    phone: '13912340001',
    region: '浙江 杭州 西湖区',
    line: '文三路 90 号 2 幢 301',
    at: -5.4,
    picks: [{ pick: 0 }],
    ship: { carrier: '顺丰速运', trackingNo: 'SF1402310088', at: -3.1 },
    receivedAt: -0.6,
  },
  {
    key: DEMO_CUSTOMER_ORDER_KEY,
    name: '林女士',
    phone: '13912340002',
    region: '上海 徐汇区',
    line: '漕溪北路 18 号 1203',
    at: -4.7,
    picks: [{ pick: 2 }],
    ship: { carrier: '中通快递', trackingNo: 'ZTO7731990421', at: -1.4 },
  },
  {
    key: 'demo-customer-order-3',
    name: '赵女士',
    phone: '13912340003',
    region: '江苏 苏州 工业园区',
    line: '星湖街 328 号',
    at: -3.8,
    picks: [{ pick: 4 }, { pick: 6 }],
    refundAt: -2.2,
  },
  {
    key: 'demo-customer-order-4',
    name: '刘小姐',
    phone: '13912340004',
    region: '广东 深圳 南山区',
    line: '科技园南路 6 号',
    at: -1.3,
    picks: [{ pick: 8, quantity: 2 }],
  },
  {
    key: 'demo-customer-order-5',
    name: '周小姐',
    phone: '13912340005',
    region: '北京 朝阳区',
    line: '建国路 88 号',
    at: null,
    picks: [{ pick: 10 }],
  },
]

/** Cheap items of her shop's live session with stock to spare, past the first ones (share list, browser tests). */
async function eligibleSkus(db: Db, resellerId: string) {
  const rows = await db
    .selectFrom('shop_items as si')
    .innerJoin('session_items as i', 'i.id', 'si.session_item_id')
    .innerJoin('session_item_skus as x', 'x.session_item_id', 'i.id')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select(['x.id', 'i.id as item_id', 'i.position', 'i.base_price_minor'])
    .where('si.user_id', '=', resellerId)
    .where('i.position', '>=', 20)
    .where('i.per_member_cap', 'is', null)
    .where('x.available', '>=', 12)
    .orderBy('i.base_price_minor')
    .orderBy('i.position')
    .orderBy('k.colour')
    .orderBy('k.size')
    .execute()
  // One SKU per item, cheapest items first: her growth points from these stay small (the membership demo shows her
  // short of keeping her level this month).
  const seen = new Set<string>()
  return rows.filter((r) => !seen.has(r.item_id) && seen.add(r.item_id))
}

export async function seedCustomerOrders(db: Db, now: Date): Promise<void> {
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000
  const at = (h: number) => new Date(hour + Math.round(h * 3_600_000))
  const lily = await db.selectFrom('users').select('id').where('email', '=', 'vip3@demo.cm').executeTakeFirst()
  if (!lily) return
  const pool = await eligibleSkus(db, lily.id)
  if (pool.length === 0) return
  for (const plan of PLANS) {
    const placedAt = plan.at === null ? now : at(plan.at)
    const placed = await placeCustomerOrder(db, {
      source: { kind: 'shop', handle: DEMO_SHOP_HANDLE },
      lines: plan.picks.map((p) => ({
        sessionItemSkuId: pool[p.pick % pool.length]!.id,
        quantity: p.quantity ?? 1,
      })),
      customer: { name: plan.name, phone: plan.phone, region: plan.region, line: plan.line },
      clientKey: plan.key,
      idempotencyKey: plan.key,
      now: placedAt,
    })
    if (plan.at === null) continue
    const paying = new Date(placedAt.getTime() + 60_000)
    const started = await startCustomerPayment(
      db,
      { token: placed.token, origin: 'http://localhost', now: paying },
      testProvider,
    )
    if (started?.paymentId)
      await decideTestPayment(db, started.paymentId, 'approve', new Date(paying.getTime() + 90_000))
    const orders = await db
      .selectFrom('orders')
      .select(['id', 'brand_id', 'status'])
      .where('checkout_id', '=', placed.checkoutId)
      .execute()
    for (const order of orders) {
      if (plan.ship && order.status === 'paid')
        await shipOrder(db, {
          brandId: order.brand_id,
          orderId: order.id,
          carrier: plan.ship.carrier,
          trackingNo: plan.ship.trackingNo,
          now: at(plan.ship.at),
        })
      if (plan.receivedAt !== undefined && order.status !== 'received')
        await confirmCustomerReceipt(db, { token: placed.token, orderId: order.id, now: at(plan.receivedAt) })
      if (plan.refundAt !== undefined) {
        const lines = await db
          .selectFrom('order_lines')
          .select(['id', 'refunded_quantity'])
          .where('order_id', '=', order.id)
          .orderBy('id')
          .execute()
        const second = lines[1]
        if (second && second.refunded_quantity === 0)
          await refundOrder(db, {
            orderId: order.id,
            lines: [{ orderLineId: second.id, quantity: 1 }],
            reason: '顾客取消一件',
            now: at(plan.refundAt),
          })
      }
    }
  }
}

/** The private page of the demo customer order a newcomer is pointed at, once seeded. */
export async function demoCustomerOrderPath(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('customer_orders')
    .select('token')
    .where('idempotency_key', '=', DEMO_CUSTOMER_ORDER_KEY)
    .executeTakeFirst()
  return row ? `/o/${row.token}` : null
}
