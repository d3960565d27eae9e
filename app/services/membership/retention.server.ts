import type { Db } from '#db/client'
import {
  bumpRetentionRun,
  finishRetentionRun,
  insertJudgement,
  insertLedgerRow,
  lastFinishedRetentionMonth,
  lockMember,
  nextRetentionBatch,
  pointsBalance,
  pointsEarnedBetween,
  selectVipTiers,
  setMemberLevel,
  startRetentionRun,
} from '#db/queries/membership'
import {
  judgeRetention,
  levelForPoints,
  monthDate,
  monthsToJudge,
  shanghaiMonthRange,
  tierOf,
} from '#app/domain/membership'
import { ensurePersonalCode } from './growth.server'
import { levelChanged } from '../notifications/events.server'

export interface RetentionOptions {
  now: Date
  batchSize?: number
  /** Judge this month ('YYYY-MM') only; otherwise every month not yet judged up to the one that just ended. */
  month?: string
  /** Test hook: called after each committed batch (a crash here must leave a resumable run). */
  afterBatch?: (info: { month: string; judged: number }) => void | Promise<void>
}

export interface MonthSummary {
  month: string
  judged: number
  dropped: number
  alreadyFinished: boolean
}

/**
 * Monthly retention (保级). For each month to judge: a retention_runs row marks the run, members are
 * taken in batches (one transaction each) and each judged member gets a retention_judgements marker in
 * the same transaction as their ledger row and level change, so a crash loses at most the uncommitted
 * batch and a rerun continues where it stopped; a finished month is never judged again.
 */
export async function runMonthlyRetention(db: Db, options: RetentionOptions): Promise<MonthSummary[]> {
  const months = options.month ? [options.month] : monthsToJudge(await lastFinishedRetentionMonth(db), options.now)
  const out: MonthSummary[] = []
  for (const month of months) {
    // A month is judged only once it is over in Asia/Shanghai.
    if (shanghaiMonthRange(month).end.getTime() > options.now.getTime()) continue
    out.push(await judgeMonth(db, month, options))
  }
  return out
}

async function judgeMonth(db: Db, month: string, options: RetentionOptions): Promise<MonthSummary> {
  const key = monthDate(month)
  const { start, end } = shanghaiMonthRange(month)
  const { finished } = await startRetentionRun(db, key, options.now)
  if (finished) return { month, judged: 0, dropped: 0, alreadyFinished: true }
  let judgedTotal = 0
  let droppedTotal = 0
  for (;;) {
    const { judged, dropped } = await db.transaction().execute(async (trx) => {
      const ids = await nextRetentionBatch(trx, key, end, options.batchSize ?? 200)
      const tiers = await selectVipTiers(trx)
      let dropped = 0
      for (const id of ids) {
        const member = (await lockMember(trx, id))!
        const earned = await pointsEarnedBetween(trx, id, start, end)
        const verdict = judgeRetention({
          level: member.vip_level,
          levelSince: member.level_since,
          earned,
          month,
          tiers,
        })
        let toLevel = member.vip_level
        if (verdict.action === 'drop') {
          // Points are set to the new level's threshold as of the month's end; what was earned since stays.
          const balanceAtEnd = await pointsBalance(trx, id, end)
          const delta = verdict.resetTo - balanceAtEnd
          if (delta !== 0)
            await insertLedgerRow(trx, {
              memberId: id,
              delta,
              reason: 'retention_reset',
              retentionMonth: key,
              now: options.now,
              note: `VIP${member.vip_level} → ${verdict.toLevel}`,
            })
          const balance = await pointsBalance(trx, id)
          toLevel = Math.max(verdict.toLevel, Math.min(member.vip_level, levelForPoints(balance, tiers)))
          // The new level counts as held from the start of the next month, so that month is judged too.
          await setMemberLevel(trx, id, toLevel, end)
          await levelChanged(trx, {
            memberId: id,
            from: member.vip_level,
            to: toLevel,
            key: `retention:${key}`,
            now: options.now,
          })
          if (toLevel >= 1) await ensurePersonalCode(trx, id, options.now)
          dropped++
        }
        await insertJudgement(trx, {
          monthDate: key,
          memberId: id,
          fromLevel: member.vip_level,
          toLevel,
          earned,
          keep: tierOf(member.vip_level, tiers)?.keepPointsPerMonth ?? null,
          now: options.now,
        })
      }
      await bumpRetentionRun(trx, key, ids.length, dropped)
      return { judged: ids.length, dropped }
    })
    judgedTotal += judged
    droppedTotal += dropped
    if (judged === 0) break
    await options.afterBatch?.({ month, judged })
  }
  await finishRetentionRun(db, key, options.now)
  return { month, judged: judgedTotal, dropped: droppedTotal, alreadyFinished: false }
}
