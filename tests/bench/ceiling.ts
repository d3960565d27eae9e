// The machine's ceiling for hot-row grabs: serial single-connection conditional decrements of one row
// through postgres.js (the app's client), each its own durable commit.
import postgres from 'postgres'
import type { Db } from '#db/client'
import { log, round as rounded, startBenchDatabase, type SummaryRow } from './harness'
import { createBenchGrabsTable, seedLiveSession, seedMembers, seedSingleSku } from './fixtures'

export const CEILING_SECONDS = Number(process.env.BENCH_CEILING_SECONDS ?? 10)

export interface CeilingResult {
  /** Conditional decrements per second (one statement, one commit each). */
  decrementsPerSec: number
  decrements: number
  seconds: number
  /** Decrement + order-row insert in one transaction, serial (context for the grab figure). */
  decrementAndInsertPerSec: number
  postgres: string
  settings: Record<string, string>
}

/** Runs against an existing database; uses its own row so nothing else it holds is disturbed. */
export async function measureCeiling(
  db: Db,
  url: string,
  pgVersion: string,
  settings: Record<string, string>,
  round = 0,
): Promise<CeilingResult> {
  const { brand, session } = await seedCeilingRows(db)
  const row = await seedSingleSku(db, {
    brandId: brand,
    sessionId: session,
    units: 1_000_000_000,
    perMemberCap: null,
    position: 999 - round,
    title: `ceiling-row ${round}`,
  })
  const [member] = await seedMembers(db, 1, { prefix: `bench-ceiling-${round}` })
  await createBenchGrabsTable(db)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    // Warm the connection and the plan.
    for (let i = 0; i < 200; i++)
      await sql`update session_item_skus set available = available - 1 where id = ${row.sessionItemSkuId} and available >= 1`
    log(`ceiling: serial conditional decrements for ${CEILING_SECONDS} s…`)
    let n = 0
    const t0 = performance.now()
    const end = t0 + CEILING_SECONDS * 1000
    while (performance.now() < end) {
      const r =
        await sql`update session_item_skus set available = available - 1 where id = ${row.sessionItemSkuId} and available >= 1`
      if (r.count !== 1) throw new Error('ceiling row ran out')
      n++
    }
    const seconds = (performance.now() - t0) / 1000
    const txSeconds = Math.max(2, Math.round(CEILING_SECONDS / 2))
    log(`ceiling: serial decrement + insert transactions for ${txSeconds} s…`)
    let m = 0
    const t1 = performance.now()
    const end1 = t1 + txSeconds * 1000
    while (performance.now() < end1) {
      await sql.begin(async (tx) => {
        await tx`update session_item_skus set available = available - 1 where id = ${row.sessionItemSkuId} and available >= 1`
        await tx`insert into bench_grabs (user_id, session_item_sku_id, quantity, unit_price_minor) values (${member!.id}, ${row.sessionItemSkuId}, 1, 29900)`
      })
      m++
    }
    const txElapsed = (performance.now() - t1) / 1000
    return {
      decrementsPerSec: rounded(n / seconds),
      decrements: n,
      seconds: rounded(seconds, 2),
      decrementAndInsertPerSec: rounded(m / txElapsed),
      postgres: pgVersion,
      settings,
    }
  } finally {
    await sql.end()
  }
}

async function seedCeilingRows(db: Db) {
  const existing = await db.selectFrom('clearance_sessions').select(['id', 'brand_id']).executeTakeFirst()
  if (existing) return { brand: existing.brand_id, session: existing.id }
  const { brand, session } = await seedLiveSession(db, { items: 0, unitsPerSku: 1, slug: 'bench-ceiling' })
  return { brand: brand.id, session: session.id }
}

export function ceilingRows(c: CeilingResult): SummaryRow[] {
  return [
    {
      scenario: 'ceiling',
      metric: 'serial decrements/s (1 conn)',
      value: String(c.decrementsPerSec),
      note: `synchronous_commit=${c.settings.synchronous_commit}, fsync=${c.settings.fsync}`,
    },
    { scenario: 'ceiling', metric: 'serial decrement+insert tx/s', value: String(c.decrementAndInsertPerSec) },
  ]
}

export async function ceilingScenario() {
  const database = await startBenchDatabase('ceiling')
  try {
    const result = await measureCeiling(database.db, database.url, database.pgVersion, database.settings)
    return { result, rows: ceilingRows(result) }
  } finally {
    await database.stop()
  }
}
