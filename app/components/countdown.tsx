import { useFastTranslation } from '#app/components/use-fast-translation'
import { remaining } from '#app/domain/clearance-sessions'
import { useNow } from './now'

const pad = (n: number) => String(n).padStart(2, '0')

export function Countdown({ to, label }: { to: string; label: string }) {
  const { t } = useFastTranslation()
  const r = remaining(new Date(to), new Date(useNow()))
  const text = r.totalMs === 0
    ? t('countdown.over')
    : r.days > 0
      ? t('countdown.dhms', { d: r.days, h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
      : t('countdown.hms', { h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
  return (
    <span className="countdown" data-testid="countdown">
      <span className="countdown-label">{label}</span>{' '}
      <time dateTime={to} suppressHydrationWarning>{text}</time>
    </span>
  )
}
