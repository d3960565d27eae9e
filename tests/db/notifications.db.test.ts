import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { NOTIFICATION_EVENTS, NOTIFICATION_EVENT_NAMES, type NotificationEvent } from '#app/domain/notification-events'
import { NOTIFICATION_RULES } from '#app/domain/notifications'
import { createChannels, type Channels } from '#app/services/notifications/channels.server'
import { deliverDue } from '#app/services/notifications/delivery.server'
import { checkRestocks, warnLateOrders } from '#app/services/notifications/events.server'
import { planSessionReminders } from '#app/services/notifications/session-reminders.server'
import { markRead, openNotification, unreadCount } from '#app/services/notifications/inbox.server'
import { notify } from '#app/services/notifications/notify.server'
import { requestRestock, savePushSubscription } from '#app/services/notifications/settings.server'
import { action as unsubscribeAction, loader as unsubscribeLoader } from '#app/routes/notifications.unsubscribe.$token'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { startPushEndpoint, type PushEndpoint } from '#tests/setup/push-endpoint'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let smtp: SmtpSink
let push: PushEndpoint
let channels: Channels
const BASE = 'http://shop.test'
// 11:00 in Shanghai: outside quiet hours. 23:00: inside.
const DAY = new Date('2030-01-07T03:00:00Z')
const NIGHT = new Date('2030-01-07T15:00:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  smtp = await startSmtpSink()
  push = await startPushEndpoint()
  channels = createChannels(t.db, { smtpUrl: smtp.url, pushCa: push.ca })
})
// Each test sends only its own notifications: whatever an earlier test left pending is set aside.
beforeEach(async () => {
  await t.db
    .updateTable('notification_deliveries')
    .set({ status: 'skipped', outcome: 'set aside by the test' })
    .where('status', '=', 'pending')
    .execute()
})
afterAll(async () => {
  await smtp.close()
  await push.close()
  await t.drop()
})

const deliver = (now: Date, extra: Partial<Parameters<typeof deliverDue>[1]> = {}) =>
  deliverDue(t.db, { channels, now: () => now, ratePerSecond: 10_000, base: BASE, ...extra })

async function deliveriesOf(userId: string) {
  return t.db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .select(['n.event', 'n.dedupe_key', 'd.channel', 'd.status', 'd.outcome', 'd.attempts', 'd.due_at'])
    .where('n.recipient_id', '=', userId)
    .orderBy('n.event')
    .orderBy('d.channel')
    .execute()
}

/** One header of a raw message, unfolded. */
function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ')
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line ? line.slice(name.length + 1).trim() : null
}

async function member(opts: { email?: boolean; push?: boolean } = {}) {
  const u = await createUser(
    t.db,
    opts.email === false ? { email: undefined, phone: `139${String(Math.random()).slice(2, 10)}` } : {},
  )
  if (opts.email === false) await t.db.updateTable('users').set({ email: null }).where('id', '=', u.id).execute()
  let sub: ReturnType<PushEndpoint['subscription']> | null = null
  if (opts.push) {
    sub = push.subscription()
    await savePushSubscription(t.db, u.id, { endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth })
  }
  const row = await t.db.selectFrom('users').select(['id', 'email']).where('id', '=', u.id).executeTakeFirstOrThrow()
  return { ...row, sub }
}

