import type { Task } from 'graphile-worker'
import type { Db } from '#db/client'
import { runMonthlyRetention } from '#app/services/membership/retention.server'
import { MonthlyRetentionPayload } from '../payloads-membership'

/** Daily at 00:05 Asia/Shanghai: judges every Shanghai month that has ended and is not judged yet. */
export function monthlyRetentionTask(db: Db): Task {
  return async (payload) => {
    const input = MonthlyRetentionPayload.parse(payload ?? {})
    await runMonthlyRetention(db, { now: input.now ? new Date(input.now) : new Date(), month: input.month })
  }
}
