import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setFollow } from '#app/services/catalog/follows.server'
import { grantPoints } from '#app/services/membership/growth.server'
import { renderMail, renderNotification, renderPush } from '#app/services/notifications/render.server'
import { planSessionReminders } from '#app/services/notifications/session-reminders.server'
import { requestReminder, savePushSubscription } from '#app/services/notifications/settings.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t.drop()
})

let n = 0
/** A member reachable by e-mail and push. */
async function member() {
  const u = await createUser(t.db)
  const i = ++n
  await savePushSubscription(t.db, u.id, {
    endpoint: `https://push.test/sub/${u.id}`,
    p256dh: `BPk${'x'.repeat(60)}${i}`,
    auth: `auth-key-${i}`,
  })
  return u
}

async function sessionOfBrand(startsInMs: number) {
  const brand = await createBrand(t.db, { name: '沐岚', nameEn: 'Mulan' })
  const session = await createSession(t.db, {
    brandId: brand.id,
    startsAt: new Date(Date.now() + startsInMs),
    title: '冬季清仓',
    titleEn: 'Winter clearance',
  })
  return { brand, session }
}

/** Her reminders of the session and their deliveries: `event/channel/status`, plus inbox-only entries as `event/-`. */
async function remindersOf(userId: string, sessionOrItemId: string) {
  const rows = await t.db
    .selectFrom('notifications as n')
    .leftJoin('notification_deliveries as d', 'd.notification_id', 'n.id')
    .select(['n.event', 'n.show_at', 'd.channel', 'd.status'])
    .where('n.recipient_id', '=', userId)
    .where('n.dedupe_key', 'like', `${sessionOrItemId}@%`)
    .orderBy('n.event')
    .orderBy('d.channel')
    .execute()
  return rows.map((r) => `${r.event}/${r.channel ?? '-'}/${r.status ?? '-'}`)
}

const ALL_PENDING = [
  'session_open/email/pending',
  'session_open/push/pending',
  'session_soon/email/pending',
  'session_soon/push/pending',
]

