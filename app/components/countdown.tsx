import { useEffect, useRef } from 'react'
import { useRevalidator } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { remaining } from '#app/domain/clearance-sessions'
import { useNow } from './now'

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * Counts down to `to`. `starting`: it counts to a start (at zero it says the start is happening, not that
 * something ended). `reloads` (default on): when it reaches zero while the page is open, the page's data is
 * loaded again, so what can be bought follows the clock without a reload.
 */
export function Countdown({
  to,
  label,
  starting = false,
  reloads = true,
}: {
  to: string
  label: string
  starting?: boolean
  reloads?: boolean
}) {
  const { t } = useFastTranslation()
  const now = useNow()
  const r = remaining(new Date(to), new Date(now))
  useReloadAt(reloads ? to : null, now)
  const text =
    r.totalMs === 0
      ? t(starting ? 'countdown.starting' : 'countdown.over')
      : r.days > 0
        ? t('countdown.dhms', { d: r.days, h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
        : t('countdown.hms', { h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
  return (
    <span className="countdown" data-testid="countdown">
      <span className="countdown-label">{label}</span>{' '}
      <time dateTime={to} suppressHydrationWarning>
        {text}
      </time>
    </span>
  )
}

// One reload for every countdown of a page that reaches zero in the same moment.
let lastReload = 0
/** How long the page keeps asking again while the server's clock has not reached the instant yet. */
const RETRY_MS = 2_000
const RETRIES = 15

/**
 * Loads the page's data again when `to` passes while the page is open (never for an instant already past when
 * the page came: an ended session does not reload forever). If the server still renders the same instant (its
 * clock a little behind), it asks again every 2 s, 15 times at most.
 */
function useReloadAt(to: string | null, now: number) {
  const revalidator = useRevalidator()
  const state = useRef<{ to: string | null; armed: boolean; tries: number; at: number }>({
    to: null,
    armed: false,
    tries: 0,
    at: 0,
  })
  const due = to !== null && now >= Date.parse(to)
  useEffect(() => {
    const s = state.current
    if (s.to !== to) Object.assign(s, { to, armed: !due, tries: 0, at: 0 })
    if (!to || !due || !s.armed || s.tries >= RETRIES || revalidator.state !== 'idle') return
    if (now - s.at < RETRY_MS || now - lastReload < 500) return
    s.tries++
    s.at = now
    lastReload = now
    revalidator.revalidate()
  }, [to, due, now, revalidator])
}
