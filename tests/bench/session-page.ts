// Session page scenario: a signed-in VIP member loading a live session page with 60 items, against a bare
// Remix page rendering 60 static cards from the same server (app/routes/bench.bare.tsx), 50 connections each.
import postgres from 'postgres'
import {
  load,
  loadAverage,
  log,
  returningVisitors,
  round,
  startBenchDatabase,
  startServer,
  yardstickMs,
  type LoadResult,
  type SummaryRow,
} from './harness'
import { seedLiveSession, seedMembers } from './fixtures'

const CONNECTIONS = 50
const DURATION_S = Number(process.env.BENCH_PAGE_SECONDS ?? 10)
const WARMUP_S = 3

export interface SessionPageResult {
  connections: number
  durationS: number
  bare: PageMeasure
  session: PageMeasure
  ratio: number
  htmlBytes: { bare: number; session: number }
  statementsPerRequest: { query: string; perRequest: number; meanMs: number }[]
  peakRssMb: number
  /** The same two pages against a server with WEB_CONCURRENCY=2 (primary + 2 HTTP processes; CPU and RSS over all three). */
  twoProcesses: { bare: PageMeasure; session: PageMeasure; ratio: number; peakRssMb: number }
  postgres: string
  settings: Record<string, string>
}

type PageMeasure = LoadResult & {
  dbQueriesPerRequest: number
  /** Server CPU over every request sent, refusals (503) included. */
  serverCpuMsPerRequest: number
  /** Server CPU over the pages served (2xx): what a page costs, its share of the refusals included. */
  serverCpuMsPerPage: number
  /** The machine's speed just before (harness yardstickMs): CPU figures scale with it. */
  yardstickMs: number
  loadAverage: number
}

