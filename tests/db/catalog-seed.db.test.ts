import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '#db/seed'
import { seedProductPhotos } from '#db/seeds/photos'
import { recordSessionBoundary } from '#app/services/sessions/boundaries.server'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
const now = new Date('2026-11-30T05:17:00Z')
let uploads: string

beforeAll(async () => {
  uploads = await mkdtemp(path.join(os.tmpdir(), 'seed-photos-'))
  process.env.UPLOAD_DIR = uploads
  t = await createTestDatabase()
  await seed(t.db, now)
})
afterAll(async () => {
  delete process.env.UPLOAD_DIR
  await rm(uploads, { recursive: true, force: true })
  await t.drop()
})

describe('catalog seed', () => {
  it('shoots photos for demo products through the upload pipeline, and a later seed reuses the stored files', async () => {
    // The live session's first products, as a phone's first screen shows them.
    const live = await t.db
      .selectFrom('session_items as i')
      .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
      .innerJoin('products as p', 'p.id', 'i.product_id')
      .select(['p.id', 'p.image_seed'])
      .where('s.title', '=', '沐岚 冬季女装清仓')
      .orderBy('i.position')
      .limit(4)
      .execute()
    const productIds = live.map((p) => p.id)
    const first = await seedProductPhotos(t.db, { now, productIds })
    expect(first.shot).toBe(first.looks)
    const photos = await t.db
      .selectFrom('products as p')
      .innerJoin('product_photos as f', 'f.product_id', 'p.id')
      .select(['p.id', 'p.image_path', 'p.image_seed', 'f.position', 'f.path'])
      .where('p.id', 'in', productIds)
      .orderBy('p.id')
      .orderBy('f.position')
      .execute()
    expect(photos.length).toBe(8) // a studio shot (the cover, mirrored for every list) and a close-up each
    for (const id of productIds) {
      const mine = photos.filter((r) => r.id === id)
      expect(mine.map((r) => r.position)).toEqual([0, 1])
      expect(mine[0].image_path).toBe(mine[0].path)
    }
    const ids = new Set(photos.map((r) => r.path))
    expect(ids.size).toBe(first.looks * 2)
    // Only what the pipeline wrote is on disk: display size and thumbnail, WebP, per photo.
    const files = (await readdir(uploads)).filter((f) => f.endsWith('.webp'))
    expect(files.sort()).toEqual([...ids].flatMap((id) => [`${id}-thumb.webp`, `${id}.webp`]).sort())
    const main = await sharp(path.join(uploads, `${photos[0].path}.webp`)).metadata()
    const thumb = await sharp(path.join(uploads, `${photos[0].path}-thumb.webp`)).metadata()
    expect([main.format, main.width, main.height]).toEqual(['webp', 600, 800])
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 300, 400])
    // Nothing left to shoot for these products.
    expect(await seedProductPhotos(t.db, { now, productIds })).toEqual({ looks: 0, shot: 0 })

    // The same demo seeded into a fresh database with the same upload folder: stored files reused, none shot.
    const again = await createTestDatabase()
    try {
      await seed(again.db, now)
      const sameIds = await again.db
        .selectFrom('products')
        .select('id')
        .where(
          'image_seed',
          'in',
          live.map((p) => p.image_seed),
        )
        .execute()
      expect(await seedProductPhotos(again.db, { now, productIds: sameIds.map((p) => p.id) })).toEqual({
        looks: first.looks,
        shot: 0,
      })
      const paths = await again.db.selectFrom('product_photos').select('path').distinct().execute()
      expect(new Set(paths.map((p) => p.path))).toEqual(ids)
      expect((await readdir(uploads)).filter((f) => f.endsWith('.webp')).length).toBe(files.length)
    } finally {
      await again.drop()
    }
  }, 120_000) // shooting and a second seed: CPU work that a shared machine stretches

  it('keeps the stock ledger consistent with the seeded stock: allocate = allocated, −sales = allocated − available', async () => {
    const rows = await sql<{
      id: string
      allocated: number
      available: number
      released: number
      allocate: number
      sold: number
    }>`
      select x.id, x.allocated, x.available, x.released,
        coalesce((select sum(quantity) from stock_movements m where m.session_item_sku_id = x.id and m.kind = 'allocate'), 0)::int as allocate,
        coalesce((select -sum(quantity) from stock_movements m where m.session_item_sku_id = x.id and m.kind = 'sale'), 0)::int as sold
      from session_item_skus x`.execute(t.db)
    expect(rows.rows.length).toBeGreaterThan(0)
    for (const r of rows.rows) {
      expect(r.allocate).toBe(r.allocated)
      expect(r.sold).toBe(r.allocated - r.available - r.released)
    }
    expect(rows.rows.some((r) => r.sold > 0)).toBe(true)
  })

  it('has a draft session for MULAN, a follow, and sales data for the dashboard chart', async () => {
    const mulan = await t.db.selectFrom('brands').select('id').where('slug', '=', 'mulan').executeTakeFirstOrThrow()
    const drafts = await t.db
      .selectFrom('clearance_sessions')
      .select('id')
      .where('brand_id', '=', mulan.id)
      .where('status', '=', 'draft')
      .execute()
    expect(drafts).toHaveLength(1)
    expect(await t.db.selectFrom('brand_follows').select('user_id').execute()).toHaveLength(1)
    const dash = await brandDashboard(t.db, mulan.id, now)
    expect(dash.chart!.perHour.reduce((s, v) => s + v, 0)).toBe(dash.sessions.find((s) => s.phase === 'live')!.sold)
  })

  it('the ended session releases its unsold units once its end job runs', async () => {
    const ended = await t.db
      .selectFrom('clearance_sessions')
      .select(['id', 'ends_at'])
      .where('ends_at', '<', now)
      .executeTakeFirstOrThrow()
    expect(await recordSessionBoundary(t.db, { sessionId: ended.id, kind: 'ended', now })).toBe('recorded')
    const left = await sql<{
      n: number
    }>`select coalesce(sum(x.available), 0)::int as n from session_item_skus x join session_items i on i.id = x.session_item_id where i.session_id = ${ended.id}`.execute(
      t.db,
    )
    expect(left.rows[0].n).toBe(0)
  })
})
