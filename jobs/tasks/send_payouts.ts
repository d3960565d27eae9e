import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { runPayouts } from '#app/services/payouts/payouts.server'

/** Cron: decides the payout of every new settlement statement and sends due Stripe payouts (each exactly once). */
export function sendPayoutsTask(db: Db): Task {
  return async () => {
    await runPayouts(db, new Date())
  }
}
