import { z } from 'zod'

// Every environment variable the app, the job worker, search and the database code read, with its type and
// default. Nothing outside this file reads process.env (a unit test scans for it): the server and the worker
// parse it all at start, so a bad value stops them with a message naming the variable.

const flag = (name: string) => z.enum(['0', '1'], { errorMap: () => ({ message: `${name} must be 1 or 0` }) })
const whole = (name: string, min: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  // Pool size of each process's shared database connections.
  DB_POOL_MAX: whole('DB_POOL_MAX', 1).default(20),
  // The embedded PostgreSQL used when DATABASE_URL is unset.
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: whole('EMBEDDED_PG_PORT', 1)
    .max(65535, 'EMBEDDED_PG_PORT must be a TCP port (at most 65535)')
    .default(54329),
  // A file the embedded PostgreSQL's log is appended to (a benchmark's auto_explain plans); unset: kept in memory only.
  EMBEDDED_PG_LOG: z.string().min(1).optional(),
  // Demo data: 1 seeds an empty DATABASE_URL too, 0 never seeds (default: an empty embedded database is seeded).
  SEED: flag('SEED').optional(),
  // 0: a freshly seeded demo keeps the generated art instead of getting its product photos shot and uploaded.
  DEMO_PHOTOS: flag('DEMO_PHOTOS').default('1'),
  // The job worker in this process: 1 always, 0 never (default: with the embedded database or outside production).
  RUN_WORKER: flag('RUN_WORKER').optional(),
  // 0: every checkout commits alone instead of in the hot-SKU group commit.
  GRAB_QUEUE: flag('GRAB_QUEUE').default('1'),
  // 1: /bench/* routes answer (benchmarks only).
  BENCH_ROUTES: flag('BENCH_ROUTES').default('0'),
  // 1: a page's scripts load after its first frame is painted (app/utils/after-first-paint.server.ts); 0: at once,
  // so that the page has hydrated when its load event fires. Default: 1 in production, 0 otherwise (the browser
  // tests act on a page the moment it has loaded, before a person could).
  SCRIPTS_AFTER_PAINT: flag('SCRIPTS_AFTER_PAINT').optional(),
  // Notifications: SMTP server (unset: mail is kept in the database, shown at /dev/mailbox), sender, Web Push
  // contact and an extra CA file for push endpoints, and deliveries sent per second at most.
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(1).optional(),
  VAPID_SUBJECT: z.string().min(1).optional(),
  PUSH_CA_FILE: z.string().min(1).optional(),
  NOTIFY_RATE_PER_SECOND: whole('NOTIFY_RATE_PER_SECOND', 1).optional(),
  // 1: session cookies without the Secure flag in production (plain-HTTP testing behind no TLS).
  INSECURE_COOKIES: flag('INSECURE_COOKIES').default('0'),
  // Set by `remix dev`: the server tells it when a rebuild is loaded.
  REMIX_DEV_ORIGIN: z.string().url().optional(),
  PORT: whole('PORT', 1).max(65535, 'PORT must be a TCP port (at most 65535)').default(3000),
  // Uploaded images: folder (default .data/uploads) and per-file limit in bytes (default the catalog rule's 5 MB).
  UPLOAD_DIR: z.string().min(1).optional(),
  UPLOAD_MAX_BYTES: whole('UPLOAD_MAX_BYTES', 1).optional(),
  // Share posters: cache folder (default .data/cards), its size bound, and CJK font files (colon list).
  CARDS_DIR: z.string().min(1).optional(),
  CARDS_CACHE_MAX_BYTES: whole('CARDS_CACHE_MAX_BYTES', 1).default(200 * 1024 * 1024),
  CARD_FONT_FILES: z.string().optional(),
  SESSION_SECRET: z.string().min(16).optional(),
  MEILISEARCH_URL: z.string().url().optional(),
  MEILISEARCH_KEY: z.string().optional(),
  MEILISEARCH_INDEX: z.string().min(1).default('session_items'),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  // Comma list of Checkout payment methods: card, alipay, wechat_pay.
  STRIPE_PAYMENT_METHODS: z
    .string()
    .regex(
      /^\s*(card|alipay|wechat_pay)(\s*,\s*(card|alipay|wechat_pay))*\s*$/,
      'comma list of card, alipay, wechat_pay',
    )
    .default('card'),
  // Where the Stripe client sends API calls (tests point these at a loopback stand-in).
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  // Stripe Connect events may come to /webhooks/stripe-connect with their own signing secret.
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().min(1).optional(),
  // The smallest withdrawal a payee may ask for, in minor units (default: the payout rules').
  PAYOUT_WITHDRAWAL_MINIMUM_MINOR: whole('PAYOUT_WITHDRAWAL_MINIMUM_MINOR', 1).optional(),
  // The site's public origin: share links, QR codes, Open Graph tags, payment return URLs. Default
  // http://localhost:PORT.
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'PUBLIC_URL must be an http(s) URL')
    .optional(),
  // Further Host names the server answers to (comma list, e.g. a LAN address for phone testing); others get 421.
  ALLOWED_HOSTS: z.string().optional(),
  // Proxies whose X-Forwarded-For is believed: "loopback", addresses or CIDR ranges (comma list), or a hop count.
  TRUST_PROXY: z.string().optional(),
  // Admission control (app/server/admission.ts): the most requests handled at once (the limit adapts below it to
  // keep the median handling time near ADMISSION_TARGET_MS), how many may wait, and for how long at most before 503.
  MAX_CONCURRENT_REQUESTS: whole('MAX_CONCURRENT_REQUESTS', 1).default(32),
  MAX_QUEUED_REQUESTS: whole('MAX_QUEUED_REQUESTS', 0).default(64),
  QUEUE_TIMEOUT_MS: whole('QUEUE_TIMEOUT_MS', 1).default(500),
  ADMISSION_TARGET_MS: whole('ADMISSION_TARGET_MS', 1).default(250),
  // Kept public pages sent per timer tick while orders or other requests are in flight (app/server/give-way.ts); 0
  // sends them as they come.
  KEPT_PAGES_PER_TICK: whole('KEPT_PAGES_PER_TICK', 0).default(4),
  // WeChat JS-SDK share cards on share and shop pages: an official account's AppID and AppSecret (both or neither;
  // the site's domain must be its JS interface domain). The API origin is for tests (a loopback stand-in).
  WECHAT_APP_ID: z.string().min(1).optional(),
  WECHAT_APP_SECRET: z.string().min(1).optional(),
  WECHAT_API_ORIGIN: z.string().url().default('https://api.weixin.qq.com'),
  // Threads each HTTP process renders pages on (app/server/render-pool.ts); 0 renders them on its event loop, as
  // `npm run dev` always does (its rebuilds reach the main thread only). Default: renderThreads in render-pool.ts.
  RENDER_THREADS: whole('RENDER_THREADS', 0)
    .max(16, 'RENDER_THREADS above 16 is surely a mistake (one or two per spare core)')
    .optional(),
  // The render threads' nice value (0–19): higher yields the cores to orders and the rest sooner.
  RENDER_THREAD_NICE: whole('RENDER_THREAD_NICE', 0)
    .max(19, 'RENDER_THREAD_NICE must be a nice value from 0 to 19')
    .default(10),
  // HTTP processes (node:cluster) sharing PORT; 1 = one process doing everything. See README, "Several processes".
  WEB_CONCURRENCY: z.coerce
    .number({ invalid_type_error: 'WEB_CONCURRENCY must be a whole number of HTTP processes, e.g. 2' })
    .int('WEB_CONCURRENCY must be a whole number of HTTP processes, e.g. 2')
    .min(1, 'WEB_CONCURRENCY must be at least 1 (1 = a single process)')
    .max(64, 'WEB_CONCURRENCY above 64 is surely a mistake (one per core is plenty)')
    .default(1),
})

