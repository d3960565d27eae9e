import { randomUUID } from 'node:crypto'
import { createDb, type Db } from '#db/client'
import { embeddedDatabaseUrl } from '#db/embedded'
import { testGrantPoints } from '#app/services/membership/members.server'

// Browser tests set up data through the product's own services on the app's database, never through routes that
// would have to ship in a production build. The app under test runs on its own embedded PostgreSQL
// (tests/playwright.config.ts) with the database `npm start` creates.
const E2E_PG_PORT = Number(process.env.E2E_PG_PORT ?? 54340)

export async function withAppDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(embeddedDatabaseUrl(E2E_PG_PORT, 'marketplace'), { max: 1 })
  try {
    return await fn(db)
  } finally {
    await db.destroy()
  }
}

/** Credits growth points to a member as a paid order (or an operator grant) would, through the ledger functions. */
export function grantPoints(input: {
  login: string
  kind: 'purchase' | 'grant'
  paidGoodsMinor?: number
  points?: number
}) {
  return withAppDb((db) => testGrantPoints(db, { ...input, orderId: randomUUID(), now: new Date() }))
}

/** The settlement and payout jobs, run with the clock passed in (`at`), as the worker would run them then. */
export function runPayoutJobs(at: Date) {
  return withAppDb(async (db) => {
    const { writeSettlements } = await import('#app/services/orders/after-sales.server')
    const { runPayouts } = await import('#app/services/payouts/payouts.server')
    const settled = await writeSettlements(db, at)
    return { settled, ...(await runPayouts(db, at)) }
  })
}
