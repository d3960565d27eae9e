import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertShareLink } from '#db/queries/reseller'
import { formatMoney } from '#app/domain/money'
import { placeCustomerOrder, startCustomerPayment } from '#app/services/customer-orders/checkout.server'
import { createChannels, type Channels } from '#app/services/notifications/channels.server'
import { deliverDue } from '#app/services/notifications/delivery.server'
import { listBrandOrders, shipOrder } from '#app/services/orders/orders.server'
import { decideTestPayment } from '#app/services/payments/index.server'
import { action as unsubscribeAction } from '#app/routes/notifications.unsubscribe.$token'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// A reseller's customer pays and her parcel ships: the reseller is told in her inbox (and by push), the customer by
// e-mail when she gave one — in the language she ordered in first, with her private order page, exactly once, and
// never again after she unsubscribed. Mails read from a real SMTP server on loopback.

let t: TestDatabase
let smtp: SmtpSink
let channels: Channels
const BASE = 'http://shop.test'
const RETAIL = 25_900

beforeAll(async () => {
  t = await createTestDatabase()
  smtp = await startSmtpSink()
  channels = createChannels(t.db, { smtpUrl: smtp.url })
})
afterAll(async () => {
  await smtp.close()
  await t.drop()
})

const deliver = (now: Date) => deliverDue(t.db, { channels, now: () => now, ratePerSecond: 10_000, base: BASE })

function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ')
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line ? line.slice(name.length + 1).trim() : null
}

async function shopWithItem() {
  const brand = await createBrand(t.db)
  const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
  const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, { brandId: brand.id, title: '羊毛大衣', sizes: ['M'] })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: skus.map((s) => s.id),
    basePriceMinor: 17_300,
    quantity: 50,
  })
  const sis = await t.db
    .selectFrom('session_item_skus')
    .select('id')
    .where('session_item_id', '=', item.id)
    .executeTakeFirstOrThrow()
  const reseller = await createUser(t.db, { vipLevel: 2, displayName: '杭州小满' })
  await t.db
    .insertInto('memberships')
    .values({ member_id: reseller.id, invited_by: null, invitation_code_id: null, level_since: new Date() })
    .execute()
  const token = `n${randomUUID().replace(/-/g, '')}`
  await insertShareLink(t.db, {
    token,
    userId: reseller.id,
    sessionId: session.id,
    kind: 'list',
    now: new Date(),
    items: [{ itemId: item.id, priceMinor: RETAIL, currency: 'CNY' }],
  })
  const own = (
    await t.db
      .selectFrom('session_items')
      .select('base_price_minor')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow()
  ).base_price_minor
  return { brand, staff, reseller, token, sisId: sis.id, own }
}

async function orderAndPay(
  shop: Awaited<ReturnType<typeof shopWithItem>>,
  customer: { email?: string | null; locale?: 'zh-CN' | 'en'; phone: string },
  at: Date,
) {
  const placed = await placeCustomerOrder(t.db, {
    source: { kind: 'share', token: shop.token },
    lines: [{ sessionItemSkuId: shop.sisId, quantity: 1 }],
    customer: { name: '何小姐', region: '上海 静安', line: '南京西路 1 号', ...customer },
    clientKey: randomUUID(),
    idempotencyKey: randomUUID(),
    now: at,
  })
  const started = await startCustomerPayment(t.db, { token: placed.token, origin: 'http://localhost', now: at })
  const paymentId = started!.redirectUrl.split('/').pop()!
  // The provider reports success twice (a retried webhook): still one payment, one notice.
  await decideTestPayment(t.db, paymentId, 'approve', at)
  await decideTestPayment(t.db, paymentId, 'approve', at).catch(() => undefined)
  const order = await t.db
    .selectFrom('orders')
    .select(['id', 'checkout_id'])
    .where('checkout_id', '=', placed.checkoutId)
    .executeTakeFirstOrThrow()
  return { ...placed, orderId: order.id }
}

const inbox = (userId: string) =>
  t.db
    .selectFrom('notifications')
    .select(['event', 'link', 'data'])
    .where('recipient_id', '=', userId)
    .orderBy('created_at')
    .execute()