describe("a followed brand's session: reminders 10 minutes before and at the open", () => {
  it('fans out once per recipient and channel under duplicate runs, then sends each delivery once', async () => {
    const brand = await createBrand(t.db, { name: '沐岚', nameEn: 'Mulan' })
    const session = await createSession(t.db, {
      brandId: brand.id,
      startsAt: new Date(Date.now() + 5 * 60_000),
      title: '冬季清仓',
      titleEn: 'Winter clearance',
    })
    const a = await member({ push: true })
    const b = await member({ email: false })
    const c = await member()
    for (const m of [a, b])
      await t.db.insertInto('brand_follows').values({ user_id: m.id, brand_id: brand.id }).execute()
    await t.db
      .insertInto('reminder_requests')
      .values({ user_id: c.id, session_id: session.id, session_item_id: null })
      .execute()

    // The planner running three times at once (cron overlap, a retry) writes everything once.
    const now = new Date()
    const counts = await Promise.all([
      planSessionReminders(t.db, now),
      planSessionReminders(t.db, now),
      planSessionReminders(t.db, now),
    ])
    expect(counts.reduce((x, y) => x + y, 0)).toBe(3)
    await planSessionReminders(t.db, now)
    const rows = await t.db
      .selectFrom('notifications')
      .select(['event', 'recipient_id'])
      .where('dedupe_key', 'like', `${session.id}@%`)
      .execute()
    expect(rows.length).toBe(6)
    expect((await deliveriesOf(a.id)).map((d) => `${d.event}/${d.channel}`)).toEqual([
      'session_open/email',
      'session_open/push',
      'session_soon/email',
      'session_soon/push',
    ])
    expect((await deliveriesOf(b.id)).length).toBe(0) // no e-mail address, no push subscription: inbox only
    expect((await deliveriesOf(c.id)).map((d) => `${d.event}/${d.channel}`)).toEqual([
      'session_open/email',
      'session_soon/email',
    ])

    // Two workers draining at once: every delivery goes out exactly once.
    const reports = await Promise.all([deliver(DAY), deliver(DAY)])
    expect(reports.reduce((s, r) => s + r.sent, 0)).toBe(6)
    expect((await deliver(DAY)).sent).toBe(0)
    const mails = smtp.messages.filter((m) => m.to.includes(a.email!) || m.to.includes(c.email!))
    expect(mails.length).toBe(4)
    const soon = mails.find((m) => m.to.includes(a.email!) && m.mail.subject!.includes('10'))!
    expect(soon.mail.subject).toBe('沐岚 档期 10 分钟后开抢 / Mulan opens in 10 minutes')
    expect(soon.mail.text).toContain('冬季清仓')
    expect(soon.mail.text).toContain('Winter clearance')
    expect(soon.mail.html).toContain('<a href="http://shop.test/notifications/')
    expect(header(soon.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    expect(header(soon.raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/shop\.test\/notifications\/unsubscribe\/[\w.-]+>$/)

    const pushes = push.received.filter((r) => r.path === new URL(a.sub!.endpoint).pathname)
    expect(pushes.length).toBe(2)
    const payloads = pushes.map((p) => JSON.parse(push.decrypt(p)) as { title: string; titleEn: string; url: string })
    expect(payloads.map((p) => p.title).sort()).toEqual(['沐岚 开抢了', '沐岚 档期 10 分钟后开抢'])
    expect(payloads[0].url).toMatch(/^http:\/\/shop\.test\/notifications\/[0-9a-f-]{36}$/)
    expect(pushes[0].headers.authorization).toMatch(/^vapid t=/)

    // The inbox: the "soon" notification shows now, the "open" one from the start; opening leads to the session.
    expect(await unreadCount(t.db, b.id, new Date())).toBe(1)
    expect(await unreadCount(t.db, b.id, new Date(Date.now() + 6 * 60_000))).toBe(2)
    const mine = await t.db
      .selectFrom('notifications')
      .select(['id'])
      .where('recipient_id', '=', b.id)
      .where('event', '=', 'session_soon')
      .executeTakeFirstOrThrow()
    expect(await openNotification(t.db, a.id, mine.id, new Date())).toBeNull() // not a's
    expect(await openNotification(t.db, b.id, mine.id, new Date())).toBe(`/sessions/${session.id}`)
    expect(await unreadCount(t.db, b.id, new Date())).toBe(0)
    expect(await markRead(t.db, a.id, mine.id, new Date())).toBeNull()
  })
})

describe('every catalogue event', () => {
  it('is one notification per recipient and one delivery per channel however often it is reported', async () => {
    const m = await member({ push: true })
    const data = (e: NotificationEvent) => Object.fromEntries(NOTIFICATION_EVENTS[e].fields.map((f) => [f, `${f}-x`]))
    for (const event of NOTIFICATION_EVENT_NAMES) {
      const once = () =>
        t.db.transaction().execute((trx) =>
          notify(trx, {
            event,
            recipient: { userId: m.id },
            data: data(event),
            dedupeKey: 'k1',
            link: '/account',
            now: DAY,
          }),
        )
      const made = await Promise.all([once(), once(), once()])
      expect(made.reduce((x, y) => x + y, 0)).toBe(1)
    }
    const ds = await deliveriesOf(m.id)
    for (const event of NOTIFICATION_EVENT_NAMES) {
      const spec = NOTIFICATION_EVENTS[event]
      expect(ds.filter((d) => d.event === event).map((d) => d.channel)).toEqual([
        ...(spec.defaults.email ? ['email'] : []),
        ...(spec.defaults.push ? ['push'] : []),
      ])
    }
    expect(
      await t.db
        .selectFrom('notifications')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('recipient_id', '=', m.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: NOTIFICATION_EVENT_NAMES.length })
    // A recipient without an account: e-mail only, once.
    for (let i = 0; i < 2; i++)
      await notify(t.db, {
        event: 'order_paid',
        recipient: { email: 'Buyer@Example.com' },
        data: { orderNo: 'AB12', brand: 'b' },
        dedupeKey: 'o1',
        now: DAY,
      })
    expect(
      (
        await t.db
          .selectFrom('notifications')
          .select('id')
          .where('recipient_email', 'ilike', 'buyer@example.com')
          .execute()
      ).length,
    ).toBe(1)
  })

  it('restock alerts and late-order warnings are once per request and order under concurrent runs', async () => {
    const brand = await createBrand(t.db)
    const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() - 3_600_000) })
    const { product, skus } = await createProduct(t.db, { brandId: brand.id })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 5000,
      quantity: 1,
    })
    const sis = await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
    await t.db.updateTable('session_item_skus').set({ available: 0 }).where('id', '=', sis.id).execute()
    const m = await member()
    expect(await requestRestock(t.db, { userId: m.id, sessionItemSkuId: sis.id, now: new Date() })).toBe(true)
    expect(await checkRestocks(t.db, new Date())).toBe(0)
    await t.db.updateTable('session_item_skus').set({ available: 1 }).where('id', '=', sis.id).execute() // a hold expired
    await Promise.all([checkRestocks(t.db, new Date()), checkRestocks(t.db, new Date())])
    expect(
      (await t.db.selectFrom('notifications').select('event').where('recipient_id', '=', m.id).execute()).map(
        (r) => r.event,
      ),
    ).toEqual(['restock'])

    const shipTo = '{"recipient":"a","phone":"1","region":"r","line":"l"}'
    const checkout = await sql<{
      id: string
    }>`insert into checkouts (member_id, status, total_minor, currency, ship_to, expires_at) values (${m.id}, 'paid', 100, 'CNY', ${shipTo}::jsonb, now()) returning id`.execute(
      t.db,
    )
    const now = new Date()
    await sql`insert into orders (checkout_id, member_id, brand_id, status, goods_minor, ship_to, paid_at, ship_by_at)
      values (${checkout.rows[0].id}, ${m.id}, ${brand.id}, 'paid', 100, ${shipTo}::jsonb, ${now}, ${new Date(now.getTime() + 3_600_000)})`.execute(
      t.db,
    )
    await Promise.all([warnLateOrders(t.db, now), warnLateOrders(t.db, now)])
    expect(
      (await t.db.selectFrom('notifications').select('event').where('recipient_id', '=', staff.id).execute()).map(
        (r) => r.event,
      ),
    ).toEqual(['order_late_soon'])
  })
})

