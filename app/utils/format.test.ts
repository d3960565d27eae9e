import { describe, expect, it } from 'vitest'
import { formatDateTime } from './format'

describe('formatDateTime', () => {
  it('shows the first hour after midnight Beijing time as 00, in both languages', () => {
    const justAfterMidnight = '2026-12-06T16:12:00Z' // 00:12 on 7 December in Asia/Shanghai
    expect(formatDateTime(justAfterMidnight, 'en')).toBe('Dec 7, 00:12')
    expect(formatDateTime(justAfterMidnight, 'zh-CN')).toBe('12月7日 00:12')
    expect(formatDateTime('2026-12-06T15:59:00Z', 'en')).toBe('Dec 6, 23:59')
  })
})

/** What formatDateTime writes for Beijing time, as Intl would. */
const BEIJING: Intl.DateTimeFormatOptions = {
  timeZone: 'Asia/Shanghai',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
}

describe('formatDateTime without Intl', () => {
  it('writes every month, day, hour and minute of a year as Intl does, in both languages', () => {
    for (const locale of ['zh-CN', 'en']) {
      const intl = new Intl.DateTimeFormat(locale, BEIJING)
      // Every 37 minutes through 2026 and into 2027: all hours and minutes, every day, both year ends.
      for (let t = Date.UTC(2026, 0, 1) - 10 * 3_600_000; t < Date.UTC(2027, 0, 2); t += 37 * 60_000) {
        const date = new Date(t)
        expect(formatDateTime(date, locale)).toBe(intl.format(date))
      }
    }
  })

  it('leaves other zones and languages to Intl', () => {
    const date = '2026-07-01T12:00:00Z'
    expect(formatDateTime(date, 'en', 'Europe/London')).toBe('Jul 1, 13:00')
    expect(formatDateTime(date, 'de', 'Asia/Shanghai')).toBe(
      new Intl.DateTimeFormat('de', BEIJING).format(new Date(date)),
    )
  })
})
