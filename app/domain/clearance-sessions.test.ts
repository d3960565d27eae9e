import { describe, expect, it } from 'vitest'
import {
  afterSaleDeadline,
  countdownTarget,
  remaining,
  sessionEnd,
  sessionPhase,
  type SessionWindow,
} from './clearance-sessions'

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
    expect(remaining(scheduled.endsAt, at('2026-12-01T02:00:01Z'))).toMatchObject({
      days: 1,
      hours: 23,
      minutes: 59,
      seconds: 59,
    })
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

// brand-side lifecycle rules
import {
  allowedActions as catalogAllowed,
  can as catalogCan,
  holdsAllocation,
  sessionWindowFor,
  startTimeProblem,
} from './clearance-sessions'

describe('catalog: session rules for brands', () => {
  const now = new Date('2026-11-30T00:00:00Z')
  it('needs the start at least one hour ahead', () => {
    expect(startTimeProblem(new Date('2026-11-30T00:59:59Z'), now)).toBe('too_soon')
    expect(startTimeProblem(new Date('2026-11-30T01:00:00Z'), now)).toBeNull()
    expect(startTimeProblem(new Date('nope'), now)).toBe('invalid')
  })
  it('lasts exactly 48 hours with after-sales until end + 7 days', () => {
    const w = sessionWindowFor(new Date('2026-12-01T12:00:00Z'))
    expect(w.endsAt.toISOString()).toBe('2026-12-03T12:00:00.000Z')
    expect(w.afterSaleDeadlineAt.toISOString()).toBe('2026-12-10T12:00:00.000Z')
  })
  it('freezes prices while live and allows only top-ups; nothing after the end', () => {
    expect(catalogAllowed('live')).toEqual(['top_up'])
    expect(catalogCan('upcoming', 'change_prices')).toBe(true)
    expect(catalogCan('upcoming', 'schedule')).toBe(false)
    expect(catalogCan('draft', 'schedule')).toBe(true)
    expect(catalogCan('live', 'cancel')).toBe(false)
    expect(catalogAllowed('ended')).toEqual([])
    expect(catalogAllowed('cancelled')).toEqual([])
  })
  it('holds allocation until it ends or is cancelled', () => {
    const s = {
      status: 'scheduled' as const,
      startsAt: new Date('2026-11-29T00:00:00Z'),
      endsAt: new Date('2026-12-01T00:00:00Z'),
    }
    expect(holdsAllocation(s, now)).toBe(true)
    expect(holdsAllocation(s, new Date('2026-12-01T00:00:00Z'))).toBe(false)
    expect(holdsAllocation({ ...s, status: 'cancelled' }, now)).toBe(false)
  })
})