describe('a member who follows or asks after the planner ran', () => {
  it('gets the reminders the followers got, once per channel, and a planner re-run adds nothing', async () => {
    const { brand, session } = await sessionOfBrand(30 * 60_000)
    const early = await member()
    await setFollow(t.db, early.id, brand.id, true, new Date())
    const now = new Date(new Date(session.starts_at).getTime() - 11 * 60_000)
    expect(await planSessionReminders(t.db, now)).toBe(1)

    const late = await member()
    expect(await setFollow(t.db, late.id, brand.id, true, now)).toBe(true)
    expect(await remindersOf(late.id, session.id)).toEqual(ALL_PENDING)
    // Same texts, link, times and key as the planner's.
    const mine = await t.db
      .selectFrom('notifications')
      .select(['event', 'dedupe_key', 'data', 'link', 'show_at', 'recipient_id'])
      .where('dedupe_key', 'like', `${session.id}@%`)
      .orderBy('event')
      .execute()
    const of = (id: string) => mine.filter((r) => r.recipient_id === id).map(({ recipient_id: _r, ...rest }) => rest)
    expect(of(late.id)).toEqual(of(early.id))
    expect(of(late.id)[0].dedupe_key).toBe(`${session.id}@${new Date(session.starts_at).toISOString()}`)

    // Following again, the planner again (a cron overlap, a later minute): still one per channel.
    await setFollow(t.db, late.id, brand.id, true, now)
    expect(await planSessionReminders(t.db, now)).toBe(0)
    expect(await planSessionReminders(t.db, new Date(now.getTime() + 60_000))).toBe(0)
    expect(await remindersOf(late.id, session.id)).toEqual(ALL_PENDING)
    expect(await remindersOf(early.id, session.id)).toEqual(ALL_PENDING)
  })

  it('a follow racing the planner is planned exactly once by one of them', async () => {
    const { brand, session } = await sessionOfBrand(40 * 60_000)
    const now = new Date(new Date(session.starts_at).getTime() - 11 * 60_000)
    const racers = await Promise.all([member(), member(), member()])
    await Promise.all([
      planSessionReminders(t.db, now),
      ...racers.map((m) => setFollow(t.db, m.id, brand.id, true, now)),
      planSessionReminders(t.db, now),
    ])
    for (const m of racers) expect(await remindersOf(m.id, session.id)).toEqual(ALL_PENDING)
  })

  it('"remind me" on the session or one item after planning gets that reminder', async () => {
    const { brand, session } = await sessionOfBrand(50 * 60_000)
    const { product, skus } = await createProduct(t.db, {
      brandId: brand.id,
      title: '羊绒大衣',
      titleEn: 'Cashmere coat',
    })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((s) => s.id),
      basePriceMinor: 19900,
      quantity: 5,
    })
    const now = new Date(new Date(session.starts_at).getTime() - 11 * 60_000)
    await planSessionReminders(t.db, now)
    const m = await member()
    expect(await requestReminder(t.db, { userId: m.id, sessionId: session.id, on: true, now })).toBe(true)
    expect(await requestReminder(t.db, { userId: m.id, sessionId: session.id, itemId: item.id, on: true, now })).toBe(
      true,
    )
    expect(await remindersOf(m.id, session.id)).toEqual(ALL_PENDING)
    expect(await remindersOf(m.id, item.id)).toEqual(['item_open/email/pending', 'item_open/push/pending'])
    await planSessionReminders(t.db, now)
    expect(await remindersOf(m.id, item.id)).toEqual(['item_open/email/pending', 'item_open/push/pending'])

    // Cancelling the item's reminder withdraws it; the session's stays (she still asks for it).
    await requestReminder(t.db, { userId: m.id, sessionId: session.id, itemId: item.id, on: false, now })
    expect(await remindersOf(m.id, item.id)).toEqual([])
    expect(await remindersOf(m.id, session.id)).toEqual(ALL_PENDING)
  })

  it('nothing for a session that already started, nor for one not planned yet (the planner will include her)', async () => {
    const { brand, session } = await sessionOfBrand(20 * 60_000)
    const startsAt = new Date(session.starts_at)
    await planSessionReminders(t.db, new Date(startsAt.getTime() - 11 * 60_000))
    const m = await member()
    await setFollow(t.db, m.id, brand.id, true, new Date(startsAt.getTime() + 1000))
    expect(await remindersOf(m.id, session.id)).toEqual([])

    const later = await createSession(t.db, { brandId: brand.id, startsAt: new Date(Date.now() + 3 * 3600_000) })
    const other = await member()
    await setFollow(t.db, other.id, brand.id, true, new Date())
    expect(await remindersOf(other.id, later.id)).toEqual([])
    expect(await planSessionReminders(t.db, new Date(new Date(later.starts_at).getTime() - 11 * 60_000))).toBe(2)
    expect(await remindersOf(other.id, later.id)).toEqual(ALL_PENDING)
  })
})

