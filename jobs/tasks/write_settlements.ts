import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { writeSettlements } from '#app/services/orders/after-sales.server'

/** Cron: settlement statements for sessions past their after-sale deadline (idempotent: one per brand per session). */
export function writeSettlementsTask(db: Db): Task {
  return async () => {
    await writeSettlements(db, new Date())
  }
}
