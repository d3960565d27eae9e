import { z } from 'zod'

// monthly_retention: from the crontab graphile-worker sends `{ _cron: { ts, backfilled } }`;
// `now` and `month` let an operator or a test replay a month.
export const MonthlyRetentionPayload = z
  .object({
    now: z.string().datetime().optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
    _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).passthrough().optional(),
  })
  .strict()
export type MonthlyRetentionPayload = z.infer<typeof MonthlyRetentionPayload>
