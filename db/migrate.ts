import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Migrator } from 'kysely'
import { runMigrations as runWorkerMigrations } from 'graphile-worker'
import type { Db } from './client'
import { setting } from '#app/utils/env.server'
import { migrations } from './migrations/index'

/** Brings the schema (ours and the job queue's) to the latest version; throws on any failure. */
export async function migrateToLatest(db: Db, databaseUrl: string): Promise<string[]> {
  // Branches land side by side, so a migration can arrive after one whose name sorts later has already run.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed`, { cause: error })
  }
  await runWorkerMigrations({ connectionString: databaseUrl })
  return (results ?? []).map((r) => r.migrationName)
}

// `npm run db:migrate` against DATABASE_URL.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { createDb } = await import('./client')
  const url = setting('DATABASE_URL')
  if (!url) {
    console.error('DATABASE_URL is not set (npm start runs migrations on the embedded database by itself).')
    process.exit(1)
  }
  const db = createDb(url, { max: 1 })
  try {
    const applied = await migrateToLatest(db, url)
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.')
  } catch (error) {
    console.error(error)
    process.exitCode = 1
  } finally {
    await db.destroy()
  }
}
