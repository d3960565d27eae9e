import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { action as grabAction, loader as grabLoader } from '#app/routes/bench.grab'
import { loader as bareLoader } from '#app/routes/bench.bare'
import { GroupCommitter } from '#tests/bench/prototype/group-commit'
import { createBenchGrabsTable, seedLiveSession, seedSingleSku } from '#tests/bench/fixtures'
import { createUser } from '#tests/fixtures/factories'
import { settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The benchmark's group-commit prototype (tests/bench/prototype/group-commit.ts) must be as correct as the
// per-request path it is compared with: zero oversell, caps held, and every "accepted" in the database.
let t: TestDatabase
let session: { brandId: string; sessionId: string }
beforeAll(async () => {
  t = await createTestDatabase()
  await createBenchGrabsTable(t.db)
  const s = await seedLiveSession(t.db, { items: 0, unitsPerSku: 1, slug: 'group-commit-test' })
  session = { brandId: s.brand.id, sessionId: s.session.id }
})
afterAll(() => t.drop())
afterEach(() => { delete process.env.BENCH_ROUTES })

async function ledger(skuId: string) {
  const sku = await t.db.selectFrom('session_item_skus').select(['allocated', 'available']).where('id', '=', skuId).executeTakeFirstOrThrow()
  const rows = await sql<{ user_id: string; n: number }>`select user_id, sum(quantity)::int as n from bench_grabs where session_item_sku_id = ${skuId} group by user_id`.execute(t.db)
  return { sku, byUser: new Map(rows.rows.map((r) => [r.user_id, r.n])), total: rows.rows.reduce((s, r) => s + r.n, 0) }
}

describe('group commit prototype', () => {
  it('sells exactly the stock to concurrent buyers, in batches, and every acceptance is on the books', async () => {
    const sku = await seedSingleSku(t.db, { ...session, units: 50, perMemberCap: null, position: 1, title: 'gc-stock' })
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser(t.db)))
    const committer = new GroupCommitter(() => t.db)
    const outcomes = await Promise.all(Array.from({ length: 80 }, (_, i) =>
      committer.grab({ userId: users[i % users.length]!.id, sessionItemSkuId: sku.sessionItemSkuId, quantity: 1 })))
    const accepted = outcomes.filter((o) => o.ok).length
    expect(accepted).toBe(50)
    expect(outcomes.filter((o) => !o.ok && o.reason === 'sold_out')).toHaveLength(30)
    const books = await ledger(sku.sessionItemSkuId)
    expect(books.sku.available).toBe(0)
    expect(books.total).toBe(50)
    // Fewer transactions than requests: that is the point.
    expect(committer.stats().batches).toBeLessThan(80)
  })

  it('holds the per-member cap inside one batch and across batches', async () => {
    const sku = await seedSingleSku(t.db, { ...session, units: 100, perMemberCap: 3, position: 2, title: 'gc-cap' })
    const [a, b] = await Promise.all([createUser(t.db), createUser(t.db)])
    const committer = new GroupCommitter(() => t.db)
    const first = await Promise.all(Array.from({ length: 5 }, () => committer.grab({ userId: a.id, sessionItemSkuId: sku.sessionItemSkuId, quantity: 1 })))
    expect(first.filter((o) => o.ok)).toHaveLength(3)
    expect(first.filter((o) => !o.ok && o.reason === 'cap_reached')).toHaveLength(2)
    const later = await committer.grab({ userId: a.id, sessionItemSkuId: sku.sessionItemSkuId, quantity: 1 })
    expect(later).toEqual({ ok: false, reason: 'cap_reached' })
    expect(await committer.grab({ userId: b.id, sessionItemSkuId: sku.sessionItemSkuId, quantity: 2 })).toMatchObject({ ok: true })
    const books = await ledger(sku.sessionItemSkuId)
    expect(books.byUser.get(a.id)).toBe(3)
    expect(books.byUser.get(b.id)).toBe(2)
    expect(books.sku.available).toBe(95)
  })

  it('two committers (two app processes) on one SKU still never oversell', async () => {
    const sku = await seedSingleSku(t.db, { ...session, units: 30, perMemberCap: null, position: 3, title: 'gc-two' })
    const user = await createUser(t.db)
    const one = new GroupCommitter(() => t.db)
    const two = new GroupCommitter(() => t.db)
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      (i % 2 ? one : two).grab({ userId: user.id, sessionItemSkuId: sku.sessionItemSkuId, quantity: 1 })))
    expect(outcomes.filter((o) => o.ok)).toHaveLength(30)
    const books = await ledger(sku.sessionItemSkuId)
    expect(books.total).toBe(30)
    expect(books.sku.available).toBe(0)
  })

  it('answers not_found for an unknown SKU', async () => {
    const user = await createUser(t.db)
    const committer = new GroupCommitter(() => t.db)
    expect(await committer.grab({ userId: user.id, sessionItemSkuId: '00000000-0000-4000-8000-000000000000', quantity: 1 }))
      .toEqual({ ok: false, reason: 'not_found' })
  })
})

describe('bench-only routes', () => {
  it('do not exist unless the server runs with BENCH_ROUTES=1', async () => {
    delete process.env.BENCH_ROUTES
    const args = { params: {}, context: {} }
    expect((await settle(() => bareLoader())).status).toBe(404)
    expect((await settle(() => grabLoader())).status).toBe(404)
    const post = new Request('http://localhost:3000/bench/grab', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect((await settle(() => grabAction({ request: post, ...args }))).status).toBe(404)
  })

  it('render the bare page data with the flag on', async () => {
    process.env.BENCH_ROUTES = '1'
    const res = await settle(() => bareLoader())
    expect(res.status).toBe(200)
    expect((await res.json()).items).toHaveLength(60)
  })
})
