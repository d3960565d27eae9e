// What a customer may pick on a reseller's page: each item's colours and sizes with in stock / sold out
// (never a count), and the per-customer limit.
import type { Db } from '#db/client'
import type { BagOption } from '#app/components/customer-bag'
import { bagSkus } from '#db/queries/customer-orders'

// The option's shape is the picker's (the JSON the options route answers is what it reads).
export type { BagOption }

export async function bagOptions(
  db: Db,
  itemIds: string[],
): Promise<Record<string, { cap: number | null; options: BagOption[] }>> {
  if (!itemIds.length) return {}
  const rows = await bagSkus(db, itemIds)
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
