// The session opening's load generator, as its own process (node --import tsx tests/bench/opening-client.ts
// <config.json>): every member holds an open keep-alive connection, waits for the opening moment, then checks
// out her cart once. Prints one JSON line.
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { latencySummary, type LatencySummary, send } from './load-client'

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
  latencyMs: LatencySummary
  firstError?: string
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as OpeningClientConfig
  const url = new URL('/api/checkout', config.baseUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.members.length + 10 })
  const request = (method: string, path: string, cookie: string, body?: string) =>
    send(agent, url, {
      method,
      path,
      body,
      headers: { cookie, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
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
  const elapsedS = (last - t0) / 1000
  const result: OpeningClientResult = {
    checkouts,
    units,
    statuses,
    errors,
    deadlocks,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    checkoutsPerSec: Math.round(checkouts / Math.max(elapsedS, 0.001)),
    latencyMs: latencySummary(latencies),
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
