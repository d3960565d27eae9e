import type { Db } from '#db/client'
import { ordersToShip, paidSalesBySession, paidUnitsByOrderTime } from '#db/queries/brand-dashboard'
import { soldShareBps, unitsPerHour } from '#app/domain/session-items'
import { brandSessionList } from './brand-sessions.server'

/**
 * The brand console: every session of the brand with sell-through, totals, and a per-hour sales chart for one
 * session. Sold units, their value, revenue and the chart all come from the paid orders; allocation and what is
 * left come from the session's stock.
 */
export async function brandDashboard(db: Db, brandId: string, now: Date, chartSessionId?: string) {
  const [paid, sessionList, toShip] = await Promise.all([
    paidSalesBySession(db, brandId),
    brandSessionList(db, brandId, now),
    ordersToShip(db, brandId, now),
  ])
  const sessions = sessionList
    .filter((s) => s.phase !== 'cancelled')
    .map((s) => {
      const p = paid.get(s.id)
      const sold = p?.units ?? 0
      return {
        ...s,
        sold,
        sellThroughBps: soldShareBps(sold, s.allocated),
        soldValueMinor: p?.grossMinor ?? 0,
        revenueMinor: p?.revenueMinor ?? 0,
        orders: p?.orders ?? 0,
      }
    })
  const totals = sessions.reduce(
    (t, s) => ({
      allocated: t.allocated + s.allocated,
      sold: t.sold + s.sold,
      remaining: t.remaining + s.remaining,
      soldValueMinor: t.soldValueMinor + s.soldValueMinor,
      revenueMinor: t.revenueMinor + s.revenueMinor,
    }),
    { allocated: 0, sold: 0, remaining: 0, soldValueMinor: 0, revenueMinor: 0 },
  )
  const totalsWithShare = { ...totals, sellThroughBps: soldShareBps(totals.sold, totals.allocated) }
  // Default chart: the live session, else the most recent one that has started.
  const started = sessions.filter((s) => s.phase === 'live' || s.phase === 'ended')
  const chartSession =
    sessions.find((s) => s.id === chartSessionId) ?? started.find((s) => s.phase === 'live') ?? started[0] ?? null
  let chart: {
    sessionId: string
    title: string
    titleEn: string
    startsAt: string
    perHour: number[]
    elapsedHours: number
  } | null = null
  if (chartSession) {
    const startsAt = new Date(chartSession.startsAt)
    const lines = await paidUnitsByOrderTime(db, brandId, chartSession.id)
    const moves = lines.map((l) => ({ kind: 'sale' as const, quantity: -l.units, created_at: l.created_at }))
    chart = {
      sessionId: chartSession.id,
      title: chartSession.title,
      titleEn: chartSession.titleEn,
      startsAt: chartSession.startsAt,
      perHour: unitsPerHour(
        moves.map((m) => ({ kind: m.kind, quantity: m.quantity, createdAt: m.created_at })),
        startsAt,
      ),
      elapsedHours: Math.max(0, Math.min(48, Math.ceil((now.getTime() - startsAt.getTime()) / 3_600_000))),
    }
  }
  return { sessions, totals: totalsWithShare, chart, toShip }
}
