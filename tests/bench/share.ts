// Viral share page: a reseller's share page (and her shop) under 500 connections while 200 of her customers order
// its hot item through the page's no-account checkout. Then the customer storm alone: 200 customers on one hot
// SKU through a share page, median of BENCH_ROUNDS, each against the ceiling measured just before it. The books
// are checked in SQL after the server is killed and PostgreSQL crashed.
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { measureCeiling, type CeilingResult } from './ceiling'
import type { CustomerClientConfig, CustomerClientResult } from './customer-client'
import { seedLiveSession, seedReseller, seedSingleSku } from './fixtures'
import {
  backgroundLoad,
  load,
  loadAverage,
  log,
  OUT_DIR,
  ROOT,
  round,
  sleep,
  spread,
  startBenchDatabase,
  startServer,
  topStatements,
  type LoadResult,
  type SummaryRow,
} from './harness'

const run = promisify(execFile)

export const SHARE = {
  connections: Number(process.env.BENCH_SHARE_CONNECTIONS ?? 500),
  seconds: Number(process.env.BENCH_SHARE_SECONDS ?? 10),
  customers: Number(process.env.BENCH_SHARE_CUSTOMERS ?? 200),
  stormSeconds: Number(process.env.BENCH_CUSTOMER_MAX_SECONDS ?? 15),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  /** BENCH_SHARE_PAGES=0: only the customer storms (no page loads before them). */
  pages: process.env.BENCH_SHARE_PAGES !== '0',
  /** BENCH_STATEMENTS=1: where the database's time went in each customer storm. */
  statements: process.env.BENCH_STATEMENTS === '1',
}
/** A stand-in for Stripe's API, so nothing waits on a closed port (orders open no payment: her pay step does). */
const STRIPE_PORT = Number(process.env.BENCH_STRIPE_PORT ?? 3129)

interface CustomerStorm {
  round: number
  ceilingPerSec: number
  client: CustomerClientResult
  ratio: number
  checks: Record<string, { ok: boolean; detail: string }>
  sessionItemSkuId: string
  loadAverage: number
  /** The server's CPU time (user + system) during the storm ÷ orders placed. */
  cpuMsPerOrder: number
  /** The group-commit queue over the storm: batches, mean purchases per batch, mean ms per batch. */
  batches: { batches: number; meanBatch: number; meanCommitMs: number; largestBatch: number } | null
  statements?: Awaited<ReturnType<typeof topStatements>>
}

