import type { Db } from '#db/client'
import { countBrandSessions, countPendingApplications } from '#db/queries/dashboards'

export async function operatorOverview(db: Db) {
  return { pendingApplications: await countPendingApplications(db) }
}

export async function brandOverview(db: Db, brandId: string) {
  return { sessions: await countBrandSessions(db, brandId) }
}
