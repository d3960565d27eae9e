import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader } from '#app/routes/search'
import { setSearchEngine } from '#search/client'
import { OramaSearchEngine } from '#search/orama'
import { rebuildIndex } from '#search/sync'
import { addSessionItem, createBrand, createProduct, createSession } from '#tests/fixtures/factories'
import { getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Search hits show the product's first uploaded photo, read from Postgres (a new photo needs no re-indexing), and
// the generated art only for a product without photos.
let t: TestDatabase
const ids: Record<string, string> = {}
const COVER = '0b5a3c1e-2f4d-4e6a-8b7c-9d0e1f2a3b4c'

beforeAll(async () => {
  t = await createTestDatabase()
  const now = new Date()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now.getTime() - 3_600_000) })
  const shot = await createProduct(t.db, { brandId: brand.id, title: '真丝衬衫 有照片' })
  const drawn = await createProduct(t.db, { brandId: brand.id, title: '真丝衬衫 无照片' })
  for (const [i, p] of [shot, drawn].entries())
    await addSessionItem(t.db, {
      sessionId: live.id,
      productId: p.product.id,
      skuIds: p.skus.map((s) => s.id),
      basePriceMinor: 9900,
      quantity: 3,
      position: i,
    })
  Object.assign(ids, { shot: shot.product.id, drawn: drawn.product.id })
  const engine = new OramaSearchEngine()
  await rebuildIndex(t.db, engine, now)
  setSearchEngine(engine)
  // Uploaded after indexing: the hit still shows it.
  await t.db.updateTable('products').set({ image_path: COVER }).where('id', '=', shot.product.id).execute()
})
afterAll(async () => {
  setSearchEngine(undefined)
  await t.drop()
})

describe('photos in search results', () => {
  it('gives each hit its product’s cover photo, or none (the art) when it has no photo', async () => {
    const res = await settle(() => loader({ request: getRequest('/search?q=真丝衬衫'), params: {}, context: {} }))
    const body = (await res.json()) as { hits: { productId: string; imagePath: string | null }[] }
    const byProduct = Object.fromEntries(body.hits.map((h) => [h.productId, h.imagePath]))
    expect(byProduct).toEqual({ [ids.shot!]: COVER, [ids.drawn!]: null })
  })
})
