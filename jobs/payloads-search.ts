import { z } from 'zod'

// Search jobs take no input (cron passes `_cron` details, which are ignored).
export const DrainSearchOutboxPayload = z.object({}).passthrough()
export const CheckSearchDriftPayload = z.object({}).passthrough()