export async function shareScenario() {
  const database = await startBenchDatabase('share', { statements: SHARE.statements })
  const stripe = await fakeStripe(STRIPE_PORT)
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  try {
    let db = database.db
    log('share: seeding a live session, a reseller with a share list of 9 items and a shop…')
    const { brand, session, items } = await seedLiveSession(db, { items: 8, unitsPerSku: 200, slug: 'bench-share' })
    const hot = await seedSingleSku(db, {
      brandId: brand.id,
      sessionId: session.id,
      units: 100_000,
      perMemberCap: 5,
      position: 100,
      title: '爆款连衣裙 viral',
    })
    const warmUp = await seedSingleSku(db, {
      brandId: brand.id,
      sessionId: session.id,
      units: 1_000,
      perMemberCap: 5,
      position: 99,
      title: '预热 warm-up',
    })
    const member = await seedReseller(db, 'bench-reseller')
    const { forwardItems } = await import('#app/services/reseller/forwarding.server')
    const { listWholeSession, setShopHandle } = await import('#app/services/reseller/shop.server')
    const rule = { kind: 'percent', value: 1000, rounding: 'none' } as const
    const forward = async (itemIds: string[], mode: 'list' | 'single') =>
      (
        await forwardItems(db, member, {
          sessionId: session.id,
          itemIds,
          prices: new Map(),
          rule,
          mode,
          now: new Date(),
        })
      )[0]!.token
    const token = await forward([hot.itemId, ...items.map((i) => i.itemId)], 'list')
    const warmUpLink = await forward([warmUp.itemId], 'single')
    const handle = await setShopHandle(db, member.id, 'bench-lily', new Date())
    await listWholeSession(db, member.id, { sessionId: session.id, rule }, new Date())

    server = await startServer({
      name: 'share',
      databaseUrl: database.url,
      env: { STRIPE_API_PORT: String(STRIPE_PORT) },
    })
    const base = server.baseUrl
    const shareUrl = `${base}/s/${token}`
    const shopUrl = `${base}/shop/${handle}`
    for (const url of [shareUrl, shopUrl]) {
      const res = await fetch(url)
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
    }
    const n = SHARE.connections
    // Orders before the measured ones (not counted), on an item of their own: the viral part was the server's first
    // orders otherwise, and its first 200 (one per customer) took ~345 ms each, a cold order path, the whole of the
    // storm's p99.
    log('share: warm-up (orders from another link)…')
    await customers(base, `/s/${warmUpLink}`, [warmUp.sessionItemSkuId], 1_000, 3, 'warm-up')
    const pages = SHARE.pages
      ? await viralPages(base, shareUrl, shopUrl, token, hot.sessionItemSkuId, () => server!.cpuSeconds())
      : null

    const storms: CustomerStorm[] = []
    const ceilings: CeilingResult[] = []
    for (let r = 0; r < SHARE.rounds; r++) {
      const sku = await seedSingleSku(db, {
        brandId: brand.id,
        sessionId: session.id,
        units: 5_000,
        perMemberCap: 5,
        position: 101 + r,
        title: `爆款 customers ${r}`,
      })
      const link = await forward([sku.itemId], 'single')
      await expireHolds(db)
      const ceiling = await measureCeiling(db, database.url, database.pgVersion, database.settings, r)
      ceilings.push(ceiling)
      log(`share: round ${r + 1}/${SHARE.rounds}: ceiling ${ceiling.decrementsPerSec}/s; customer storm…`)
      if (SHARE.statements) await sql`select pg_stat_statements_reset()`.execute(db)
      const queueBefore = await queueStats(base)
      const cpuBefore = server.cpuSeconds()
      const client = await customers(base, `/s/${link}`, [sku.sessionItemSkuId], 5_000, SHARE.stormSeconds, `c${r}`)
      const cpuMsPerOrder = round(((server.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, client.orders), 2)
      const batches = queueDelta(queueBefore, await queueStats(base))
      storms.push({
        round: r,
        ceilingPerSec: ceiling.decrementsPerSec,
        client,
        ratio: round(client.ordersPerSec / ceiling.decrementsPerSec, 3),
        checks: {},
        sessionItemSkuId: sku.sessionItemSkuId,
        loadAverage: round(loadAverage(), 1),
        cpuMsPerOrder,
        batches,
        statements: SHARE.statements ? await topStatements(db) : undefined,
      })
      log(
        `share: ${client.ordersPerSec} orders/s, p99 ${client.latencyMs.p99} ms (302s ${client.placedLatencyMs.p99} ms), ${cpuMsPerOrder} ms server CPU per order (client ${client.clientCpuMsPerOrder}); ` +
          `batch ${batches?.meanBatch} in ${batches?.meanCommitMs} ms; ${JSON.stringify(client.statuses)}; load ${round(loadAverage(), 1)}`,
      )
    }

    log('share: SIGKILL the server, crash PostgreSQL, restart, then check the books in SQL…')
    const peakRssMb = server.memory().peakRssMb
    await server.kill()
    server = null
    await database.crashAndRestart()
    db = database.db
    const viralChecks = pages ? await verify(db, hot.sessionItemSkuId, pages.viral.units, pages.viral.orders) : {}
    for (const s of storms) s.checks = await verify(db, s.sessionItemSkuId, s.client.units, s.client.orders)

    const okRate = (l: LoadResult) => round((l.requests - l.non2xx) / l.durationS, 1)
    const pageNote = (l: LoadResult) =>
      `${l.requests} answered, ${l.non2xx} not 2xx (admission 503s), ${l.errors} errors; p50 ${l.p50Ms} ms`
    const allOk = (c: Record<string, { ok: boolean; detail: string }>) => Object.values(c).every((x) => x.ok)
    const checkText = (c: Record<string, { ok: boolean; detail: string }>) =>
      Object.entries(c)
        .map(([k, x]) => `${k}:${x.ok ? 'ok' : x.detail}`)
        .join('; ')
    const medianCeiling = spread(ceilings.map((c) => c.decrementsPerSec))
    const pageRows = ({
      bare,
      shareAlone,
      sharePage,
      shopPage,
      viral,
      stormCpu,
    }: NonNullable<typeof pages>): SummaryRow[] => [
      { scenario: 'share', metric: `bare page 2xx/s (${n} conn)`, value: String(okRate(bare)), note: pageNote(bare) },
      {
        scenario: 'share',
        metric: `share page alone 2xx/s (${n} conn)`,
        value: String(okRate(shareAlone)),
        target: '≥ 0.8 × bare',
        note: `${round(okRate(shareAlone) / Math.max(1, okRate(bare)), 2)} × bare; p99 ${shareAlone.p99Ms} ms; ${pageNote(shareAlone)}`,
      },
      {
        scenario: 'share',
        metric: `during the order storm: share page 2xx/s (${n - n / 5} conn)`,
        value: String(okRate(sharePage)),
        note: `${round(okRate(sharePage) / Math.max(1, okRate(bare)), 2)} × bare (× 0.8 of the connections); p99 ${sharePage.p99Ms} ms; ${pageNote(sharePage)}`,
      },
      {
        scenario: 'share',
        metric: `during the order storm: shop 2xx/s (${n / 5} conn)`,
        value: String(okRate(shopPage)),
        note: `p99 ${shopPage.p99Ms} ms; ${pageNote(shopPage)}`,
      },
      {
        scenario: 'share',
        metric: `customer orders/s during the page load (${SHARE.customers} customers)`,
        value: String(viral.ordersPerSec),
        note: `${viral.orders} orders in ${viral.elapsedS} s, p50 ${viral.latencyMs.p50} / p99 ${viral.latencyMs.p99} ms; ceiling ${medianCeiling}/s; statuses ${JSON.stringify(viral.statuses)}; server CPU ${stormCpu} s`,
      },
      {
        scenario: 'share',
        metric: 'SQL checks after the crash (viral item)',
        value: allOk(viralChecks) ? 'all ok' : 'FAILED',
        note: checkText(viralChecks),
      },
    ]
    const rows: SummaryRow[] = [
      ...(pages ? pageRows(pages) : []),
      { scenario: 'customers', metric: `ceiling, median of ${ceilings.length}`, value: medianCeiling },
      {
        scenario: 'customers',
        metric: `customer orders/s, ${SHARE.customers} customers, one hot SKU (median of ${storms.length})`,
        value: spread(storms.map((s) => s.client.ordersPerSec)),
        note: storms.map((s) => `${s.client.orders} in ${s.client.elapsedS} s`).join('; '),
      },
      {
        scenario: 'customers',
        metric: "orders/s ÷ same round's ceiling",
        value: spread(
          storms.map((s) => s.ratio),
          2,
        ),
        target: '≥ 0.75',
      },
      {
        scenario: 'customers',
        metric: 'latency p50 / p99',
        value: `${spread(storms.map((s) => s.client.latencyMs.p50))} / ${spread(storms.map((s) => s.client.latencyMs.p99))} ms`,
        target: 'p99 ≤ 300 ms',
        note: `every answer; orders placed (302) alone: p50 ${spread(storms.map((s) => s.client.placedLatencyMs.p50))} / p99 ${spread(storms.map((s) => s.client.placedLatencyMs.p99))} ms`,
      },
      {
        scenario: 'customers',
        metric: 'server CPU per order',
        value: `${spread(
          storms.map((s) => s.cpuMsPerOrder),
          2,
        )} ms`,
        note: `user + system time of the server process during the storm ÷ orders placed; the load client's own: ${spread(
          storms.map((s) => s.client.clientCpuMsPerOrder),
          2,
        )} ms`,
      },
      {
        scenario: 'customers',
        metric: 'mean batch size / ms per batch',
        value: `${spread(storms.map((s) => s.batches?.meanBatch ?? 0))} / ${spread(storms.map((s) => s.batches?.meanCommitMs ?? 0))}`,
        note: `load average ${storms.map((s) => s.loadAverage).join(', ')}`,
      },
      {
        scenario: 'customers',
        metric: 'refusals / errors',
        value: `${storms.map((s) => JSON.stringify(s.client.statuses)).join(' ')} / ${storms.reduce((t, s) => t + s.client.errors, 0)}`,
        note: [...(pages ? [pages.viral] : []), ...storms.map((s) => s.client)]
          .find((c) => c.firstError)
          ?.firstError?.slice(0, 100),
      },
      {
        scenario: 'customers',
        metric: 'SQL checks after the crash',
        value: storms.every((s) => allOk(s.checks)) ? `all ok (${storms.length} storms)` : 'FAILED',
        note: storms
          .filter((s) => !allOk(s.checks))
          .map((s) => checkText(s.checks))
          .join(' | '),
      },
      {
        scenario: 'share',
        metric: 'server peak RSS',
        value: `${peakRssMb} MB`,
        note: `load average ${round(loadAverage(), 1)}`,
      },
    ]
    const result = {
      ...pages,
      viralChecks,
      ceilings,
      storms,
      peakRssMb,
      postgres: database.pgVersion,
    }
    if (!allOk(viralChecks) || !storms.every((s) => allOk(s.checks)))
      throw Object.assign(new Error(`customer orders' books do not balance`), { result, rows })
    return { result, rows }
  } finally {
    await server?.stop()
    stripe.close()
    await database.stop()
  }
}

/** The page part: the bare page, the share page alone, then share page and shop while customers order from it. */
async function viralPages(
  base: string,
  shareUrl: string,
  shopUrl: string,
  token: string,
  hotSku: string,
  cpuSeconds: () => number,
) {
  const n = SHARE.connections
  log('share: warm-up (share page, shop, bare page)…')
  for (const url of [shareUrl, shopUrl, `${base}/bench/bare`]) await load({ url, connections: 20, durationS: 3 })
  log(`share: bare page, ${n} connections, ${SHARE.seconds} s…`)
  const bare = await backgroundLoad({ url: `${base}/bench/bare`, connections: n, durationS: SHARE.seconds }).result
  // Requests still in the server when the load stopped are answered before the next phase starts.
  await sleep(5_000)
  log(`share: share page alone, ${n} connections, ${SHARE.seconds} s…`)
  const shareAlone = await backgroundLoad({ url: shareUrl, connections: n, durationS: SHARE.seconds }).result
  await sleep(5_000)
  log(
    `share: share page (${n - n / 5} connections) and shop (${n / 5}) while ${SHARE.customers} customers order from the page…`,
  )
  // The customers come once the page load is under way (a second in, its 500 connections open), and order for
  // SHARE.seconds while it lasts. Started at the same instant, their first orders queued behind 700 connections
  // being accepted at once, and those 200 first orders were the storm's p99 on their own.
  const share = backgroundLoad({ url: shareUrl, connections: n - n / 5, durationS: SHARE.seconds + 2 })
  const shop = backgroundLoad({ url: shopUrl, connections: n / 5, durationS: SHARE.seconds + 2 })
  let cpu0 = 0
  const [sharePage, shopPage, viral] = await Promise.all([
    share.result,
    shop.result,
    Promise.all([share.started, shop.started])
      .then(() => sleep(1_000))
      .then(() => {
        cpu0 = cpuSeconds()
        return customers(base, `/s/${token}`, [hotSku], 100_000, SHARE.seconds, 'viral')
      }),
  ])
  return { bare, shareAlone, sharePage, shopPage, viral, stormCpu: round(cpuSeconds() - cpu0, 1) }
}

async function customers(
  base: string,
  pagePath: string,
  skus: string[],
  units: number,
  maxSeconds: number,
  name: string,
): Promise<CustomerClientResult> {
  const config: CustomerClientConfig = {
    baseUrls: [base],
    path: pagePath,
    customers: SHARE.customers,
    skus,
    linesPerOrder: [1, 1],
    units,
    maxSeconds,
    seed: 20261206,
  }
  mkdirSync(OUT_DIR, { recursive: true })
  const file = path.join(OUT_DIR, `customer-client-${name}.json`)
  writeFileSync(file, JSON.stringify(config))
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/bench/customer-client.ts'), file],
    {
      cwd: ROOT,
      maxBuffer: 1 << 24,
    },
  )
  return JSON.parse(stdout.trim().split('\n').pop()!) as CustomerClientResult
}

