import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { flagLateOrders } from '#app/services/orders/orders.server'

/** Cron: paid orders past the 24-hour ship-by deadline get late_flagged_at (brand and operator see them). */
export function flagLateOrdersTask(db: Db): Task {
  return async () => {
    await flagLateOrders(db, new Date())
  }
}
