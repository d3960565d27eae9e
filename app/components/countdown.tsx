import { useEffect, useRef } from 'react'
import { useRevalidator } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { remaining } from '#app/domain/clearance-sessions'
import { onEverySecond, tickedNow, useNow } from './now'

const pad = (n: number) => String(n).padStart(2, '0')

type T = ReturnType<typeof useFastTranslation>['t']

function countdownText(t: T, to: number, now: number, starting: boolean): string {
  const r = remaining(new Date(to), new Date(now))
  return r.totalMs === 0
    ? t(starting ? 'countdown.starting' : 'countdown.over')
    : r.days > 0
      ? t('countdown.dhms', { d: r.days, h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
      : t('countdown.hms', { h: pad(r.hours), m: pad(r.minutes), s: pad(r.seconds) })
}

// One reload for every countdown of a page that reaches zero in the same moment.
let lastReload = 0
/** How long the page keeps asking again while the server's clock has not reached the instant yet. */
const RETRY_MS = 2_000
const RETRIES = 15

/**
 * Counts down to `to`. `starting`: it counts to a start (at zero it says the start is happening, not that
 * something ended). `reloads` (default on): when it reaches zero while the page is open, the page's data is
 * loaded again, so what can be bought follows the clock without a reload.
 *
 * The first frame shows the server's clock (later renders the last tick's). Then the page's one ticker
 * (`onEverySecond`) rewrites the text in place each second: a tick costs no React render, which on a phone page of
 * many cards was a long task a second.
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
  const serverNow = useNow()
  const toMs = Date.parse(to)
  const time = useRef<HTMLTimeElement>(null)
  const revalidator = useRevalidator()
  const latest = useRef({ t, revalidator })
  latest.current = { t, revalidator }

  useEffect(() => {
    // Never reload for an instant already past when the page came: an ended session does not reload forever.
    const reload = { armed: reloads && Date.now() < toMs, tries: 0, at: 0 }
    return onEverySecond((now) => {
      const text = time.current?.firstChild
      if (text) text.nodeValue = countdownText(latest.current.t, toMs, now, starting)
      // At zero the page's data is loaded again; while the server still renders the same instant (its clock a
      // little behind), it asks again every 2 s, 15 times at most.
      const { revalidator } = latest.current
      if (!reload.armed || now < toMs || reload.tries >= RETRIES || revalidator.state !== 'idle') return
      if (now - reload.at < RETRY_MS || now - lastReload < 500) return
      reload.tries++
      reload.at = now
      lastReload = now
      revalidator.revalidate()
    })
  }, [toMs, starting, reloads])

  return (
    <span className="countdown" data-testid="countdown">
      <span className="countdown-label">{label}</span>{' '}
      <time ref={time} dateTime={to} suppressHydrationWarning>
        {countdownText(t, toMs, tickedNow() || serverNow, starting)}
      </time>
    </span>
  )
}