describe('unfollowing or cancelling before the start', () => {
  it('withdraws what was not sent yet; following again writes it afresh, once', async () => {
    const { brand, session } = await sessionOfBrand(60 * 60_000)
    const startsAt = new Date(session.starts_at)
    const m = await member()
    await setFollow(t.db, m.id, brand.id, true, new Date())
    await planSessionReminders(t.db, new Date(startsAt.getTime() - 11 * 60_000))
    expect(await remindersOf(m.id, session.id)).toEqual(ALL_PENDING)

    // 5 minutes before the start: "opens in 10 minutes" is in her inbox, its e-mail held back (quiet hours, say).
    const now = new Date(startsAt.getTime() - 5 * 60_000)
    await setFollow(t.db, m.id, brand.id, false, now)
    expect(await remindersOf(m.id, session.id)).toEqual(['session_soon/email/skipped', 'session_soon/push/skipped'])

    await setFollow(t.db, m.id, brand.id, true, now)
    expect(await remindersOf(m.id, session.id)).toEqual([
      'session_open/email/pending',
      'session_open/push/pending',
      'session_soon/email/skipped',
      'session_soon/push/skipped',
    ])
  })

  it('keeps the reminders of a member who unfollows but still asked for the session', async () => {
    const { brand, session } = await sessionOfBrand(70 * 60_000)
    const startsAt = new Date(session.starts_at)
    const m = await member()
    await setFollow(t.db, m.id, brand.id, true, new Date())
    await requestReminder(t.db, { userId: m.id, sessionId: session.id, on: true, now: new Date() })
    const now = new Date(startsAt.getTime() - 11 * 60_000)
    await planSessionReminders(t.db, now)
    await setFollow(t.db, m.id, brand.id, false, now)
    expect(await remindersOf(m.id, session.id)).toEqual(ALL_PENDING)
    await requestReminder(t.db, { userId: m.id, sessionId: session.id, on: false, now })
    expect(await remindersOf(m.id, session.id)).toEqual([])
  })

  it('leaves what a worker already sent', async () => {
    const { brand, session } = await sessionOfBrand(80 * 60_000)
    const startsAt = new Date(session.starts_at)
    const m = await member()
    await setFollow(t.db, m.id, brand.id, true, new Date())
    await planSessionReminders(t.db, new Date(startsAt.getTime() - 11 * 60_000))
    await t.db
      .updateTable('notification_deliveries')
      .set({ status: 'sent' })
      .where('channel', '=', 'email')
      .where('notification_id', 'in', (eb) =>
        eb
          .selectFrom('notifications as n')
          .select('n.id')
          .where('n.recipient_id', '=', m.id)
          .where('n.event', '=', 'session_soon'),
      )
      .execute()
    await setFollow(t.db, m.id, brand.id, false, new Date(startsAt.getTime() - 5 * 60_000))
    expect(await remindersOf(m.id, session.id)).toEqual(['session_soon/email/sent', 'session_soon/push/skipped'])
  })
})

describe('a change of level', () => {
  it('tells the member what the new level gives, in 折 and in percent off, in the inbox, e-mail and push', async () => {
    const m = await createUser(t.db)
    await t.db
      .transaction()
      .execute((trx) => grantPoints(trx, { memberId: m.id, delta: 200, note: 'test', now: new Date() }))
    const row = await t.db
      .selectFrom('notifications')
      .select(['data'])
      .where('recipient_id', '=', m.id)
      .where('event', '=', 'level_changed')
      .executeTakeFirstOrThrow()
    expect(renderNotification('level_changed', row.data, 'zh-CN')).toEqual({
      title: '会员等级变更：VIP2',
      body: '你的会员等级从 Trial 变为 VIP2。拿货价现为基础价的9.5折。',
    })
    expect(renderNotification('level_changed', row.data, 'en').body).toBe(
      'Your membership level changed from Trial to VIP2. Your price is now 5% off the base price.',
    )
    const mail = renderMail({
      to: 'a@b.c',
      event: 'level_changed',
      data: row.data,
      primary: 'zh-CN',
      url: null,
      unsubscribeUrl: 'http://x/u',
    })
    expect(mail.text).toContain('9.5折')
    expect(mail.text).toContain('5% off')
    expect(mail.html).toContain('9.5折')
    const p = JSON.parse(renderPush('level_changed', row.data, null))
    expect(p.body).toContain('9.5折')
    expect(p.bodyEn).toContain('5% off')

    // Down to Trial: the base price, no discount to name.
    await t.db
      .transaction()
      .execute((trx) => grantPoints(trx, { memberId: m.id, delta: -200, note: 'test', now: new Date() }))
    const changes = await t.db
      .selectFrom('notifications')
      .select(['data'])
      .where('recipient_id', '=', m.id)
      .where('event', '=', 'level_changed')
      .execute()
    const down = changes.find((c) => (c.data as { to?: string }).to === 'Trial')!
    expect(renderNotification('level_changed', down.data, 'zh-CN').body).toBe(
      '你的会员等级从 VIP2 变为 Trial。拿货价为基础价。',
    )
    expect(renderNotification('level_changed', down.data, 'en').body).toBe(
      'Your membership level changed from VIP2 to Trial. You pay the base price.',
    )
  })
})
