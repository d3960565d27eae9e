import type { JobHelpers } from 'graphile-worker'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countSearchOutbox } from '#db/queries/search'
import { createTaskList } from '#jobs/worker'
import type { SearchDocument } from '#search/documents'
import { SearchFollower, searchSyncMode, searchSyncModeFromEnv } from '#search/follower'
import { OramaSearchEngine } from '#search/orama'
import { addSessionItem, createBrand, createProduct, createSession } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Several app processes on one database, each with its own in-process (Orama) index: every one of them
// must see every outbox row, in whatever order transactions commit, and none of them may consume rows.
const now = new Date()
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)

function process_(t: TestDatabase) {
  const engine = new OramaSearchEngine()
  const follower = new SearchFollower(t.db, engine)
  const doc = async (id: string): Promise<SearchDocument | undefined> => (await engine.all()).find((d) => d.id === id)
  return { engine, follower, doc }
}

describe('search followers (one index per process)', () => {
  let t: TestDatabase
  let brandId: string
  let sessionId: string
  beforeAll(async () => {
    t = await createTestDatabase()
    const brand = await createBrand(t.db, { name: '多进程品牌', nameEn: 'Cluster brand' })
    brandId = brand.id
    sessionId = (await createSession(t.db, { brandId, startsAt: hours(-1), title: '多进程专场' })).id
  })
  afterAll(async () => {
    await t.drop()
  })

  const newItem = async (title: string) => {
    const p = await createProduct(t.db, {
      brandId,
      title,
      titleEn: title,
      category: 'womens',
      tagPriceMinor: 50000,
      sizes: ['M'],
      colours: ['黑色'],
    })
    const item = await addSessionItem(t.db, {
      sessionId,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: 19900,
      quantity: 2,
    })
    return { item, productId: p.product.id }
  }

  it('picks follow mode for the embedded engine and claim mode for the shared one', () => {
    expect(searchSyncMode('orama')).toBe('follow')
    expect(searchSyncMode('meilisearch')).toBe('claim')
    expect(searchSyncModeFromEnv({})).toBe('follow')
    expect(searchSyncModeFromEnv({ MEILISEARCH_URL: 'http://127.0.0.1:7700' })).toBe('claim')
  })

  it('two followers both receive an insert, a stock flip and a delete, and leave the outbox rows in place', async () => {
    const first = await newItem('羊毛大衣')
    const a = process_(t)
    const b = process_(t)
    expect(await a.follower.start(now)).toBe(1)
    expect(await b.follower.start(now)).toBe(1)

    const second = await newItem('真丝围巾')
    await a.follower.poll(now)
    await b.follower.poll(now)
    for (const p of [a, b]) expect((await p.doc(second.item.id))?.title).toBe('真丝围巾')

    await t.db
      .updateTable('session_item_skus')
      .set({ available: 0 })
      .where('session_item_id', '=', second.item.id)
      .execute()
    await a.follower.poll(now)
    await b.follower.poll(now)
    for (const p of [a, b]) expect((await p.doc(second.item.id))?.inStock).toBe(false)

    await t.db.deleteFrom('session_items').where('id', '=', first.item.id).execute()
    await a.follower.poll(now)
    await b.follower.poll(now)
    for (const p of [a, b]) {
      expect(await p.doc(first.item.id)).toBeUndefined()
      expect((await p.engine.all()).map((d) => d.id)).toEqual([second.item.id])
    }
    expect(await countSearchOutbox(t.db)).toBeGreaterThan(0)
    // Polling again applies nothing new: each row is applied once per process.
    expect(await a.follower.poll(now)).toBe(0)
  })

  it('applies a row whose transaction commits after later ids were read, also for a follower started in between', async () => {
    const { item, productId } = await newItem('棉麻衬衫')
    const other = await newItem('帆布鞋')
    const a = process_(t)
    const b = process_(t)
    await a.follower.start(now)
    await b.follower.start(now)

    // T1 takes an outbox id first and stays open; T2 takes a later id and commits.
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let t1HasRow!: () => void
    const t1Wrote = new Promise<void>((resolve) => {
      t1HasRow = resolve
    })
    const t1 = t.db.transaction().execute(async (trx) => {
      await trx.updateTable('products').set({ title: '棉麻衬衫（新款）' }).where('id', '=', productId).execute()
      t1HasRow()
      await gate
    })
    await t1Wrote
    await t.db
      .updateTable('session_item_skus')
      .set({ available: 0 })
      .where('session_item_id', '=', other.item.id)
      .execute()
    const { rows } = await sql<{
      id: number
      reason: string
    }>`select id::int, reason from search_outbox order by id desc limit 1`.execute(t.db)
    expect(rows[0]!.reason).toBe('stock') // the only visible new row; T1's smaller id is not committed yet

    await a.follower.poll(now)
    await b.follower.poll(now)
    // A third process starts now: its cursor is past T1's id, and its index cannot see T1's change.
    const c = process_(t)
    await c.follower.start(now)
    for (const p of [a, b, c]) {
      expect((await p.doc(other.item.id))?.inStock).toBe(false)
      expect((await p.doc(item.id))?.title).toBe('棉麻衬衫')
    }

    release()
    await t1
    for (const p of [a, b, c]) {
      expect(await p.follower.poll(now)).toBeGreaterThanOrEqual(1)
      expect((await p.doc(item.id))?.title).toBe('棉麻衬衫（新款）')
    }
  })

  it('the job worker deletes only outbox rows older than a few minutes, and only in follow mode', async () => {
    const { item } = await newItem('旧行测试')
    await t.db.deleteFrom('search_outbox').execute()
    await sql`insert into search_outbox (session_item_id, reason, created_at) values
      (${item.id}, 'old', now() - interval '10 minutes'), (${item.id}, 'recent', now() - interval '1 minute'), (${item.id}, 'now', now())`.execute(
      t.db,
    )
    const reasons = async () =>
      (await t.db.selectFrom('search_outbox').select('reason').execute()).map((r) => r.reason).sort()
    expect(await reasons()).toEqual(['now', 'old', 'recent'])

    const helpers = { logger: { info: () => {} } } as unknown as JobHelpers
    // Claim mode without an engine in this process (the shared index is fed elsewhere): nothing is touched.
    await createTaskList({ db: t.db, searchSync: 'claim' }).drain_search_outbox!({}, helpers)
    expect(await reasons()).toEqual(['now', 'old', 'recent'])
    await createTaskList({ db: t.db, searchSync: 'follow' }).drain_search_outbox!({}, helpers)
    expect(await reasons()).toEqual(['now', 'recent'])
  })
})
