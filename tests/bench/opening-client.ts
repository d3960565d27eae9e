// The session opening's load generator, as its own process (node --import tsx tests/bench/opening-client.ts
// <config.json>): every member holds an open keep-alive connection, waits for the opening moment, then checks
// out her cart once. Prints one JSON line.
import http from 'node:http'
import { readFileSync } from 'node:fs'

export interface OpeningClientConfig {
  baseUrl: string
  /** Epoch ms of the session's start: the checkouts leave then. */
  startAt: number
  members: { cookie: string; addressId: string; lines: { sessionItemSkuId: string; quantity: number }[] }[]
}

export interface OpeningClientResult {
  checkouts: number
  units: number
  statuses: Record<string, number>
  errors: number
  /** Answers that name a deadlock or a serialization failure (there must be none). */
  deadlocks: number
  elapsedS: number
  checkoutsPerSec: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  firstError?: string
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 10) / 10
    : 0

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as OpeningClientConfig
  const url = new URL('/api/checkout', config.baseUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.members.length + 10 })
  const request = (method: string, path: string, cookie: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: {
            cookie,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  // Members wait with their connection open (a page loaded, the countdown running).
  await Promise.all(config.members.map((m) => request('GET', '/healthz', m.cookie).catch(() => null)))
  await new Promise((r) => setTimeout(r, Math.max(0, config.startAt - Date.now())))
  const t0 = performance.now()
  let last = t0
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let checkouts = 0
  let units = 0
  let errors = 0
  let deadlocks = 0
  let firstError: string | undefined
  await Promise.all(
    config.members.map(async (m) => {
      const body = JSON.stringify({ lines: m.lines, addressId: m.addressId })
      const start = performance.now()
      try {
        const r = await request('POST', url.pathname, m.cookie, body)
        const end = performance.now()
        latencies.push(end - start)
        statuses[r.status] = (statuses[r.status] ?? 0) + 1
        if (/deadlock|serializ/i.test(r.text)) deadlocks++
        if (r.status === 201) {
          checkouts++
          units += m.lines.reduce((s, l) => s + l.quantity, 0)
          last = Math.max(last, end)
        } else if (r.status !== 409) firstError ??= `${r.status}: ${r.text.slice(0, 200)}`
      } catch (error) {
        errors++
        firstError ??= String(error)
      }
    }),
  )
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const elapsedS = (last - t0) / 1000
  const result: OpeningClientResult = {
    checkouts,
    units,
    statuses,
    errors,
    deadlocks,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    checkoutsPerSec: Math.round(checkouts / Math.max(elapsedS, 0.001)),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
