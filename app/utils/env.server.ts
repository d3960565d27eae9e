import { z } from 'zod'

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  SESSION_SECRET: z.string().min(16).optional(),
  MEILISEARCH_URL: z.string().url().optional(),
  MEILISEARCH_KEY: z.string().optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

/** Parses process.env once; throws with every problem listed so a bad deploy fails at boot. */
export function initEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid environment:\n${problems}`)
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET) {
    throw new Error('Invalid environment:\nSESSION_SECRET is required in production')
  }
  cached = parsed.data
  return cached
}

export function env(): Env {
  return cached ?? initEnv()
}

export function sessionSecret(): string {
  return env().SESSION_SECRET ?? 'dev-only-secret-not-for-production'
}