describe('quiet hours, the daily cap, retries', () => {
  it('holds marketing until 08:00 Shanghai but sends transactional at night', async () => {
    const m = await member()
    await notify(t.db, {
      event: 'session_open',
      recipient: { userId: m.id },
      data: { brand: 'q', session: 's' },
      dedupeKey: 'quiet',
      now: NIGHT,
    })
    await notify(t.db, {
      event: 'order_shipped',
      recipient: { userId: m.id },
      data: { orderNo: 'Q1', brand: 'q', carrier: 'SF', trackingNo: 'SF1' },
      dedupeKey: 'quiet',
      now: NIGHT,
    })
    const r = await deliver(NIGHT)
    expect(r.sent).toBe(1)
    expect(r.delayed).toBe(1)
    const ds = await deliveriesOf(m.id)
    expect(ds.find((d) => d.event === 'order_shipped')!.status).toBe('sent')
    const held = ds.find((d) => d.event === 'session_open')!
    expect(held.status).toBe('pending')
    expect(new Date(held.due_at).toISOString()).toBe('2030-01-08T00:00:00.000Z')
    expect((await deliver(new Date('2030-01-07T23:59:00Z'))).sent).toBe(0)
    expect((await deliver(new Date('2030-01-08T00:00:00Z'))).sent).toBe(1)
  })

  it('lets at most the cap of marketing reminders interrupt a member per local day, whatever the channels and workers', async () => {
    const m = await member({ push: true })
    const extra = 3
    for (let i = 0; i < NOTIFICATION_RULES.marketingDailyCap + extra; i++) {
      await notify(t.db, {
        event: 'session_open',
        recipient: { userId: m.id },
        data: { brand: `b${i}`, session: 's' },
        dedupeKey: `cap-${i}`,
        now: DAY,
      })
    }
    await notify(t.db, {
      event: 'order_paid',
      recipient: { userId: m.id },
      data: { orderNo: 'C1', brand: 'b' },
      dedupeKey: 'cap',
      now: DAY,
    })
    await Promise.all([deliver(DAY, { batch: 3 }), deliver(DAY, { batch: 2 }), deliver(DAY, { batch: 4 })])
    // A send that timed out on a loaded machine is retried later the same day; it keeps its slot.
    for (const hours of [1, 2, 3]) await deliver(new Date(DAY.getTime() + hours * 3_600_000))
    const ds = await deliveriesOf(m.id)
    const open = ds.filter((d) => d.event === 'session_open')
    expect(open.filter((d) => d.status === 'sent').length, JSON.stringify(open.map((d) => [d.status, d.outcome]))).toBe(
      NOTIFICATION_RULES.marketingDailyCap * 2,
    )
    expect(open.filter((d) => d.status === 'skipped' && d.outcome === 'daily_cap').length).toBe(extra * 2)
    expect(ds.find((d) => d.event === 'order_paid')!.status).toBe('sent') // transactional: never capped
    expect(
      (await t.db.selectFrom('marketing_cap_uses').select('notification_id').where('user_id', '=', m.id).execute())
        .length,
    ).toBe(NOTIFICATION_RULES.marketingDailyCap)
    // Next local day: room again.
    await notify(t.db, {
      event: 'session_open',
      recipient: { userId: m.id },
      data: { brand: 'next', session: 's' },
      dedupeKey: 'cap-next',
      now: DAY,
    })
    expect((await deliver(new Date(DAY.getTime() + 24 * 3_600_000))).sent).toBe(2)
  })

  it('retries a failing send with backoff, records failures, and drops push subscriptions that are gone', async () => {
    const m = await member({ push: true })
    let failures = 2
    const flaky: Channels = {
      sendMail: async (msg) => {
        if (failures-- > 0) throw new Error('421 try later')
        await channels.sendMail(msg)
      },
      sendPush: (s, p) => channels.sendPush(s, p),
    }
    push.expire(new URL(m.sub!.endpoint).pathname)
    await notify(t.db, {
      event: 'order_shipped',
      recipient: { userId: m.id },
      data: { orderNo: 'R1', brand: 'b', carrier: 'SF', trackingNo: 'SF9' },
      dedupeKey: 'retry',
      now: DAY,
    })
    let now = DAY
    const first = await deliver(now, { channels: flaky })
    expect(first.retried).toBe(1)
    let d = (await deliveriesOf(m.id)).find((x) => x.channel === 'email')!
    expect(d).toMatchObject({ status: 'pending', attempts: 1, outcome: '421 try later' })
    expect(new Date(d.due_at).getTime()).toBe(now.getTime() + NOTIFICATION_RULES.retryBaseMs)
    expect((await deliveriesOf(m.id)).find((x) => x.channel === 'push')).toMatchObject({
      status: 'skipped',
      outcome: 'unreachable',
    })
    expect(await t.db.selectFrom('push_subscriptions').select('id').where('user_id', '=', m.id).execute()).toEqual([])
    expect((await deliver(now, { channels: flaky })).sent).toBe(0) // not due yet
    now = new Date(now.getTime() + NOTIFICATION_RULES.retryBaseMs)
    await deliver(now, { channels: flaky })
    now = new Date(now.getTime() + 2 * NOTIFICATION_RULES.retryBaseMs)
    expect((await deliver(now, { channels: flaky })).sent).toBe(1)
    d = (await deliveriesOf(m.id)).find((x) => x.channel === 'email')!
    expect(d).toMatchObject({ status: 'sent', attempts: 3 })

    const broken: Channels = {
      sendMail: async () => {
        throw new Error('550 no such user')
      },
      sendPush: async () => 'sent',
    }
    const n = await member()
    await notify(t.db, {
      event: 'order_paid',
      recipient: { userId: n.id },
      data: { orderNo: 'F1', brand: 'b' },
      dedupeKey: 'fail',
      now: DAY,
    })
    now = DAY
    for (let i = 0; i < NOTIFICATION_RULES.maxAttempts; i++) {
      await deliver(now, { channels: broken })
      now = new Date(now.getTime() + NOTIFICATION_RULES.retryMaxMs)
    }
    expect((await deliveriesOf(n.id))[0]).toMatchObject({
      status: 'failed',
      attempts: NOTIFICATION_RULES.maxAttempts,
      outcome: '550 no such user',
    })
  })
})

