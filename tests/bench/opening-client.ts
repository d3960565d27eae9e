// The session opening's load generator, as its own process (node --import tsx tests/bench/opening-client.ts
// <config.json>): every member holds an open keep-alive connection, waits for the opening moment, then checks
// out her cart once. Each connection is driven by hand (`RawConnection`) and every request's bytes are made
// before the start: with Node's http client this process spent the opening's first ~100 ms building 500 requests
// before the first one left (against a server that answers at once: first arrival 20 ms, last 103 ms, p50 latency
// 58 ms), and that time was counted as the server's. Prints one JSON line.
import { readFileSync } from 'node:fs'
import { latencySummary, type LatencySummary, RawConnection } from './load-client'

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
  /** From the start to the last request written (what the load process itself took to send them all). */
  sentMs: number
  firstError?: string
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as OpeningClientConfig
  const url = new URL('/api/checkout', config.baseUrl)
  const host = url.host
  const members = config.members.map((m) => {
    const body = JSON.stringify({ lines: m.lines, addressId: m.addressId })
    return {
      units: m.lines.reduce((s, l) => s + l.quantity, 0),
      connection: new RawConnection(url.hostname, Number(url.port)),
      health: `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nCookie: ${m.cookie}\r\n\r\n`,
      checkout: Buffer.from(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${m.cookie}\r\nAccept: application/json\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      ),
    }
  })
  // Members wait with their connection open (a page loaded, the countdown running).
  await Promise.all(members.map((m) => m.connection.request(m.health).catch(() => null)))
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
  const answers = members.map(async (m) => {
    const start = performance.now()
    try {
      const r = await m.connection.request(m.checkout)
      const end = performance.now()
      latencies.push(end - start)
      statuses[r.status] = (statuses[r.status] ?? 0) + 1
      const text = r.body.toString('utf8')
      if (/deadlock|serializ/i.test(text)) deadlocks++
      if (r.status === 201) {
        checkouts++
        units += m.units
        last = Math.max(last, end)
      } else if (r.status !== 409) firstError ??= `${r.status}: ${text.slice(0, 200)}`
    } catch (error) {
      errors++
      firstError ??= String(error)
    }
  })
  const sentMs = performance.now() - t0
  await Promise.all(answers)
  for (const m of members) m.connection.close()
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
    sentMs: Math.round(sentMs * 10) / 10,
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
