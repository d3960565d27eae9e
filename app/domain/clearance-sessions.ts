import { PLATFORM_RULES } from './platform-rules'

export type SessionStatus = 'draft' | 'scheduled' | 'cancelled'
export type SessionPhase = 'draft' | 'upcoming' | 'live' | 'ended' | 'cancelled'

export interface SessionWindow {
  status: SessionStatus
  startsAt: Date
  endsAt: Date
}

/** Live-ness comes from the clock at request time (starts_at ≤ now < ends_at), never from a job. */
export function sessionPhase(session: SessionWindow, now: Date): SessionPhase {
  if (session.status === 'cancelled') return 'cancelled'
  if (session.status === 'draft') return 'draft'
  const t = now.getTime()
  if (t < session.startsAt.getTime()) return 'upcoming'
  if (t < session.endsAt.getTime()) return 'live'
  return 'ended'
}

export function isSessionOpen(session: SessionWindow, now: Date): boolean {
  return sessionPhase(session, now) === 'live'
}

export function sessionEnd(startsAt: Date): Date {
  return new Date(startsAt.getTime() + PLATFORM_RULES.sessionDurationMs)
}

export function afterSaleDeadline(endsAt: Date): Date {
  return new Date(endsAt.getTime() + PLATFORM_RULES.afterSaleWindowMs)
}

/** Milliseconds until the next boundary that matters to a viewer: the start if upcoming, the end if live. */
export function countdownTarget(session: SessionWindow, now: Date): Date | null {
  const phase = sessionPhase(session, now)
  if (phase === 'upcoming') return session.startsAt
  if (phase === 'live') return session.endsAt
  return null
}

export interface Remaining {
  days: number
  hours: number
  minutes: number
  seconds: number
  totalMs: number
}

export function remaining(target: Date, now: Date): Remaining {
  const totalMs = Math.max(0, target.getTime() - now.getTime())
  const s = Math.floor(totalMs / 1000)
  return { days: Math.floor(s / 86400), hours: Math.floor((s % 86400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60, totalMs }
}

export type Boundary = 'started' | 'ended'

/** When a boundary falls, if it is due at `now` for a scheduled session. */
export function boundaryAt(session: SessionWindow, kind: Boundary, now: Date): Date | 'not_scheduled' | 'not_due' {
  if (session.status !== 'scheduled') return 'not_scheduled'
  const at = kind === 'started' ? session.startsAt : session.endsAt
  return now.getTime() < at.getTime() ? 'not_due' : at
}
