// What each member level gives, and what a change of level means for the member, in data the page words.
import { discountWords } from './discount-words'
import type { VipTier } from './pricing'

export interface LevelRow {
  level: number
  thresholdPoints: number
  /** The level's wholesale price against the base price; null at the base price (Trial). */
  price: { zhe: string; off: number } | null
  keepPointsPerMonth: number | null
  /** A personal invitation code comes with VIP1 and above. */
  inviteCode: boolean
  current: boolean
}

export function levelTable(tiers: readonly VipTier[], currentLevel: number): LevelRow[] {
  return [...tiers]
    .sort((a, b) => a.level - b.level)
    .map((t) => ({
      level: t.level,
      thresholdPoints: t.thresholdPoints,
      price: discountWords(10_000 - t.discountBps),
      keepPointsPerMonth: t.keepPointsPerMonth,
      inviteCode: t.level >= 1,
      current: t.level === currentLevel,
    }))
}

export interface LevelChange {
  from: number
  to: number
  /** How the level went down: the monthly keep-level judgement, or points taken back (a refund). */
  cause: 'retention' | 'points' | null
  at: Date
}

export interface LevelChangeNotice {
  direction: 'up' | 'down'
  from: number
  to: number
  cause: LevelChange['cause']
  price: { zhe: string; off: number } | null
  /** Points still needed to climb back to the level lost (down only). */
  pointsBack: number | null
}

/** How long the member centre shows a change of level. */
export const LEVEL_NOTICE_DAYS = 14

/** The notice for the member's latest change of level, while it is recent and still her level; else null. */
export function levelChangeNotice(
  change: LevelChange | null,
  input: { level: number; balance: number; tiers: readonly VipTier[]; now: Date },
): LevelChangeNotice | null {
  if (!change || change.from === change.to || change.to !== input.level) return null
  if (input.now.getTime() - change.at.getTime() > LEVEL_NOTICE_DAYS * 86_400_000) return null
  const tier = input.tiers.find((t) => t.level === change.to)
  const lost = input.tiers.find((t) => t.level === change.from)
  const down = change.to < change.from
  return {
    direction: down ? 'down' : 'up',
    from: change.from,
    to: change.to,
    cause: down ? change.cause : null,
    price: discountWords(10_000 - (tier?.discountBps ?? 0)),
    pointsBack: down && lost ? Math.max(0, lost.thresholdPoints - input.balance) : null,
  }
}

/** A level as the notification stored it ('Trial', 'VIP3') back to its number; null when unreadable. */
export function levelFromLabel(label: unknown): number | null {
  if (label === 'Trial') return 0
  const m = typeof label === 'string' ? /^VIP([1-9][0-9]?)$/.exec(label) : null
  return m ? Number(m[1]) : null
}
