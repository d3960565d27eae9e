import { describe, expect, it } from 'vitest'
import { NOTIFICATION_EVENTS, eventsFor, missingFields } from './notification-events'
import {
  afterFailure,
  capAllows,
  channelEnabled,
  deliveryDecision,
  fillText,
  keepReminderMonth,
  localDay,
  parseClock,
  quietUntil,
  NOTIFICATION_RULES,
} from './notifications'

const quiet = NOTIFICATION_RULES.quietHours

describe('quiet hours (22:00–08:00 Asia/Shanghai by default)', () => {
  it.each([
    // UTC instant → end of quiet period (or null)
    ['2026-12-06T13:59:00Z', null], // 21:59 Shanghai
    ['2026-12-06T14:00:00Z', '2026-12-07T00:00:00.000Z'], // 22:00 → 08:00 next day
    ['2026-12-06T18:30:15Z', '2026-12-07T00:00:00.000Z'], // 02:30:15
    ['2026-12-06T23:59:00Z', '2026-12-07T00:00:00.000Z'], // 07:59
    ['2026-12-07T00:00:00Z', null], // 08:00
  ])('%s → %s', (now, until) => {
    expect(quietUntil(new Date(now), quiet)?.toISOString() ?? null).toBe(until)
  })
  it('can be switched off, and a daytime window works too', () => {
    expect(quietUntil(new Date('2026-12-06T15:00:00Z'), { ...quiet, enabled: false })).toBeNull()
    expect(
      quietUntil(new Date('2026-12-06T05:00:00Z'), {
        startMinute: 12 * 60,
        endMinute: 14 * 60,
        timeZone: 'Asia/Shanghai',
      })?.toISOString(),
    ).toBe('2026-12-06T06:00:00.000Z')
  })
})

describe('deliveryDecision', () => {
  const night = new Date('2026-12-06T15:00:00Z') // 23:00 Shanghai
  const day = new Date('2026-12-06T03:00:00Z')
  it.each([
    ['marketing at night waits', { category: 'marketing', enabled: true, reachable: true, now: night }, 'delay'],
    ['transactional at night goes', { category: 'transactional', enabled: true, reachable: true, now: night }, 'send'],
    ['marketing by day goes', { category: 'marketing', enabled: true, reachable: true, now: day }, 'send'],
    ['switched off is skipped', { category: 'transactional', enabled: false, reachable: true, now: day }, 'skip'],
    ['no address is skipped', { category: 'transactional', enabled: true, reachable: false, now: day }, 'skip'],
  ] as const)('%s', (_, input, kind) => {
    expect(deliveryDecision({ ...input, quiet }).kind).toBe(kind)
  })
})

describe('daily cap, retries, preferences', () => {
  it('allows up to the cap', () => {
    expect(capAllows(0, 2)).toBe(true)
    expect(capAllows(1, 2)).toBe(true)
    expect(capAllows(2, 2)).toBe(false)
  })
  it('backs off exponentially, then gives up', () => {
    const now = new Date('2026-12-06T00:00:00Z')
    const rules = { maxAttempts: 4, retryBaseMs: 1000, retryMaxMs: 3000 }
    expect(afterFailure(1, now, rules)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 1000) })
    expect(afterFailure(2, now, rules)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 2000) })
    expect(afterFailure(3, now, rules)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 3000) })
    expect(afterFailure(4, now, rules)).toEqual({ kind: 'failed' })
  })
  it('uses the recipient choice over the catalogue default', () => {
    expect(channelEnabled('order_paid', 'push', [])).toBe(NOTIFICATION_EVENTS.order_paid.defaults.push)
    expect(channelEnabled('order_paid', 'email', [{ event: 'order_paid', channel: 'email', enabled: false }])).toBe(
      false,
    )
    expect(channelEnabled('order_paid', 'email', [{ event: 'session_open', channel: 'email', enabled: false }])).toBe(
      true,
    )
  })
})

describe('calendar and texts', () => {
  it('counts the local day in Shanghai', () => {
    expect(localDay(new Date('2026-12-06T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-07')
    expect(localDay(new Date('2026-12-06T15:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-06')
  })
  it('is due for the keep-level reminder five days before the month ends', () => {
    expect(keepReminderMonth(new Date('2026-12-25T12:00:00Z'), 'Asia/Shanghai')).toBeNull() // 6 days left
    expect(keepReminderMonth(new Date('2026-12-26T12:00:00Z'), 'Asia/Shanghai')).toBe('2026-12')
    expect(keepReminderMonth(new Date('2026-02-23T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-02') // 24 Feb local, 4 left
  })
  it('parses clocks and fills texts', () => {
    expect(parseClock('22:00')).toBe(1320)
    expect(parseClock('24:00')).toBeNull()
    expect(fillText('{{brand}} 开抢 {{x}}', { brand: '沐岚' })).toBe('沐岚 开抢 ')
  })
  it('lists events per role and checks their data', () => {
    expect(eventsFor('operator')).toEqual(['application_waiting', 'after_sale_waiting', 'payout_failed_operator'])
    expect(eventsFor('brand_staff')).toEqual(['order_late_soon', 'settlement_ready', 'payout_sent', 'payout_failed'])
    expect(missingFields('order_shipped', { orderNo: 'A1', brand: 'b' })).toEqual(['carrier', 'trackingNo'])
  })
})
