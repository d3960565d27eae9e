import { describe, expect, it } from 'vitest'
import { afterSaleDeadline, countdownTarget, remaining, sessionEnd, sessionPhase, type SessionWindow } from './clearance-sessions'

const startsAt = new Date('2026-12-01T02:00:00Z')
const scheduled: SessionWindow = { status: 'scheduled', startsAt, endsAt: sessionEnd(startsAt) }
const at = (iso: string) => new Date(iso)

describe('session phase is decided by the clock', () => {
  it.each([
    ['2026-12-01T01:59:59.999Z', 'upcoming'],
    ['2026-12-01T02:00:00.000Z', 'live'],
    ['2026-12-03T01:59:59.999Z', 'live'],
    ['2026-12-03T02:00:00.000Z', 'ended'],
  ])('at %s the session is %s', (now, phase) => {
    expect(sessionPhase(scheduled, at(now))).toBe(phase)
  })

  it('drafts and cancelled sessions never go live', () => {
    expect(sessionPhase({ ...scheduled, status: 'draft' }, at('2026-12-02T00:00:00Z'))).toBe('draft')
    expect(sessionPhase({ ...scheduled, status: 'cancelled' }, at('2026-12-02T00:00:00Z'))).toBe('cancelled')
  })

  it('lasts exactly 48 hours with a 7-day after-sale window', () => {
    expect(scheduled.endsAt.toISOString()).toBe('2026-12-03T02:00:00.000Z')
    expect(afterSaleDeadline(scheduled.endsAt).toISOString()).toBe('2026-12-10T02:00:00.000Z')
  })

  it('counts down to the start, then to the end, then to nothing', () => {
    expect(countdownTarget(scheduled, at('2026-12-01T00:00:00Z'))).toEqual(startsAt)
    expect(countdownTarget(scheduled, at('2026-12-02T00:00:00Z'))).toEqual(scheduled.endsAt)
    expect(countdownTarget(scheduled, at('2026-12-04T00:00:00Z'))).toBeNull()
  })

  it('splits remaining time', () => {
    expect(remaining(scheduled.endsAt, at('2026-12-01T02:00:01Z'))).toMatchObject({ days: 1, hours: 23, minutes: 59, seconds: 59 })
    expect(remaining(startsAt, at('2026-12-05T00:00:00Z')).totalMs).toBe(0)
  })
})

describe('boundaries', () => {
  it('are due from their instant on, for scheduled sessions only', async () => {
    const { boundaryAt } = await import('./clearance-sessions')
    expect(boundaryAt(scheduled, 'started', at('2026-12-01T01:59:59Z'))).toBe('not_due')
    expect(boundaryAt(scheduled, 'started', at('2026-12-01T02:00:00Z'))).toEqual(startsAt)
    expect(boundaryAt(scheduled, 'ended', at('2026-12-03T02:00:00Z'))).toEqual(scheduled.endsAt)
    expect(boundaryAt({ ...scheduled, status: 'cancelled' }, 'ended', at('2026-12-04T00:00:00Z'))).toBe('not_scheduled')
  })
})
