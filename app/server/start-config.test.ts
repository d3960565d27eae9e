import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('npm start with a bad setting', () => {
  it('stops before touching the database, naming the variable, with no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'app/server/main.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        RUN_WORKER: 'yes',
        EMBEDDED_PG_PORT: 'auto',
        EMBEDDED_PG_DIR: '/nonexistent/never-created',
      },
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/RUN_WORKER: RUN_WORKER must be 1 or 0/)
    expect(run.stderr).toMatch(/EMBEDDED_PG_PORT: EMBEDDED_PG_PORT must be a whole number/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stdout).not.toMatch(/Starting embedded PostgreSQL/)
  }, 60_000)
})