describe('a customer pays and her parcel ships', () => {
  it('tells the reseller once and mails the customer once in her language, with her private page and tracking', async () => {
    const shop = await shopWithItem()
    const at = new Date()
    const email = `he.${randomUUID().slice(0, 6)}@example.com`
    const o = await orderAndPay(shop, { email, locale: 'en', phone: '13911112222' }, at)

    // The reseller: one inbox notice (and push, were she subscribed), linked to her customers page; no e-mail address.
    const told = await inbox(shop.reseller.id)
    expect(told.map((n) => n.event)).toEqual(['customer_order_paid'])
    expect(told[0]!.link).toBe('/reseller/customers')
    expect(JSON.stringify(told[0]!.data)).toContain('何小姐')
    expect(JSON.stringify(told[0]!.data)).not.toContain(email)

    // Two delivery runs at once: one mail.
    await Promise.all([deliver(at), deliver(at)])
    const paid = await smtp.waitFor((m) => m.to.includes(email))
    expect(paid.mail.subject).toMatch(/^Order [0-9A-F]{8} is paid \/ 订单 [0-9A-F]{8} 已付款$/)
    expect(paid.mail.text).toContain(`${BASE}/o/${o.token}`)
    expect(paid.mail.text).toContain(formatMoney({ amountMinor: RETAIL, currency: 'CNY' }, 'en'))
    expect(paid.mail.text).toContain('杭州小满')
    expect(header(paid.raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/shop\.test\/notifications\/unsubscribe\/[\w.-]+>$/)

    // The brand ships: the reseller hears it as her customer's parcel (not as her own order), the customer by mail.
    await shipOrder(t.db, {
      brandId: shop.brand.id,
      orderId: o.orderId,
      carrier: 'SF Express',
      trackingNo: 'SF1234567890',
      now: at,
    })
    await shipOrder(t.db, {
      brandId: shop.brand.id,
      orderId: o.orderId,
      carrier: 'SF Express',
      trackingNo: 'SF1234567890',
      now: at,
    }).catch(() => undefined)
    expect((await inbox(shop.reseller.id)).map((n) => n.event)).toEqual([
      'customer_order_paid',
      'customer_order_shipped',
    ])
    await Promise.all([deliver(at), deliver(at)])
    const shipped = await smtp.waitFor((m) => m.to.includes(email) && /shipped/.test(m.mail.subject ?? ''))
    expect(shipped.mail.text).toContain('SF Express')
    expect(shipped.mail.text).toContain('SF1234567890')
    expect(shipped.mail.text).toContain(`${BASE}/o/${o.token}`)
    await deliver(new Date(at.getTime() + 3_600_000))
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(2)

    // No leak in what she reads: not the reseller's own price, level or a floor.
    for (const m of [paid, shipped]) {
      // (Her order's random token left out: it may spell anything.)
      const all = `${m.mail.subject}\n${m.mail.text}\n${m.mail.html}`.replaceAll(o.token, '')
      for (const locale of ['zh-CN', 'en'])
        expect(all).not.toContain(formatMoney({ amountMinor: shop.own, currency: 'CNY' }, locale))
      expect(all).not.toMatch(/VIP|拿货|批发|wholesale|floor|最低/i)
    }

    // The brand's side never holds the customer's e-mail: not its orders list, not its staff's notifications.
    const brandOrders = await listBrandOrders(t.db, shop.brand.id, 'all', at)
    expect(JSON.stringify(brandOrders)).not.toContain(email)
    expect(JSON.stringify(await inbox(shop.staff.id))).not.toContain(email)
  })

  it('honours the unsubscribe link of her mail, and mails nobody when she gave no address', async () => {
    const shop = await shopWithItem()
    const at = new Date()
    const email = `lin.${randomUUID().slice(0, 6)}@example.com`
    await orderAndPay(shop, { email, phone: '13922223333' }, at)
    await deliver(at)
    const first = await smtp.waitFor((m) => m.to.includes(email))
    // Her language was Chinese: it comes first.
    expect(first.mail.subject).toMatch(/^订单 [0-9A-F]{8} 已付款 \/ Order/)
    const url = /^<([^>]+)>$/.exec(header(first.raw, 'List-Unsubscribe')!)![1]!
    const res = await unsubscribeAction({
      request: new Request(url, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      params: { token: url.split('/').pop()! },
      context: {},
    })
    expect(res.status).toBe(200)

    // Her next order: no "paid" mail any more (the reseller is still told); shipping mails still come.
    const second = await orderAndPay(shop, { email, phone: '13922223333' }, at)
    await deliver(at)
    await shipOrder(t.db, {
      brandId: shop.brand.id,
      orderId: second.orderId,
      carrier: 'ZTO',
      trackingNo: 'ZTO42',
      now: at,
    })
    await deliver(at)
    await smtp.waitFor((m) => m.to.includes(email) && /ZTO42/.test(m.mail.text ?? ''))
    const mine = smtp.messages.filter((m) => m.to.includes(email))
    expect(mine.map((m) => /已付款/.test(m.mail.subject ?? ''))).toEqual([true, false])
    expect((await inbox(shop.reseller.id)).filter((n) => n.event === 'customer_order_paid')).toHaveLength(2)

    // Without an address: the reseller is told, no mail is written at all.
    const before = await t.db
      .selectFrom('notifications')
      .select('id')
      .where('recipient_email', 'is not', null)
      .execute()
    await orderAndPay(shop, { email: null, phone: '13933334444' }, at)
    const after = await t.db.selectFrom('notifications').select('id').where('recipient_email', 'is not', null).execute()
    expect(after.length).toBe(before.length)
    expect((await inbox(shop.reseller.id)).filter((n) => n.event === 'customer_order_paid')).toHaveLength(3)
  })
})
