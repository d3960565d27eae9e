import type { Db } from '#db/client'
import { countPendingApplications } from '#db/queries/dashboards'

export async function operatorOverview(db: Db) {
  return { pendingApplications: await countPendingApplications(db) }
}
