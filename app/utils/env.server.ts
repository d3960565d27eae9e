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
  // Comma list of Checkout payment methods: card, alipay, wechat_pay.
  STRIPE_PAYMENT_METHODS: z.string().regex(/^\s*(card|alipay|wechat_pay)(\s*,\s*(card|alipay|wechat_pay))*\s*$/, 'comma list of card, alipay, wechat_pay').default('card'),
  // Where the Stripe client sends API calls (tests point these at a loopback stand-in).
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  // The site's public origin: share links, QR codes, Open Graph tags, payment return URLs. Default http://localhost:PORT.
  PUBLIC_URL: z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'PUBLIC_URL must be an http(s) URL').optional(),
  // Further Host names the server answers to (comma list, e.g. a LAN address for phone testing); others get 421.
  ALLOWED_HOSTS: z.string().optional(),
  // Proxies whose X-Forwarded-For is believed: "loopback", addresses or CIDR ranges (comma list), or a hop count.
  TRUST_PROXY: z.string().optional(),
  // Admission control: requests handled at once, and how many may wait (at most QUEUE_TIMEOUT_MS) before 503.
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).default(32),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).default(64),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).default(1000),
  // HTTP processes (node:cluster) sharing PORT; 1 = one process doing everything. See README, "Several processes".
  WEB_CONCURRENCY: z.coerce.number({ invalid_type_error: 'WEB_CONCURRENCY must be a whole number of HTTP processes, e.g. 2' })
    .int('WEB_CONCURRENCY must be a whole number of HTTP processes, e.g. 2')
    .min(1, 'WEB_CONCURRENCY must be at least 1 (1 = a single process)')
    .max(64, 'WEB_CONCURRENCY above 64 is surely a mistake (one per core is plenty)')
    .default(1),
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
  // The local test-payment provider moves no money: production must use Stripe.
  if (parsed.data.NODE_ENV === 'production' && (!parsed.data.STRIPE_SECRET_KEY || !parsed.data.STRIPE_WEBHOOK_SECRET)) {
    throw new Error('Invalid environment:\nSTRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are required in production (the test-payment provider is refused)')
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

/** Payment settings, read afresh each call (tests switch providers by changing process.env). */
export function paymentConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.pick({
    NODE_ENV: true, STRIPE_SECRET_KEY: true, STRIPE_WEBHOOK_SECRET: true, STRIPE_PAYMENT_METHODS: true,
    STRIPE_API_HOST: true, STRIPE_API_PORT: true, STRIPE_API_PROTOCOL: true,
  }).parse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')))
  return {
    production: parsed.NODE_ENV === 'production',
    stripeSecretKey: parsed.STRIPE_SECRET_KEY ?? null,
    stripeWebhookSecret: parsed.STRIPE_WEBHOOK_SECRET ?? null,
    stripePaymentMethods: [...new Set(parsed.STRIPE_PAYMENT_METHODS.split(',').map((m) => m.trim()))] as Array<'card' | 'alipay' | 'wechat_pay'>,
    stripeApi: { host: parsed.STRIPE_API_HOST, port: parsed.STRIPE_API_PORT, protocol: parsed.STRIPE_API_PROTOCOL },
  }
}
export type PaymentConfig = ReturnType<typeof paymentConfig>
