import type { Conn } from './conn'

export async function insertFollow(db: Conn, userId: string, brandId: string) {
  await db
    .insertInto('brand_follows')
    .values({ user_id: userId, brand_id: brandId })
    .onConflict((oc) => oc.columns(['user_id', 'brand_id']).doNothing())
    .execute()
}

export async function deleteFollow(db: Conn, userId: string, brandId: string) {
  await db.deleteFrom('brand_follows').where('user_id', '=', userId).where('brand_id', '=', brandId).execute()
}

export async function followedBrandIds(db: Conn, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('brand_follows').select('brand_id').where('user_id', '=', userId).execute()
  return rows.map((r) => r.brand_id)
}

export function findLiveBrand(db: Conn, brandId: string) {
  return db
    .selectFrom('brands')
    .select(['id'])
    .where('id', '=', brandId)
    .where('status', '=', 'live')
    .executeTakeFirst()
}
