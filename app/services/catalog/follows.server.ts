import type { Db } from '#db/client'
import { deleteFollow, findLiveBrand, followedBrandIds, insertFollow } from '#db/queries/follows'
import { syncMemberReminders } from '#app/services/notifications/session-reminders.server'

/**
 * Follows or unfollows a live brand; false when the brand does not exist or is not live. Sessions of the brand whose
 * reminders are already written get hers written (or withdrawn) in the same transaction.
 */
export async function setFollow(db: Db, userId: string, brandId: string, follow: boolean, now: Date): Promise<boolean> {
  if (!(await findLiveBrand(db, brandId))) return false
  await db.transaction().execute(async (trx) => {
    if (follow) await insertFollow(trx, userId, brandId)
    else await deleteFollow(trx, userId, brandId)
    await syncMemberReminders(trx, { userId, brandId, now })
  })
  return true
}

export { followedBrandIds }
