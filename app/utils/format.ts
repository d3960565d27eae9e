import { PLATFORM_RULES } from '#app/domain/platform-rules'

/** Date and time in the display zone (Asia/Shanghai), in the viewer's language. */
export function formatDateTime(
  iso: string | Date,
  locale: string,
  timeZone: string = PLATFORM_RULES.displayTimeZone,
): string {
  return dateTimeFormat(locale, timeZone).format(typeof iso === 'string' ? new Date(iso) : iso)
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
