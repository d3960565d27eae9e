import { describe, expect, it } from 'vitest'
import { initEnv } from './env.server'

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process and reads a whole number', () => {
    expect(initEnv({ NODE_ENV: 'test' }).WEB_CONCURRENCY).toBe(1)
    expect(initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '2' }).WEB_CONCURRENCY).toBe(2)
  })

  it('refuses what is not a positive whole number, saying what it wants', () => {
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: 'two' })).toThrow(/WEB_CONCURRENCY: WEB_CONCURRENCY must be a whole number/)
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '1.5' })).toThrow(/whole number/)
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '0' })).toThrow(/at least 1/)
    expect(() => initEnv({ NODE_ENV: 'test', WEB_CONCURRENCY: '500' })).toThrow(/above 64/)
  })
})
