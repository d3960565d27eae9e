// Overload scenario: 1,000 clients at once on the session page (60 items, signed-in VIP members), far past what one
// process renders, with admission control (the defaults) and without it (limits raised out of reach). A client
// sends its next request as soon as it has an answer; after a 503 it waits the Retry-After it was given, as the
// header asks. Latency is reported separately for pages served (200) and for refusals (503).
import http from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import {
  isAlive,
  loadAverage,
  log,
  percentile,
  returningVisitors,
  round,
  startBenchDatabase,
  startServer,
  type SummaryRow,
} from './harness'
import { seedLiveSession, seedMembers } from './fixtures'

const CLIENTS = Number(process.env.BENCH_OVERLOAD_CLIENTS ?? 1000)
const DURATION_S = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 15)
const TIMEOUT_MS = 10_000
/** `0`: only the storm with admission control (the comparison without it is skipped). */
const COMPARE = process.env.BENCH_OVERLOAD_COMPARE !== '0'

export interface OverloadMeasure {
  clients: number
  durationS: number
  served: number
  servedPerSec: number
  servedP50Ms: number
  servedP90Ms: number
  servedP99Ms: number
  refused: number
  /** Refusals that did not say when to come back (a 503 without Retry-After). */
  refusedWithoutRetryAfter: number
  refusedP50Ms: number
  refusedP99Ms: number
  timeouts: number
  otherStatus: Record<string, number>
  errors: number
  /** Requests that took more than 1 s and more than 3 s (any status, timeouts included). */
  over1s: number
  over3s: number
  /** Of those over 3 s, how many were sent on a new connection (waiting to be accepted rather than read). */
  over3sNewConnection: number
  /** The load client's own event-loop delay, p99 (ms): when high, latencies include the client's own waiting. */
  clientLoopDelayP99Ms: number
  /** The server process still running after the storm (no crash). */
  serverAlive: boolean
  loadAverage: number
}

interface Sample {
  status: number
  ms: number
  retryAfterS?: number
  /** Sent on a connection opened for it (the last answer closed the previous one), not a reused one. */
  newConnection?: boolean
}

/**
 * One keep-alive connection per client, each a closed loop until the time is up; after a 503 a client waits the
 * Retry-After it was given (as a member reloading a busy page would, not at once). Also the opening's page viewers.
 */
export async function pageClients(
  url: string,
  cookies: string[],
  clients: number,
  durationS: number,
): Promise<Omit<OverloadMeasure, 'serverAlive'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const samples: Sample[] = []
  let errors = 0
  const until = Date.now() + durationS * 1000
  const once = (cookie: string) =>
    new Promise<Sample & { retryAfterS: number }>((resolve) => {
      const started = performance.now()
      let newConnection = false
      const req = http.get(
        url,
        { agent, headers: { cookie, 'accept-language': 'zh-CN' }, timeout: TIMEOUT_MS },
        (res) => {
          res.resume()
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - started,
              retryAfterS: Number(res.headers['retry-after'] ?? 0),
              newConnection,
            }),
          )
        },
      )
      req.on('socket', (socket) => {
        newConnection = socket.connecting
      })
      req.on('timeout', () => {
        req.destroy()
        resolve({ status: -1, ms: performance.now() - started, retryAfterS: 0, newConnection })
      })
      req.on('error', () => resolve({ status: 0, ms: performance.now() - started, retryAfterS: 0 }))
    })
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (Date.now() < until) {
        const r = await once(cookies[i % cookies.length]!)
        if (r.status === 0) {
          errors++
          await new Promise((res) => setTimeout(res, 100))
          continue
        }
        samples.push(r)
        if (r.status === 503 && r.retryAfterS > 0) await new Promise((res) => setTimeout(res, r.retryAfterS * 1000))
      }
    }),
  )
  agent.destroy()
  loopDelay.disable()
  const served = samples.filter((s) => s.status === 200).map((s) => s.ms)
  const refused = samples.filter((s) => s.status === 503).map((s) => s.ms)
  const otherStatus: Record<string, number> = {}
  for (const s of samples)
    if (s.status !== 200 && s.status !== 503 && s.status !== -1)
      otherStatus[s.status] = (otherStatus[s.status] ?? 0) + 1
  return {
    clients,
    durationS,
    served: served.length,
    servedPerSec: round(served.length / durationS, 1),
    servedP50Ms: round(percentile(served, 50)),
    servedP90Ms: round(percentile(served, 90)),
    servedP99Ms: round(percentile(served, 99)),
    refused: refused.length,
    refusedWithoutRetryAfter: samples.filter((s) => s.status === 503 && !(s.retryAfterS! > 0)).length,
    refusedP50Ms: round(percentile(refused, 50)),
    refusedP99Ms: round(percentile(refused, 99)),
    timeouts: samples.filter((s) => s.status === -1).length,
    otherStatus,
    errors,
    over1s: samples.filter((s) => s.ms > 1000).length,
    over3s: samples.filter((s) => s.ms > 3000).length,
    over3sNewConnection: samples.filter((s) => s.ms > 3000 && s.newConnection).length,
    clientLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
    loadAverage: round(loadAverage(), 2),
  }
}

