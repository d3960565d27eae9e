import { PLATFORM_RULES } from '#app/domain/platform-rules'

/** Date and time in the display zone (Asia/Shanghai), in the viewer's language. */
export function formatDateTime(
  iso: string | Date,
  locale: string,
  timeZone: string = PLATFORM_RULES.displayTimeZone,
): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso
  const offset = FIXED_OFFSET_MINUTES[timeZone]
  if (offset !== undefined && (locale === 'zh-CN' || locale === 'en') && !Number.isNaN(date.getTime()))
    return formatFixedZone(date, locale, offset)
  return dateTimeFormat(locale, timeZone).format(date)
}

/**
 * Zones without daylight saving, by their offset: their wall clock is arithmetic. A phone's browser builds its
 * first `Intl.DateTimeFormat` with a time zone in ~100 ms at a mid-range phone's speed (its zone and calendar
 * data load then), in the middle of hydrating a page; our two languages are written here instead, exactly as Intl
 * writes them (a unit test compares every month and hour of a year with Intl's output).
 */
const FIXED_OFFSET_MINUTES: Record<string, number> = { 'Asia/Shanghai': 8 * 60 }
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function formatFixedZone(date: Date, locale: 'zh-CN' | 'en', offsetMinutes: number): string {
  const wall = new Date(date.getTime() + offsetMinutes * 60_000)
  const month = wall.getUTCMonth()
  const day = wall.getUTCDate()
  const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`
  return locale === 'zh-CN' ? `${month + 1}月${day}日 ${time}` : `${EN_MONTHS[month]} ${day}, ${time}`
}

// hourCycle h23, not hour12: false, which some ICU builds read as h24 and print midnight as 24:xx in English.
// Building an Intl.DateTimeFormat costs ~0.1 ms and a session page formats dozens of times: formatters are reused.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
function dateTimeFormat(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`
  let format = dateTimeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    dateTimeFormats.set(key, format)
  }
  return format
}
