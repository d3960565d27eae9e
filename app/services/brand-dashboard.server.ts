import type { Db } from '#db/client'
import { listSaleMovements } from '#db/queries/stock-movements'
import { ordersToShip, revenueBySession } from '#db/queries/brand-dashboard'
import { soldShareBps, unitsPerHour } from '#app/domain/session-items'
import { brandSessionList } from './brand-sessions.server'

/** The brand console: every session of the brand with sell-through, totals, and a per-hour sales chart for one session. */
export async function brandDashboard(db: Db, brandId: string, now: Date, chartSessionId?: string) {
  const [revenue, sessionList, toShip] = await Promise.all([revenueBySession(db, brandId), brandSessionList(db, brandId, now), ordersToShip(db, brandId, now)])
  const sessions = sessionList.filter((s) => s.phase !== 'cancelled')
    .map((s) => ({ ...s, revenueMinor: revenue.get(s.id)?.revenueMinor ?? 0, orders: revenue.get(s.id)?.orders ?? 0 }))
  const totals = sessions.reduce((t, s) => ({ allocated: t.allocated + s.allocated, sold: t.sold + s.sold, remaining: t.remaining + s.remaining, soldValueMinor: t.soldValueMinor + s.soldValueMinor, revenueMinor: t.revenueMinor + s.revenueMinor }),
    { allocated: 0, sold: 0, remaining: 0, soldValueMinor: 0, revenueMinor: 0 })
  const totalsWithShare = { ...totals, sellThroughBps: soldShareBps(totals.sold, totals.allocated) }
  // Default chart: the live session, else the most recent one that has started.
  const started = sessions.filter((s) => s.phase === 'live' || s.phase === 'ended')
  const chartSession = sessions.find((s) => s.id === chartSessionId) ?? started.find((s) => s.phase === 'live') ?? started[0] ?? null
  let chart: { sessionId: string; title: string; titleEn: string; startsAt: string; perHour: number[]; elapsedHours: number } | null = null
  if (chartSession) {
    const startsAt = new Date(chartSession.startsAt)
    const moves = await listSaleMovements(db, brandId, chartSession.id)
    chart = {
      sessionId: chartSession.id, title: chartSession.title, titleEn: chartSession.titleEn, startsAt: chartSession.startsAt,
      perHour: unitsPerHour(moves.map((m) => ({ kind: m.kind, quantity: m.quantity, createdAt: m.created_at })), startsAt),
      elapsedHours: Math.max(0, Math.min(48, Math.ceil((now.getTime() - startsAt.getTime()) / 3_600_000))),
    }
  }
  return { sessions, totals: totalsWithShare, chart, toShip }
}
