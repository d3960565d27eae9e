import { describe, expect, it } from 'vitest'
import { normaliseIdentifier, signInBlockedUntil } from './sign-in'

const rule = { maxFailures: 3, windowMs: 60_000 }
const now = new Date('2026-11-23T10:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)

describe('sign-in throttling', () => {
  it('allows attempts under the limit', () => {
    expect(signInBlockedUntil([ago(1000), ago(2000)], now, rule)).toBeNull()
  })

  it('blocks at the limit until the oldest counted failure leaves the window', () => {
    expect(signInBlockedUntil([ago(30_000), ago(20_000), ago(10_000)], now, rule)).toEqual(
      new Date(now.getTime() + 30_000),
    )
  })

  it('forgets failures older than the window', () => {
    expect(signInBlockedUntil([ago(90_000), ago(80_000), ago(10_000)], now, rule)).toBeNull()
  })
})

describe('identifiers', () => {
  it('lower-cases emails and strips phone separators', () => {
    expect(normaliseIdentifier(' Ops@Example.COM ')).toEqual({ kind: 'email', value: 'ops@example.com' })
    expect(normaliseIdentifier('138-0000 0001')).toEqual({ kind: 'phone', value: '13800000001' })
  })
})
