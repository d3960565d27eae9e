import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedServer } from '#db/embedded'
import { isAlive, readPostmasterPid } from '#db/embedded-preflight'
import { ROOT } from '#tests/bench/harness'
import { freePort } from '#tests/setup/free-port'

// `kill -9` of the app leaves its embedded PostgreSQL running (handed to init). The next start on the same data
// directory recognises that orphan and replaces it; while the app that started it still runs, it refuses instead.

const base = mkdtempSync(path.join(os.tmpdir(), 'embedded-restart-'))
chmodSync(base, 0o755) // the postgres system user (when the tests run as root) must reach the data directory
const dataDir = path.join(base, 'pg')
let child: ChildProcess | undefined
let server: EmbeddedServer | undefined
afterAll(async () => {
  child?.kill('SIGKILL')
  await server?.stop().catch(() => {})
  const left = readPostmasterPid(dataDir)
  if (left && isAlive(left.pid)) process.kill(left.pid, 'SIGQUIT')
  rmSync(base, { recursive: true, force: true })
})

/** An app process that starts the embedded PostgreSQL and then runs until killed. */
async function startApp(port: number): Promise<ChildProcess> {
  const script = path.join(base, 'app.mts')
  writeFileSync(
    script,
    `import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, 'db/embedded.ts'))}
await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, quiet: true })
console.log('ready')
setInterval(() => {}, 60_000)
`,
  )
  const app = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    app.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve()
    })
    app.on('exit', (code) => reject(new Error(`the app exited (${code}) before PostgreSQL was ready`)))
  })
  return app
}

describe('the embedded PostgreSQL after the app was killed', () => {
  it('refuses a second start while the app runs, and replaces the orphan after kill -9', async () => {
    child = await startApp(await freePort())
    const first = readPostmasterPid(dataDir)!
    expect(isAlive(first.pid)).toBe(true)

    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), quiet: true })).rejects.toThrow(
      /belongs to an app that is still running/,
    )

    child.kill('SIGKILL')
    await new Promise((r) => child!.once('exit', r))
    await new Promise((r) => setTimeout(r, 300))
    expect(isAlive(first.pid), 'the orphaned postmaster outlives its app').toBe(true)

    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), quiet: true })
    expect(isAlive(first.pid)).toBe(false)
    expect(readPostmasterPid(dataDir)!.pid).not.toBe(first.pid)
    const sql = postgres(server.adminUrl, { max: 1, onnotice: () => {} })
    try {
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }])
    } finally {
      await sql.end()
    }
  }, 180_000)
})
