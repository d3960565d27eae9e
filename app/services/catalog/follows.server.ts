import type { Db } from '#db/client'
import { deleteFollow, findLiveBrand, followedBrandIds, insertFollow } from '#db/queries/follows'

/** Follows or unfollows a live brand; false when the brand does not exist or is not live. */
export async function setFollow(db: Db, userId: string, brandId: string, follow: boolean): Promise<boolean> {
  if (!(await findLiveBrand(db, brandId))) return false
  if (follow) await insertFollow(db, userId, brandId)
  else await deleteFollow(db, userId, brandId)
  return true
}

export async function isFollowing(db: Db, userId: string, brandId: string): Promise<boolean> {
  return (await followedBrandIds(db, userId)).includes(brandId)
}

export { followedBrandIds }
