import { env } from './env.server'

/**
 * The time a page is computed at: now, except in browser tests (NODE_ENV=test), which may pass `?at=<ISO time>`
 * to see a page as it will be later (earnings becoming available after a session's after-sale deadline).
 */
export function requestClock(request: Request): Date {
  if (env().NODE_ENV === 'test') {
    const at = new URL(request.url).searchParams.get('at')
    const d = at ? new Date(at) : null
    if (d && !Number.isNaN(d.getTime())) return d
  }
  return new Date()
}