describe('unsubscribe from the e-mail link', () => {
  it('one-click POST turns that e-mail off; a forged token is a 404', async () => {
    const m = await member()
    await notify(t.db, {
      event: 'order_paid',
      recipient: { userId: m.id },
      data: { orderNo: 'U1', brand: 'b' },
      dedupeKey: 'u1',
      now: DAY,
    })
    await deliver(DAY)
    const mail = await smtp.waitFor((x) => x.to.includes(m.email!))
    const url = /^<([^>]+)>$/.exec(header(mail.raw, 'List-Unsubscribe')!)![1]
    expect(url.startsWith(`${BASE}/notifications/unsubscribe/`)).toBe(true)
    expect(mail.mail.text).toContain(url)
    const token = url.split('/').pop()!
    const page = await unsubscribeLoader({ request: new Request(url), params: { token }, context: {} })
    expect(page.status).toBe(200)
    const res = await unsubscribeAction({
      request: new Request(url, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      params: { token },
      context: {},
    })
    expect(res.status).toBe(200)
    expect(
      await t.db
        .selectFrom('notification_preferences')
        .select(['event', 'channel', 'enabled'])
        .where('user_id', '=', m.id)
        .execute(),
    ).toEqual([{ event: 'order_paid', channel: 'email', enabled: false }])
    // The next order_paid is not e-mailed (other events still are).
    await notify(t.db, {
      event: 'order_paid',
      recipient: { userId: m.id },
      data: { orderNo: 'U2', brand: 'b' },
      dedupeKey: 'u2',
      now: DAY,
    })
    await notify(t.db, {
      event: 'order_shipped',
      recipient: { userId: m.id },
      data: { orderNo: 'U2', brand: 'b', carrier: 'SF', trackingNo: 'SF2' },
      dedupeKey: 'u2',
      now: DAY,
    })
    await deliver(DAY)
    expect((await deliveriesOf(m.id)).map((d) => `${d.event}:${d.dedupe_key}:${d.channel}:${d.status}`)).toEqual([
      'order_paid:u1:email:sent',
      'order_shipped:u2:email:sent',
    ])

    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
    await expect(
      unsubscribeAction({ request: new Request(url, { method: 'POST' }), params: { token: forged }, context: {} }),
    ).rejects.toMatchObject({ status: 404 })
    await expect(
      unsubscribeLoader({ request: new Request(url), params: { token: 'nonsense' }, context: {} }),
    ).rejects.toMatchObject({ status: 404 })
  })
})