export type Env = z.infer<typeof EnvSchema>
type Source = Record<string, string | undefined>

let cached: Env | undefined

/** An empty variable (`FOO= npm start`) counts as unset. */
function present(source: Source): Source {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
}

export class EnvError extends Error {
  constructor(problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`)
    this.name = 'EnvError'
  }
}

/**
 * Parses the environment once; throws with every problem listed, each naming its variable, so a bad deploy fails at
 * start.
 */
export function initEnv(source: Source = process.env): Env {
  const parsed = EnvSchema.safeParse(present(source))
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET) {
    throw new EnvError(['SESSION_SECRET: required in production'])
  }
  // The local test-payment provider moves no money: production must use Stripe.
  if (parsed.data.NODE_ENV === 'production' && (!parsed.data.STRIPE_SECRET_KEY || !parsed.data.STRIPE_WEBHOOK_SECRET)) {
    throw new EnvError([
      'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: required in production (the test-payment provider is refused)',
    ])
  }
  if (Boolean(parsed.data.WECHAT_APP_ID) !== Boolean(parsed.data.WECHAT_APP_SECRET)) {
    throw new EnvError(['WECHAT_APP_ID and WECHAT_APP_SECRET: set both for WeChat share cards, or neither'])
  }
  cached = parsed.data
  return cached
}

/** For a process's entry point: the parsed environment, or the problems on stderr and exit code 1 (no stack trace). */
export function initEnvOrExit(source: Source = process.env): Env {
  try {
    return initEnv(source)
  } catch (error) {
    if (!(error instanceof EnvError)) throw error
    console.error(`${error.message}\nFix these variables (see app/server/README.md, "Configuration") and start again.`)
    process.exit(1)
  }
}

export function env(): Env {
  return cached ?? initEnv()
}

/**
 * One variable, read now through its schema. For settings read while running (tests change them between
 * cases); the entry points have already refused a bad value at start with initEnv.
 */
export function setting<K extends keyof Env>(key: K, source: Source = process.env): Env[K] {
  const value = source[key]
  const parsed = EnvSchema.shape[key].safeParse(value === '' ? undefined : value)
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((i) => `${key}: ${i.message}`))
  return parsed.data as Env[K]
}

/** The database the process prepared (the embedded one): later reads, and HTTP processes it forks, use it. */
export function useDatabaseUrl(url: string): void {
  process.env.DATABASE_URL = url
  if (cached) cached = { ...cached, DATABASE_URL: url }
}

/** This process's environment with some settings replaced: what a render thread starts with (its own pool size). */
export function environmentWith(overrides: Partial<Record<keyof Env, string>>): Record<string, string | undefined> {
  return { ...process.env, ...overrides }
}

export function sessionSecret(): string {
  return env().SESSION_SECRET ?? 'dev-only-secret-not-for-production'
}

/** Payment settings, read afresh each call (tests switch providers by changing process.env). */
export function paymentConfig(source: Source = process.env) {
  const parsed = EnvSchema.pick({
    NODE_ENV: true,
    STRIPE_SECRET_KEY: true,
    STRIPE_WEBHOOK_SECRET: true,
    STRIPE_PAYMENT_METHODS: true,
    STRIPE_API_HOST: true,
    STRIPE_API_PORT: true,
    STRIPE_API_PROTOCOL: true,
  }).parse(present(source))
  return {
    production: parsed.NODE_ENV === 'production',
    stripeSecretKey: parsed.STRIPE_SECRET_KEY ?? null,
    stripeWebhookSecret: parsed.STRIPE_WEBHOOK_SECRET ?? null,
    stripePaymentMethods: [...new Set(parsed.STRIPE_PAYMENT_METHODS.split(',').map((m) => m.trim()))] as Array<
      'card' | 'alipay' | 'wechat_pay'
    >,
    stripeApi: { host: parsed.STRIPE_API_HOST, port: parsed.STRIPE_API_PORT, protocol: parsed.STRIPE_API_PROTOCOL },
  }
}
export type PaymentConfig = ReturnType<typeof paymentConfig>

/** WeChat JS-SDK settings, read afresh each call (tests switch them); null when share cards are off. */
const WechatSchema = EnvSchema.pick({ WECHAT_APP_ID: true, WECHAT_APP_SECRET: true, WECHAT_API_ORIGIN: true })
// The last three values read and what they parsed to: parsing them through Zod on every page cost it ~0.07 ms, and
// they hardly ever change (a change, as tests make, is parsed afresh).
let lastWechat: { id?: string; secret?: string; origin?: string; config: WechatConfig | null } | undefined

export function wechatConfig(source: Source = process.env) {
  // Only these three are read: every page's policy asks, and copying the whole environment cost each page ~0.1 ms.
  const { WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_API_ORIGIN } = source
  const last = lastWechat
  if (last && last.id === WECHAT_APP_ID && last.secret === WECHAT_APP_SECRET && last.origin === WECHAT_API_ORIGIN)
    return last.config
  const parsed = WechatSchema.parse(present({ WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_API_ORIGIN }))
  const config =
    parsed.WECHAT_APP_ID && parsed.WECHAT_APP_SECRET
      ? Object.freeze({
          appId: parsed.WECHAT_APP_ID,
          appSecret: parsed.WECHAT_APP_SECRET,
          apiOrigin: parsed.WECHAT_API_ORIGIN,
        })
      : null
  lastWechat = { id: WECHAT_APP_ID, secret: WECHAT_APP_SECRET, origin: WECHAT_API_ORIGIN, config }
  return config
}
export type WechatConfig = Readonly<{ appId: string; appSecret: string; apiOrigin: string }>
