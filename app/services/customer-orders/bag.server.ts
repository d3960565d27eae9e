// What a customer may pick on a reseller's page: each item's colours and sizes with in stock / sold out
// (never a count), and the per-customer limit.
import type { Db } from '#db/client'

export interface BagOption {
  skuId: string
  colour: string
  size: string
  colourEn: string
  sizeEn: string
  inStock: boolean
}

export async function bagOptions(
  db: Db,
  itemIds: string[],
): Promise<Record<string, { cap: number | null; options: BagOption[] }>> {
  if (!itemIds.length) return {}
  const rows = await db
    .selectFrom('session_item_skus as k')
    .innerJoin('skus as s', 's.id', 'k.sku_id')
    .innerJoin('session_items as i', 'i.id', 'k.session_item_id')
    .select([
      'k.id',
      'k.session_item_id',
      'k.available',
      's.colour',
      's.size',
      's.colour_en',
      's.size_en',
      'i.per_member_cap',
    ])
    .where('k.session_item_id', 'in', itemIds)
    .orderBy('s.colour')
    .orderBy('s.size')
    .execute()
  const out: Record<string, { cap: number | null; options: BagOption[] }> = {}
  for (const r of rows) {
    const entry = (out[r.session_item_id] ??= { cap: r.per_member_cap, options: [] })
    entry.options.push({
      skuId: r.id,
      colour: r.colour,
      size: r.size,
      colourEn: r.colour_en,
      sizeEn: r.size_en,
      inStock: r.available > 0,
    })
  }
  return out
}
