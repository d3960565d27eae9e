import { z } from 'zod'

// monthly_retention: normally empty (cron); `now` and `month` let an operator or a test replay a month.
export const MonthlyRetentionPayload = z.object({
  now: z.string().datetime().optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
}).strict()
export type MonthlyRetentionPayload = z.infer<typeof MonthlyRetentionPayload>
