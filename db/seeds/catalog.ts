// Catalog demo data: a draft session for MULAN, style codes on a few products and the stock ledger
// ('allocate' rows matching every seeded allocation). Sales come only from the demo orders.
import type { Transaction } from 'kysely'
import type { Database } from '../schema'
import { addSessionItem, createSession } from '#tests/fixtures/factories'
import { insertStockMovements } from '../queries/stock-movements'

export async function seedCatalog(trx: Transaction<Database>, now: Date): Promise<void> {
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000)
  const mulan = await trx.selectFrom('brands').select('id').where('slug', '=', 'mulan').executeTakeFirstOrThrow()
  const products = await trx
    .selectFrom('products')
    .select(['id', 'tag_price_minor', 'tag_cut', 'created_at'])
    .where('brand_id', '=', mulan.id)
    .orderBy('title')
    .orderBy('tag_price_minor')
    .orderBy('id')
    .execute()

  // Style codes for MULAN's catalogue, so a CSV re-import can address them.
  const ordered = await trx
    .selectFrom('products')
    .select('id')
    .where('brand_id', '=', mulan.id)
    .orderBy('title')
    .orderBy('id')
    .execute()
  for (const [i, p] of ordered.entries()) {
    await trx
      .updateTable('products')
      .set({ style_code: `ML-${String(i + 1).padStart(4, '0')}` })
      .where('id', '=', p.id)
      .execute()
  }

  // A draft two days out: a handful of items, not yet scheduled.
  const draft = await createSession(trx, {
    brandId: mulan.id,
    startsAt: new Date(hour.getTime() + 50 * 3_600_000),
    title: '沐岚 新年福袋（草稿）',
    titleEn: 'MULAN New Year lucky bags (draft)',
    status: 'draft',
  })
  for (let i = 0; i < 5; i++) {
    const p = products[60 + i]
    const skus = await trx
      .selectFrom('skus')
      .select('id')
      .where('product_id', '=', p.id)
      .orderBy('colour')
      .orderBy('size')
      .execute()
    const base = Math.round((p.tag_price_minor * 0.3) / 100) * 100 - 10
    await addSessionItem(trx, {
      sessionId: draft.id,
      productId: p.id,
      skuIds: skus.map((s) => s.id),
      basePriceMinor: base,
      quantity: 20,
      position: i,
      minRetailPriceMinor: p.tag_cut ? null : Math.min(p.tag_price_minor, Math.round((base * 1.4) / 100) * 100),
    })
  }

  // The ledger: one 'allocate' row per seeded allocation, a day before its session starts.
  const allocations = await trx
    .selectFrom('session_item_skus as x')
    .innerJoin('session_items as i', 'i.id', 'x.session_item_id')
    .innerJoin('clearance_sessions as s', 's.id', 'i.session_id')
    .select(['x.id', 'x.allocated', 's.id as session_id', 's.brand_id', 's.starts_at', 's.ends_at', 's.status'])
    .orderBy('s.starts_at')
    .orderBy('x.id')
    .execute()
  await insertStockMovements(
    trx,
    allocations
      .filter((a) => a.allocated > 0)
      .map((a) => ({
        brandId: a.brand_id,
        sessionId: a.session_id,
        sessionItemSkuId: a.id,
        kind: 'allocate' as const,
        quantity: a.allocated,
        createdAt: new Date(Math.min(a.starts_at.getTime() - 24 * 3_600_000, now.getTime())),
      })),
  )

  // A member who follows a brand, so the home page shows followed sessions first.
  const vip1 = await trx.selectFrom('users').select('id').where('email', '=', 'vip1@demo.cm').executeTakeFirst()
  const oak = await trx.selectFrom('brands').select('id').where('slug', '=', 'little-oak').executeTakeFirst()
  if (vip1 && oak) await trx.insertInto('brand_follows').values({ user_id: vip1.id, brand_id: oak.id }).execute()
}