export async function sessionPageScenario(): Promise<{ result: SessionPageResult; rows: SummaryRow[] }> {
  const database = await startBenchDatabase('session-page', { statements: true })
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  try {
    log('session page: seeding 60 items and a VIP member…')
    const { session } = await seedLiveSession(database.db, { items: 60, unitsPerSku: 50 })
    // One VIP member per connection, as 50 people would be (one shared cookie would let lookups be shared).
    const members = await seedMembers(database.db, CONNECTIONS, { vipLevel: 3, prefix: 'bench-vip' })
    server = await startServer({ name: 'session-page', databaseUrl: database.url })
    const returning = await returningVisitors(
      server.baseUrl,
      members.map((m) => m.cookie),
    )
    const headers = { cookie: returning[0]!, 'accept-language': 'zh-CN' }
    const sessionUrl = `${server.baseUrl}/sessions/${session.id}`
    const bareUrl = `${server.baseUrl}/bench/bare`

    // Sanity: both pages render for this member, and the session page shows the member's price.
    const [bareHtml, sessionHtml] = await Promise.all(
      [bareUrl, sessionUrl].map(async (url) => {
        const res = await fetch(url, { headers })
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
        return res.text()
      }),
    )
    const cards = (sessionHtml!.match(/data-testid="item-card"/g) ?? []).length
    if (cards !== 60) throw new Error(`session page rendered ${cards} cards, expected 60`)
    if (!sessionHtml!.includes('基准会员 0')) throw new Error('session page is not signed in')

    const stats = postgres(database.url, { max: 1, onnotice: () => {} })
    const statements = async () =>
      Number(
        (
          await stats`select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`
        )[0]!.n,
      )
    const measure = async (name: string, url: string, reset = false): Promise<PageMeasure> => {
      log(`session page: warming ${name} (${WARMUP_S} s)…`)
      await load({ url, connections: CONNECTIONS, durationS: WARMUP_S, headers, cookies: returning })
      log(`session page: measuring ${name} (${DURATION_S} s, ${CONNECTIONS} connections)…`)
      const yardstick = yardstickMs()
      if (reset) await stats`select pg_stat_statements_reset()`
      const before = await statements()
      const cpu0 = server!.cpuSeconds()
      const r = await load({
        url,
        connections: CONNECTIONS,
        durationS: DURATION_S,
        headers,
        cookies: returning,
      })
      const cpu1 = server!.cpuSeconds()
      const after = await statements()
      // Our own counting query is one statement; autocannon's in-flight requests at the stop add a little noise.
      return {
        ...r,
        dbQueriesPerRequest: round((after - before - 1) / Math.max(1, r.sent), 2),
        // Robust to other load on a shared machine, unlike req/s.
        serverCpuMsPerRequest: round(((cpu1 - cpu0) * 1000) / Math.max(1, r.sent), 2),
        serverCpuMsPerPage: round(((cpu1 - cpu0) * 1000) / Math.max(1, r.servedPerSec * r.durationS), 2),
        yardstickMs: yardstick,
        loadAverage: round(loadAverage(), 2),
      }
    }
    const bare = await measure('bare page', bareUrl)
    const page = await measure('session page', sessionUrl, true)
    // Which statements the session page ran, per request (the counting query itself excluded).
    const top = await stats<{ query: string; calls: number; mean_ms: number }[]>`
      select left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 160) as query, calls::int, round(mean_exec_time::numeric, 3)::float as mean_ms
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        and query not like '%pg_stat_statements%' order by calls desc limit 8`
    const statementsPerRequest = top.map((t) => ({
      query: t.query,
      perRequest: round(t.calls / Math.max(1, page.sent), 2),
      meanMs: t.mean_ms,
    }))
    const ratio = round(page.servedPerSec / Math.max(0.1, bare.servedPerSec), 3)
    const peakRssMb = server.memory().peakRssMb

    // The same pages with both cores serving: a node:cluster primary and 2 HTTP processes on the same port.
    await server.stop()
    server = await startServer({ name: 'session-page-2p', databaseUrl: database.url, processes: 2 })
    const bare2 = await measure('bare page, 2 app processes', bareUrl.replace(/^http:\/\/[^/]+/, server.baseUrl))
    const page2 = await measure('session page, 2 app processes', sessionUrl.replace(/^http:\/\/[^/]+/, server.baseUrl))
    await stats.end()
    const twoProcesses = {
      bare: bare2,
      session: page2,
      ratio: round(page2.servedPerSec / Math.max(0.1, bare2.servedPerSec), 3),
      peakRssMb: server.memory().peakRssMb,
    }

    const result: SessionPageResult = {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      bare,
      session: page,
      ratio,
      htmlBytes: { bare: Buffer.byteLength(bareHtml!), session: Buffer.byteLength(sessionHtml!) },
      statementsPerRequest,
      peakRssMb,
      twoProcesses,
      postgres: database.pgVersion,
      settings: database.settings,
    }
    // Pages served (2xx) and their latency; refusals apart. CPU per page is read against the yardstick of the moment.
    const served = (m: PageMeasure) => `${m.servedPerSec} pages/s (p50 ${m.servedP50Ms}, p99 ${m.servedP99Ms} ms)`
    const cpuNote = (m: PageMeasure) =>
      `${m.serverCpuMsPerPage} server CPU ms/page (${m.serverCpuMsPerRequest}/request), yardstick ${m.yardstickMs} ms, ${m.non2xx} non-2xx, ${m.dbQueriesPerRequest} queries/req, load ${m.loadAverage}`
    const rows: SummaryRow[] = [
      { scenario: 'session page', metric: 'bare page', value: served(bare), note: cpuNote(bare) },
      {
        scenario: 'session page',
        metric: 'session page',
        value: served(page),
        target: 'p99 ≤ 300 ms',
        note: cpuNote(page),
      },
      {
        scenario: 'session page',
        metric: 'session ÷ bare (pages/s)',
        value: String(ratio),
        target: '≥ 0.6',
        note: `CPU/page bare÷session ${round(bare.serverCpuMsPerPage / Math.max(0.01, page.serverCpuMsPerPage), 3)}`,
      },
      { scenario: 'session page', metric: 'server peak RSS', value: `${result.peakRssMb} MB` },
      {
        scenario: '2 app processes',
        metric: 'bare page',
        value: served(bare2),
        note: `primary + workers: ${cpuNote(bare2)}`,
      },
      {
        scenario: '2 app processes',
        metric: 'session page',
        value: served(page2),
        target: 'p99 ≤ 300 ms',
        note: `primary + workers: ${cpuNote(page2)}`,
      },
      {
        scenario: '2 app processes',
        metric: 'session pages/s vs 1 process',
        value: String(round(page2.servedPerSec / Math.max(0.1, page.servedPerSec), 3)),
        note: `session ÷ bare ${twoProcesses.ratio}`,
      },
      { scenario: '2 app processes', metric: 'server peak RSS (sum)', value: `${twoProcesses.peakRssMb} MB` },
    ]
    return { result, rows }
  } finally {
    await server?.stop()
    await database.stop()
  }
}
