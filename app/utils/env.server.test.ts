import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EnvError, initEnv, setting } from './env.server'

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process and reads a whole number', () => {
    expect(initEnv({ NODE_ENV: 'test' }).WEB_CONCURRENCY).toBe(1)
    expect(initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '2' }).WEB_CONCURRENCY).toBe(2)
  })

  it('refuses what is not a positive whole number, saying what it wants', () => {
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: 'two' })).toThrow(
      /WEB_CONCURRENCY: WEB_CONCURRENCY must be a whole number/,
    )
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '1.5' })).toThrow(/whole number/)
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '0' })).toThrow(/at least 1/)
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '500' })).toThrow(/above 64/)
  })
})

describe('the environment schema', () => {
  it('names each bad variable, all at once', () => {
    let message = ''
    try {
      initEnv({
        NODE_ENV: 'test',
        RUN_WORKER: 'yes',
        DB_POOL_MAX: '0',
        EMBEDDED_PG_PORT: '70000',
        UPLOAD_MAX_BYTES: 'lots',
        PUBLIC_URL: 'ftp://x',
      })
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError)
      message = (error as Error).message
    }
    expect(message).toMatch(/RUN_WORKER: RUN_WORKER must be 1 or 0/)
    expect(message).toMatch(/DB_POOL_MAX: DB_POOL_MAX must be at least 1/)
    expect(message).toMatch(/EMBEDDED_PG_PORT: .*at most 65535/)
    expect(message).toMatch(/UPLOAD_MAX_BYTES: UPLOAD_MAX_BYTES must be a whole number/)
    expect(message).toMatch(/PUBLIC_URL/)
  })

  it('takes an empty variable as unset, and gives the defaults', () => {
    const env = initEnv({ NODE_ENV: 'test', RUN_WORKER: '', GRAB_QUEUE: '', EMBEDDED_PG_PORT: '' })
    expect(env.RUN_WORKER).toBeUndefined()
    expect(env.GRAB_QUEUE).toBe('1')
    expect(env.EMBEDDED_PG_PORT).toBe(54329)
    expect(env.DB_POOL_MAX).toBe(20)
  })

  it('reads one setting now, through its schema', () => {
    expect(setting('GRAB_QUEUE', {})).toBe('1')
    expect(setting('GRAB_QUEUE', { GRAB_QUEUE: '0' })).toBe('0')
    expect(setting('CARDS_CACHE_MAX_BYTES', { CARDS_CACHE_MAX_BYTES: '1024' })).toBe(1024)
    expect(() => setting('GRAB_QUEUE', { GRAB_QUEUE: 'off' })).toThrow(/GRAB_QUEUE: GRAB_QUEUE must be 1 or 0/)
  })

  it('production needs a session secret and Stripe', () => {
    expect(() => initEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/)
    expect(() => initEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/STRIPE_SECRET_KEY/)
  })
})

// Code outside the environment module reads settings through it: a stray read would skip the schema (no
// check at start, no default in one place). Tests and the build's own tooling may read process.env.
describe('process.env', () => {
  it('is read only by app/utils/env.server.ts in app/, jobs/, search/ and db/', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
    const stray: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(file)
        else if (
          /\.(ts|tsx)$/.test(entry.name) &&
          !/\.test\.tsx?$/.test(entry.name) &&
          file !== path.join(root, 'app/utils/env.server.ts')
        ) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/process\.env\b/.test(line)) stray.push(`${path.relative(root, file)}:${i + 1}`)
            })
        }
      }
    }
    for (const dir of ['app', 'jobs', 'search', 'db']) walk(path.join(root, dir))
    expect(stray, 'read these through app/utils/env.server.ts (env() or setting())').toEqual([])
  })
})