/** The server's group-commit counters (GET /bench/grab, app/services/checkout/group-commit.server.ts). */
interface QueueStats {
  batches: number
  grabs: number
  largestBatch: number
  commitMs: number
}
const queueStats = async (base: string) => (await (await fetch(`${base}/bench/grab`)).json()) as QueueStats | null
function queueDelta(before: QueueStats | null, after: QueueStats | null): CustomerStorm['batches'] {
  if (!before || !after) return null
  const batches = after.batches - before.batches
  return {
    batches,
    meanBatch: batches ? round((after.grabs - before.grabs) / batches, 1) : 0,
    meanCommitMs: batches ? round((after.commitMs - before.commitMs) / batches, 1) : 0,
    largestBatch: after.largestBatch,
  }
}

/** Earlier storms' unpaid orders past their deadline (as if their 15 minutes had run out), pages flushed. */
async function expireHolds(db: Db) {
  await sql`update checkouts set expires_at = now() - interval '1 second' where status = 'pending_payment'`.execute(db)
  await sql`checkpoint`.execute(db)
  await new Promise((r) => setTimeout(r, 2000))
}

/** Zero oversell, and every order the customers were told about is on the books (after the crash). */
async function verify(db: Db, sessionItemSkuId: string, acceptedUnits: number, acceptedOrders: number) {
  const sku = await db
    .selectFrom('session_item_skus')
    .select(['allocated', 'available'])
    .where('id', '=', sessionItemSkuId)
    .executeTakeFirstOrThrow()
  const r = await sql<{ units: number; orders: number }>`
    select coalesce(sum(l.quantity), 0)::int as units, count(distinct c.id)::int as orders
    from order_lines l join orders o on o.id = l.order_id join customer_orders c on c.checkout_id = o.checkout_id
    where l.session_item_sku_id = ${sessionItemSkuId} and o.status not in ('cancelled', 'refunded')`.execute(db)
  const { units, orders } = r.rows[0]!
  const sold = sku.allocated - sku.available
  return {
    orderedEqualsSold: { ok: units === sold, detail: `on customer orders ${units}, sold ${sold}` },
    neverNegative: { ok: sku.available >= 0, detail: `available ${sku.available}` },
    acceptedAreDurable: {
      ok: units === acceptedUnits && orders === acceptedOrders,
      detail: `told ${acceptedOrders} orders / ${acceptedUnits} units, on the books ${orders} / ${units}`,
    },
  }
}

/** Answers Stripe's "create a Checkout Session" with a session and its URL, as quickly as a local service can. */
function fakeStripe(port: number): Promise<http.Server> {
  let n = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const id = `cs_bench_${++n}`
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id, object: 'checkout.session', url: `https://checkout.stripe.test/c/${id}` }))
    })
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}
