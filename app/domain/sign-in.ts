import { PLATFORM_RULES } from './platform-rules'

export interface ThrottleRule {
  maxFailures: number
  windowMs: number
}

/**
 * Failed sign-ins are counted per identifier and per client; past the limit, wait until the oldest failure leaves
 * the window.
 */
export function signInBlockedUntil(
  failureTimes: Date[],
  now: Date,
  rule: ThrottleRule = PLATFORM_RULES.signIn,
): Date | null {
  const since = now.getTime() - rule.windowMs
  const recent = failureTimes
    .map((d) => d.getTime())
    .filter((t) => t > since)
    .sort((a, b) => a - b)
  if (recent.length < rule.maxFailures) return null
  return new Date(recent[recent.length - rule.maxFailures] + rule.windowMs)
}

/** An identifier is an email or a phone number; emails compare case-insensitively. */
export function normaliseIdentifier(raw: string): { kind: 'email' | 'phone'; value: string } {
  const value = raw.trim()
  if (value.includes('@')) return { kind: 'email', value: value.toLowerCase() }
  return { kind: 'phone', value: value.replace(/[\s-]/g, '') }
}
