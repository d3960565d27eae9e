import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { autoReceiveOrders } from '#app/services/orders/orders.server'

/** Cron: shipped orders not confirmed within 10 days become received. */
export function autoReceiveOrdersTask(db: Db): Task {
  return async () => {
    await autoReceiveOrders(db, new Date())
  }
}
