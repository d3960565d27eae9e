import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  awardInviteBonusIfFirstOrder,
  creditPurchasePoints,
  grantPoints,
  revokePurchasePoints,
} from '#app/services/membership/growth.server'
import { loadPriceBook, loadVipTiers } from '#app/services/membership/pricing.server'
import { updateVipTiers } from '#app/services/membership/members.server'
import { DEFAULT_VIP_TIERS } from '#app/domain/pricing'
import { NotAMemberError } from '#app/domain/membership-errors'
import { createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-20T04:00:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

const level = async (id: string) =>
  (await t.db.selectFrom('users').select('vip_level').where('id', '=', id).executeTakeFirstOrThrow()).vip_level
const balance = async (id: string) =>
  (
    await sql<{
      b: number
    }>`select coalesce(sum(delta), 0)::int as b from growth_ledger where member_id = ${id}`.execute(t.db)
  ).rows[0].b
const credit = (memberId: string, paidGoodsMinor: number, orderId = randomUUID(), at = now) =>
  t.db.transaction().execute((trx) => creditPurchasePoints(trx, { memberId, orderId, paidGoodsMinor, now: at }))

async function invitee(inviterId: string) {
  const m = await createUser(t.db)
  await t.db
    .insertInto('memberships')
    .values({ member_id: m.id, invited_by: inviterId, invitation_code_id: null, level_since: now } as never)
    .execute()
  return m
}

describe('the growth ledger', () => {
  it('is append-only: updates and deletes are refused by the database', async () => {
    const m = await createUser(t.db)
    await credit(m.id, 10_000)
    await expect(sql`update growth_ledger set delta = 999 where member_id = ${m.id}`.execute(t.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`delete from growth_ledger where member_id = ${m.id}`.execute(t.db)).rejects.toThrow(/append-only/)
    expect(await balance(m.id)).toBe(10)
  })

  it('credits 1 point per ¥10 of paid goods, once per order, and upgrades at exactly 50 points in the same transaction', async () => {
    const m = await createUser(t.db)
    const order = randomUUID()
    const first = await credit(m.id, 49_999, order)
    expect(first).toMatchObject({ points: 49, balance: 49, level: 0, duplicate: false })
    expect(await credit(m.id, 49_999, order)).toMatchObject({ points: 49, duplicate: true })
    expect(await balance(m.id)).toBe(49)
    expect(await credit(m.id, 1_000)).toMatchObject({ points: 1, balance: 50, level: 1 })
    expect(await level(m.id)).toBe(1)
    // reaching VIP1 gives a personal code
    const code = await t.db
      .selectFrom('invitation_codes')
      .select(['code', 'kind'])
      .where('owner_id', '=', m.id)
      .executeTakeFirstOrThrow()
    expect(code.kind).toBe('personal')
    expect(code.code).toMatch(/^[A-Z2-9]{8}$/)
  })

  it('rolls back points and level with the caller’s transaction', async () => {
    const m = await createUser(t.db)
    await expect(
      t.db.transaction().execute(async (trx) => {
        await creditPurchasePoints(trx, { memberId: m.id, orderId: randomUUID(), paidGoodsMinor: 700_000, now })
        throw new Error('payment failed later')
      }),
    ).rejects.toThrow('payment failed later')
    expect(await balance(m.id)).toBe(0)
    expect(await level(m.id)).toBe(0)
  })

  it('skips levels when one order crosses several thresholds', async () => {
    const m = await createUser(t.db)
    expect(await credit(m.id, 600_000)).toMatchObject({ points: 600, level: 3 })
  })

  it('revokes exactly the points no longer backed, once per refund id, never more than credited', async () => {
    const m = await createUser(t.db)
    const order = randomUUID()
    await credit(m.id, 12_550, order) // 12 points
    const refund = (refundId: string, minor: number) =>
      t.db
        .transaction()
        .execute((trx) =>
          revokePurchasePoints(trx, { memberId: m.id, orderId: order, refundId, refundedGoodsMinor: minor, now }),
        )
    expect(await refund('r1', 550)).toMatchObject({ points: 0 })
    expect(await refund('r2', 60)).toMatchObject({ points: -1, balance: 11 })
    expect(await refund('r2', 60)).toMatchObject({ points: -1, duplicate: true, balance: 11 })
    expect(await refund('r3', 1_000_000)).toMatchObject({ points: -11, balance: 0 })
    expect(await refund('r4', 5_000)).toMatchObject({ points: 0, balance: 0 })
    expect(await balance(m.id)).toBe(0)
    // refund of an order never credited takes nothing
    expect(
      await t.db.transaction().execute((trx) =>
        revokePurchasePoints(trx, {
          memberId: m.id,
          orderId: randomUUID(),
          refundId: 'r5',
          refundedGoodsMinor: 10_000,
          now,
        }),
      ),
    ).toMatchObject({ points: 0 })
  })

  it('a refund that un-backs the threshold drops the level to what the balance supports', async () => {
    const m = await createUser(t.db)
    const order = randomUUID()
    await credit(m.id, 60_000, order)
    expect(await level(m.id)).toBe(1)
    await t.db.transaction().execute((trx) =>
      revokePurchasePoints(trx, {
        memberId: m.id,
        orderId: order,
        refundId: `all-${order}`,
        refundedGoodsMinor: 60_000,
        now,
      }),
    )
    expect(await level(m.id)).toBe(0)
  })

  it('refuses points for non-members', async () => {
    const op = await createUser(t.db, { role: 'operator' })
    await expect(credit(op.id, 10_000)).rejects.toBeInstanceOf(NotAMemberError)
  })
})

describe('invite bonuses', () => {
  it('gives the inviter 10 points for the invitee’s first paid order only, once', async () => {
    const inviter = await createUser(t.db)
    const i = await invitee(inviter.id)
    const o1 = randomUUID()
    const o2 = randomUUID()
    await credit(i.id, 5_000, o1)
    const award = (orderId: string) =>
      t.db.transaction().execute((trx) => awardInviteBonusIfFirstOrder(trx, { memberId: i.id, orderId, now }))
    expect(await award(o1)).toMatchObject({ awarded: true, inviterId: inviter.id, points: 10, duplicate: false })
    expect(await award(o1)).toMatchObject({ awarded: true, duplicate: true })
    await credit(i.id, 5_000, o2)
    expect(await award(o2)).toEqual({ awarded: false, why: 'already_awarded' })
    expect(await balance(inviter.id)).toBe(10)
    // the inviter earns nothing from what the invitee buys
    expect(await balance(i.id)).toBe(10)
  })

  it('is not awarded for a second order, nor without an inviter', async () => {
    const inviter = await createUser(t.db)
    const i = await invitee(inviter.id)
    const first = randomUUID()
    await credit(i.id, 1_000, first, new Date(now.getTime() - 1000))
    const second = randomUUID()
    await credit(i.id, 1_000, second)
    expect(
      await t.db
        .transaction()
        .execute((trx) => awardInviteBonusIfFirstOrder(trx, { memberId: i.id, orderId: second, now })),
    ).toEqual({ awarded: false, why: 'not_first_order' })
    const loner = await createUser(t.db)
    expect(
      await t.db
        .transaction()
        .execute((trx) => awardInviteBonusIfFirstOrder(trx, { memberId: loner.id, orderId: randomUUID(), now })),
    ).toEqual({ awarded: false, why: 'no_inviter' })
  })

  it('awards at most 20 per inviter per Shanghai month, even when invitees pay concurrently', async () => {
    const inviter = await createUser(t.db)
    const invitees = await Promise.all(Array.from({ length: 24 }, () => invitee(inviter.id)))
    const results = await Promise.all(
      invitees.map((i) =>
        t.db.transaction().execute(async (trx) => {
          const orderId = randomUUID()
          await creditPurchasePoints(trx, { memberId: i.id, orderId, paidGoodsMinor: 10_000, now })
          return awardInviteBonusIfFirstOrder(trx, { memberId: i.id, orderId, now })
        }),
      ),
    )
    expect(results.filter((r) => r.awarded)).toHaveLength(20)
    expect(results.filter((r) => !r.awarded && r.why === 'monthly_cap')).toHaveLength(4)
    expect(await balance(inviter.id)).toBe(200)
    expect(await level(inviter.id)).toBe(2)
    // 2026-11-30T16:30Z is December in Shanghai: a new month, a new allowance
    const late = await invitee(inviter.id)
    const december = new Date('2026-11-30T16:30:00Z')
    const r = await t.db
      .transaction()
      .execute((trx) => awardInviteBonusIfFirstOrder(trx, { memberId: late.id, orderId: randomUUID(), now: december }))
    expect(r).toMatchObject({ awarded: true })
  })
})

describe('the VIP table', () => {
  it('loadVipTiers reads the database table and sees an operator’s edit at once', async () => {
    expect(await loadVipTiers(t.db)).toEqual(DEFAULT_VIP_TIERS)
    const op = await createUser(t.db, { role: 'operator' })
    const edited = DEFAULT_VIP_TIERS.map((x) => (x.level === 3 ? { ...x, discountBps: 900 } : { ...x }))
    expect(await updateVipTiers(t.db, { operatorId: op.id, tiers: edited, note: 'Double 12 promotion', now })).toEqual({
      ok: true,
    })
    expect((await loadVipTiers(t.db)).find((x) => x.level === 3)?.discountBps).toBe(900)
    const change = await t.db.selectFrom('vip_tier_changes').selectAll().executeTakeFirstOrThrow()
    expect(change).toMatchObject({ operator_id: op.id, note: 'Double 12 promotion' })
    const bad = edited.map((x) => (x.level === 4 ? { ...x, discountBps: 800 } : x))
    const res = await updateVipTiers(t.db, { operatorId: op.id, tiers: bad, note: 'oops', now })
    expect(res).toEqual({ ok: false, issues: [{ level: 4, field: 'discountBps', code: 'discount_rising' }] })
    expect((await loadVipTiers(t.db)).find((x) => x.level === 4)?.discountBps).toBe(1000)
    await updateVipTiers(t.db, {
      operatorId: op.id,
      tiers: DEFAULT_VIP_TIERS.map((x) => ({ ...x })),
      note: 'back to defaults',
      now,
    })
  })

  it('callers that miss the cache together share one read of the table and one of the live sessions’ discounts', async () => {
    const statements: string[] = []
    // A Db of its own (the caches are per Db, so this one starts cold) that records each statement it runs.
    const counted = t.db.withPlugin({
      transformQuery: (args) => {
        statements.push(args.node.kind)
        return args.node
      },
      transformResult: async (args) => args.result,
    })
    const books = await Promise.all(Array.from({ length: 50 }, () => loadPriceBook(counted)))
    expect(statements).toHaveLength(2)
    expect(books.every((b) => b.tiersFor(null) === books[0]!.tiersFor(null))).toBe(true)
    // Cached now: no further read.
    await Promise.all(Array.from({ length: 50 }, () => loadPriceBook(counted)))
    expect(statements).toHaveLength(2)
  })

  it('operator grants can be negative and drop the level', async () => {
    const m = await createUser(t.db)
    await t.db.transaction().execute((trx) => grantPoints(trx, { memberId: m.id, delta: 250, note: 'migration', now }))
    expect(await level(m.id)).toBe(2)
    await t.db
      .transaction()
      .execute((trx) => grantPoints(trx, { memberId: m.id, delta: -100, note: 'correction', now }))
    expect(await level(m.id)).toBe(1)
  })
})