export async function overloadScenario(): Promise<{
  result: { withAdmission: OverloadMeasure; without: OverloadMeasure | null; postgres: string }
  rows: SummaryRow[]
}> {
  const database = await startBenchDatabase('overload')
  try {
    log('overload: seeding 60 items and 100 VIP members…')
    const { session } = await seedLiveSession(database.db, { items: 60, unitsPerSku: 50 })
    const cookies = (await seedMembers(database.db, 100, { vipLevel: 3, prefix: 'overload-vip' })).map((m) => m.cookie)
    const measure = async (name: string, env: Record<string, string>) => {
      const server = await startServer({ name: `overload-${name}`, databaseUrl: database.url, env })
      try {
        const url = `${server.baseUrl}/sessions/${session.id}`
        const returning = await returningVisitors(server.baseUrl, cookies)
        log(`overload (${name}): warming up (50 clients, 3 s)…`)
        await pageClients(url, returning, 50, 3)
        log(`overload (${name}): ${CLIENTS} clients for ${DURATION_S} s…`)
        const measured = await pageClients(url, returning, CLIENTS, DURATION_S)
        return { ...measured, serverAlive: isAlive(server.pid) }
      } finally {
        await server.stop()
      }
    }
    const withAdmission = await measure('admission', {})
    // Out of reach: every request is admitted at once, as before admission control.
    const without = COMPARE
      ? await measure('unlimited', {
          MAX_CONCURRENT_REQUESTS: '100000',
          MAX_QUEUED_REQUESTS: '0',
          ADMISSION_TARGET_MS: '100000000',
        })
      : null
    const row = (label: string, m: OverloadMeasure): SummaryRow[] => [
      {
        scenario: `overload, ${label}`,
        metric: `served req/s; p50 / p90 / p99`,
        value: `${m.servedPerSec}; ${m.servedP50Ms} / ${m.servedP90Ms} / ${m.servedP99Ms} ms`,
        target: 'p50 ≤ 1000 ms',
        note: `load ${m.loadAverage}; took > 1 s: ${m.over1s}, > 3 s: ${m.over3s} (${m.over3sNewConnection} on a new connection; timeouts included); client loop delay p99 ${m.clientLoopDelayP99Ms} ms`,
      },
      {
        scenario: `overload, ${label}`,
        metric: '503 (p50 / p99); timeouts > 10 s; errors',
        value: `${m.refused} (${m.refusedP50Ms} / ${m.refusedP99Ms} ms); ${m.timeouts}; ${m.errors}`,
        target: 'every 503 with Retry-After; no crash',
        note: [
          `${m.refusedWithoutRetryAfter} without Retry-After`,
          m.serverAlive ? 'server alive' : 'SERVER DIED',
          Object.keys(m.otherStatus).length ? `other: ${JSON.stringify(m.otherStatus)}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      },
    ]
    return {
      result: { withAdmission, without, postgres: database.pgVersion },
      rows: [...row('admission control', withAdmission), ...(without ? row('no admission control', without) : [])],
    }
  } finally {
    await database.stop()
  }
}
