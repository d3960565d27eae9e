// The grab storm's load generator, run as its own process (node --import tsx tests/bench/grab-client.ts <config.json>):
// one keep-alive connection per member, each looping POSTs of its own cookie and body until the hot SKU is sold
// out or time is up. Prints one JSON line with the counts and latencies.
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { latencySummary, type LatencySummary, send } from './load-client'

export interface GrabClientConfig {
  /** Member i talks to baseUrls[i % n]: several app processes behind a round-robin balancer. */
  baseUrls: string[]
  path: string
  members: { cookie: string; addressId: string | null }[]
  warm: { sessionItemSkuId: string; perMember: number } | null
  hot: { sessionItemSkuId: string; quantity: number; units: number }
  maxSeconds: number
}

export interface GrabClientResult {
  members: number
  successes: number
  acceptedUnits: number
  statuses: Record<string, number>
  errors: number
  soldOut: boolean
  elapsedS: number
  grabsPerSec: number
  latencyMs: LatencySummary
  successLatencyMs: { p50: number; p99: number }
  firstError?: string
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GrabClientConfig
  const urls = config.baseUrls.map((b) => new URL(config.path, b))
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.members.length + 10 })
  let firstError: string | undefined

  const post = (url: URL, cookie: string, body: string) =>
    send(agent, url, {
      body,
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
    })
  const bodyFor = (m: GrabClientConfig['members'][number], sessionItemSkuId: string, quantity: number) =>
    JSON.stringify({ lines: [{ sessionItemSkuId, quantity }], ...(m.addressId ? { addressId: m.addressId } : {}) })

  // Warm-up on another SKU: connections open, code paths compiled; not measured.
  if (config.warm) {
    const warm = config.warm
    await Promise.all(
      config.members.map(async (m, n) => {
        for (let i = 0; i < warm.perMember; i++) {
          const r = await post(urls[n % urls.length]!, m.cookie, bodyFor(m, warm.sessionItemSkuId, 1))
          if (r.status !== 201) firstError ??= `warm-up ${r.status}: ${r.text.slice(0, 200)}`
        }
      }),
    )
  }

  const latencies: number[] = []
  const successLatencies: number[] = []
  const statuses: Record<string, number> = {}
  let successes = 0
  let acceptedUnits = 0
  let errors = 0
  let stop = false
  let lastSuccessAt = 0
  const t0 = performance.now()
  const deadline = t0 + config.maxSeconds * 1000
  const timer = setTimeout(() => {
    stop = true
  }, config.maxSeconds * 1000)

  await Promise.all(
    config.members.map(async (m, n) => {
      const url = urls[n % urls.length]!
      const body = bodyFor(m, config.hot.sessionItemSkuId, config.hot.quantity)
      while (!stop && performance.now() < deadline) {
        const start = performance.now()
        try {
          const r = await post(url, m.cookie, body)
          const ms = performance.now() - start
          latencies.push(ms)
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
          if (r.status === 201) {
            successes++
            acceptedUnits += config.hot.quantity
            successLatencies.push(ms)
            lastSuccessAt = performance.now()
            if (acceptedUnits >= config.hot.units) stop = true
          } else if (r.status !== 409) {
            firstError ??= `${r.status}: ${r.text.slice(0, 200)}`
          }
        } catch (error) {
          errors++
          firstError ??= String(error)
        }
      }
    }),
  )
  clearTimeout(timer)
  agent.destroy()
  const soldOut = acceptedUnits >= config.hot.units
  const elapsedS = ((soldOut ? lastSuccessAt : performance.now()) - t0) / 1000
  const success = latencySummary(successLatencies)
  const result: GrabClientResult = {
    members: config.members.length,
    successes,
    acceptedUnits,
    statuses,
    errors,
    soldOut,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    grabsPerSec: Math.round(successes / Math.max(elapsedS, 0.001)),
    latencyMs: latencySummary(latencies),
    successLatencyMs: { p50: success.p50, p99: success.p99 },
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
