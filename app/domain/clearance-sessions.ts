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

/** The one rule for "can this be bought now": the session is live at `now` and its brand is live. */
export function sellingAt(session: SessionWindow & { brandStatus: string }, now: Date): boolean {
  return session.brandStatus === 'live' && sessionPhase(session, now) === 'live'
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
  return {
    days: Math.floor(s / 86400),
    hours: Math.floor((s % 86400) / 3600),
    minutes: Math.floor((s % 3600) / 60),
    seconds: s % 60,
    totalMs,
  }
}

export type Boundary = 'started' | 'ended'

/** When a boundary falls, if it is due at `now` for a scheduled session. */
export function boundaryAt(session: SessionWindow, kind: Boundary, now: Date): Date | 'not_scheduled' | 'not_due' {
  if (session.status !== 'scheduled') return 'not_scheduled'
  const at = kind === 'started' ? session.startsAt : session.endsAt
  return now.getTime() < at.getTime() ? 'not_due' : at
}

// lifecycle rules for brand staff. Phases come from sessionPhase (the clock), never from a job.

/** Why a start time cannot be used (null when it can): at least `leadMs` ahead of now. */
export function startTimeProblem(
  startsAt: Date,
  now: Date,
  leadMs: number = PLATFORM_RULES.minScheduleLeadMs,
): 'invalid' | 'too_soon' | null {
  if (Number.isNaN(startsAt.getTime())) return 'invalid'
  return startsAt.getTime() < now.getTime() + leadMs ? 'too_soon' : null
}

/** The full window of a session starting at `startsAt`: exactly 48 h, after-sale deadline = end + 7 days. */
export function sessionWindowFor(startsAt: Date) {
  const endsAt = sessionEnd(startsAt)
  return { startsAt, endsAt, afterSaleDeadlineAt: afterSaleDeadline(endsAt) }
}

export type SessionAction =
  'edit_details' | 'add_item' | 'change_prices' | 'remove_item' | 'top_up' | 'schedule' | 'cancel'

/** What a brand may do to a session in each phase. While live only stock top-ups are allowed. */
export function allowedActions(phase: SessionPhase): SessionAction[] {
  switch (phase) {
    case 'draft':
      return ['edit_details', 'add_item', 'change_prices', 'remove_item', 'top_up', 'schedule', 'cancel']
    case 'upcoming':
      return ['add_item', 'change_prices', 'remove_item', 'top_up', 'cancel']
    case 'live':
      return ['top_up']
    default:
      return []
  }
}

export function can(phase: SessionPhase, action: SessionAction): boolean {
  return allowedActions(phase).includes(action)
}

/** Whether a session's allocation still ring-fences stock: not cancelled and not ended at `now`. */
export function holdsAllocation(session: SessionWindow, now: Date): boolean {
  const phase = sessionPhase(session, now)
  return phase !== 'cancelled' && phase !== 'ended'
}
