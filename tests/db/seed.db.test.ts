import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { homeSessions } from '#app/services/catalog/storefront.server'
import { sessionPhase } from '#app/domain/clearance-sessions'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-23T10:17:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(() => t.drop())

describe('demo seed', () => {
  it('has three live brands with staff and one application waiting', async () => {
    // (onboarding adds one approved brand awaiting its deposit and one rejected application)
    const brands = await t.db.selectFrom('brands').select(['id', 'status']).where('status', '=', 'live').execute()
    expect(brands).toHaveLength(3)
    const staff = await t.db
      .selectFrom('users')
      .select('brand_id')
      .where('role', '=', 'brand_staff')
      .where(
        'brand_id',
        'in',
        brands.map((b) => b.id),
      )
      .execute()
    expect(new Set(staff.map((s) => s.brand_id)).size).toBe(3)
    const apps = await t.db.selectFrom('brand_applications').select('status').where('status', '=', 'pending').execute()
    expect(apps.map((a) => a.status)).toEqual(['pending'])
  })

  it('has at least 200 products across all five categories, some tag-cut, all with SKUs', async () => {
    const rows = await sql<{ category: string; n: number; cut: number }>`
      select category, count(*)::int as n, count(*) filter (where tag_cut)::int as cut from products group by category`.execute(
      t.db,
    )
    const total = rows.rows.reduce((s, r) => s + r.n, 0)
    expect(total).toBeGreaterThanOrEqual(200)
    expect(rows.rows.map((r) => r.category).sort()).toEqual(['jewellery', 'kids', 'mens', 'shoes_bags', 'womens'])
    expect(rows.rows.reduce((s, r) => s + r.cut, 0)).toBeGreaterThan(0)
    const orphans = await sql<{
      n: number
    }>`select count(*)::int as n from products p where not exists (select 1 from skus s where s.product_id = p.id)`.execute(
      t.db,
    )
    expect(orphans.rows[0].n).toBe(0)
  })

  it('has two live sessions, one upcoming, one ended and (catalog) one draft at the seed time', async () => {
    const sessions = await t.db.selectFrom('clearance_sessions').select(['status', 'starts_at', 'ends_at']).execute()
    const phases = sessions
      .map((s) => sessionPhase({ status: s.status, startsAt: s.starts_at, endsAt: s.ends_at }, now))
      .sort()
    expect(phases).toEqual(['draft', 'ended', 'live', 'live', 'upcoming'])
    const home = await homeSessions(t.db, now)
    expect(home.live).toHaveLength(2)
    expect(home.upcoming).toHaveLength(1)
  })

  it('has members at Trial, VIP1, VIP3 and VIP5', async () => {
    const members = await t.db
      .selectFrom('users')
      .select('vip_level')
      .where('role', '=', 'member')
      .orderBy('vip_level')
      .execute()
    expect(members.map((m) => m.vip_level)).toEqual([0, 1, 3, 5])
  })

  it('is deterministic: the same titles on every run', async () => {
    const other = await createTestDatabase()
    try {
      await seed(other.db, now)
      const titles = (db: typeof t.db) =>
        db
          .selectFrom('products')
          .select(['title', 'tag_price_minor'])
          .orderBy('title')
          .orderBy('tag_price_minor')
          .execute()
      expect(await titles(other.db)).toEqual(await titles(t.db))
    } finally {
      process.env.DATABASE_URL = t.url
      await other.db.destroy()
    }
  })
})
