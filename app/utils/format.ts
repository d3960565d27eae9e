import { PLATFORM_RULES } from '#app/domain/platform-rules'

/** Date and time in the display zone (Asia/Shanghai), in the viewer's language. */
export function formatDateTime(iso: string | Date, locale: string, timeZone: string = PLATFORM_RULES.displayTimeZone): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(typeof iso === 'string' ? new Date(iso) : iso)
}
