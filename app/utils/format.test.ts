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
