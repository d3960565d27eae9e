import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { creditPurchasePoints, grantPoints } from '#app/services/membership/growth.server'
import { runMonthlyRetention } from '#app/services/membership/retention.server'
import { createTaskList } from '#jobs/worker'
import { createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
// November 2026 in Asia/Shanghai is [2026-10-31T16:00Z, 2026-11-30T16:00Z).
const before = new Date('2026-09-15T00:00:00Z')
const afterNovember = new Date('2026-11-30T16:05:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

const state = async (id: string) => {
  const u = await t.db.selectFrom('users').select('vip_level').where('id', '=', id).executeTakeFirstOrThrow()
  const b = (
    await sql<{
      b: number
    }>`select coalesce(sum(delta), 0)::int as b from growth_ledger where member_id = ${id}`.execute(t.db)
  ).rows[0].b
  return { level: u.vip_level, points: b }
}
const ledgerCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from growth_ledger`.execute(t.db)).rows[0].n

/** A member who reached `points` (and the level they give) long before November. */
async function member(points: number) {
  const m = await createUser(t.db)
  await sql`update users set created_at = ${before} where id = ${m.id}`.execute(t.db)
  await t.db
    .transaction()
    .execute((trx) => grantPoints(trx, { memberId: m.id, delta: points, note: 'opening', now: before }))
  return m
}
const buy = (memberId: string, paidGoodsMinor: number, now: Date) =>
  t.db
    .transaction()
    .execute((trx) => creditPurchasePoints(trx, { memberId, orderId: randomUUID(), paidGoodsMinor, now }))

describe('monthly retention', () => {
  let vip5Idle: string,
    vip5Some: string,
    vip3Kept: string,
    vip3Boundary: string,
    vip3Late: string,
    vip1Idle: string,
    trial: string,
    newVip2: string,
    vip4AfterMonth: string

  beforeAll(async () => {
    vip5Idle = (await member(4100)).id // earns 0 → VIP1 (keep 0 met), points 50
    vip5Some = (await member(4000)).id
    await buy(vip5Some, 130_000, new Date('2026-11-10T00:00:00Z')) // 130 in Nov → VIP3 (keep 120 met), points 600
    vip3Kept = (await member(650)).id
    await buy(vip3Kept, 120_000, new Date('2026-11-29T00:00:00Z')) // exactly 120 → kept
    vip3Boundary = (await member(650)).id
    await buy(vip3Boundary, 60_000, new Date('2026-10-31T15:59:00Z')) // October in Shanghai: does not count
    await buy(vip3Boundary, 60_000, new Date('2026-10-31T16:30:00Z')) // November in Shanghai: counts → 60 → VIP2 (keep 50)
    vip3Late = (await member(650)).id
    await buy(vip3Late, 120_000, new Date('2026-11-30T16:00:00Z')) // 00:00 Dec 1 Shanghai: December, does not count; stays after reset
    vip1Idle = (await member(60)).id // VIP1 keeps with 0
    trial = (await member(30)).id
    newVip2 = (await member(100)).id
    await buy(newVip2, 100_000, new Date('2026-11-15T00:00:00Z')) // reached VIP2 during November: not judged
    vip4AfterMonth = (await member(1600)).id
  })

  it('re-judges each member by the points earned that Shanghai month', async () => {
    const ledgerBefore = await ledgerCount()
    const [summary] = await runMonthlyRetention(t.db, { now: afterNovember, batchSize: 3 })
    expect(summary).toMatchObject({ month: '2026-11', alreadyFinished: false })
    expect(await state(vip5Idle)).toEqual({ level: 1, points: 50 })
    expect(await state(vip5Some)).toEqual({ level: 3, points: 600 })
    expect(await state(vip3Kept)).toEqual({ level: 3, points: 770 })
    expect(await state(vip3Boundary)).toEqual({ level: 2, points: 200 })
    // reset to 50 as of November's end; the 120 points bought on Dec 1 (Shanghai) stay: 170 → VIP1
    expect(await state(vip3Late)).toEqual({ level: 1, points: 170 })
    expect(await state(vip1Idle)).toEqual({ level: 1, points: 60 })
    expect(await state(trial)).toEqual({ level: 0, points: 30 })
    expect(await state(newVip2)).toEqual({ level: 2, points: 200 })
    expect(await state(vip4AfterMonth)).toEqual({ level: 1, points: 50 })
    // one retention_reset row per dropped member, nothing for the untouched
    const resets = await t.db
      .selectFrom('growth_ledger')
      .select(['member_id', 'delta'])
      .where('reason', '=', 'retention_reset')
      .execute()
    expect(resets.map((r) => r.member_id).sort()).toEqual(
      [vip5Idle, vip5Some, vip3Boundary, vip3Late, vip4AfterMonth].sort(),
    )
    expect(await ledgerCount()).toBe(ledgerBefore + 5)
    const untouched = await t.db
      .selectFrom('growth_ledger')
      .select('member_id')
      .where('reason', '=', 'retention_reset')
      .where('member_id', 'in', [vip3Kept, vip1Idle, trial, newVip2])
      .execute()
    expect(untouched).toEqual([])
    const run = await sql<{
      judged: number
      dropped: number
      finished: boolean
    }>`select judged, dropped, finished_at is not null as finished from retention_runs where month = '2026-11-01'`.execute(
      t.db,
    )
    expect(run.rows[0]).toEqual({ judged: 8, dropped: 5, finished: true })
  })

  it('is idempotent: a second run for the month changes nothing', async () => {
    const n = await ledgerCount()
    const again = await runMonthlyRetention(t.db, { now: new Date('2026-12-02T16:05:00Z') })
    expect(again).toEqual([])
    expect(await runMonthlyRetention(t.db, { now: afterNovember, month: '2026-11' })).toEqual([
      { month: '2026-11', judged: 0, dropped: 0, alreadyFinished: true },
    ])
    expect(await ledgerCount()).toBe(n)
    expect(await state(vip5Idle)).toEqual({ level: 1, points: 50 })
  })

  it('a dropped member is judged again the next month at the new level', async () => {
    // vip3Boundary is VIP2 since Dec 1 00:00 Shanghai; earns nothing in December → VIP1 (keep 0 met), 50 points
    const [dec] = await runMonthlyRetention(t.db, { now: new Date('2026-12-31T16:05:00Z') })
    expect(dec.month).toBe('2026-12')
    expect(await state(vip3Boundary)).toEqual({ level: 1, points: 50 })
  })
})

describe('monthly retention after a crash', () => {
  it('resumes where it stopped and judges every member exactly once', async () => {
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push((await member(700)).id)
    const now = new Date('2027-01-31T16:05:00Z')
    let batches = 0
    await expect(
      runMonthlyRetention(t.db, {
        now,
        month: '2027-01',
        batchSize: 3,
        afterBatch: () => {
          batches++
          if (batches === 1) throw new Error('worker killed')
        },
      }),
    ).rejects.toThrow('worker killed')
    const half = await sql<{
      n: number
    }>`select count(*)::int as n from retention_judgements where month = '2027-01-01'`.execute(t.db)
    expect(half.rows[0].n).toBe(3)
    const [summary] = await runMonthlyRetention(t.db, { now, month: '2027-01', batchSize: 3 })
    expect(summary.alreadyFinished).toBe(false)
    for (const id of ids) expect(await state(id)).toEqual({ level: 1, points: 50 })
    const resets = await sql<{
      n: number
    }>`select count(*)::int as n from growth_ledger where reason = 'retention_reset' and retention_month = '2027-01-01' and member_id in (${sql.join(ids)})`.execute(
      t.db,
    )
    expect(resets.rows[0].n).toBe(7)
  })

  it('runs as the monthly_retention task of the worker', async () => {
    const m = (await member(700)).id
    const task = createTaskList({ db: t.db }).monthly_retention!
    const helpers = {} as Parameters<typeof task>[1]
    await task({ now: '2027-02-28T16:05:00Z' }, helpers)
    expect(await state(m)).toEqual({ level: 1, points: 50 })
    await expect(task({ now: 'yesterday' }, helpers)).rejects.toThrow()
    // the crontab's own payload is accepted (and judges nothing new: February is done)
    await task({ _cron: { ts: '2027-02-28T16:05:00.000Z', backfilled: false } }, helpers)
    expect(await state(m)).toEqual({ level: 1, points: 50 })
  })
})
