// The grab storm's load generator, run as its own process (node --import tsx tests/bench/grab-client.ts <config.json>):
// one keep-alive connection per member, each looping POSTs of its own cookie and body until the hot SKU is sold
// out or time is up. Prints one JSON line with the counts and latencies.
import http from 'node:http'
import { readFileSync } from 'node:fs'

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
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  successLatencyMs: { p50: number; p99: number }
  firstError?: string
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0
  return (
    Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 10) / 10
  )
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GrabClientConfig
  const urls = config.baseUrls.map((b) => new URL(config.path, b))
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.members.length + 10 })
  let firstError: string | undefined

  const post = (url: URL, cookie: string, body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            cookie,
            'content-length': Buffer.byteLength(body),
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
  latencies.sort((a, b) => a - b)
  successLatencies.sort((a, b) => a - b)
  const result: GrabClientResult = {
    members: config.members.length,
    successes,
    acceptedUnits,
    statuses,
    errors,
    soldOut,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    grabsPerSec: Math.round(successes / Math.max(elapsedS, 0.001)),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    successLatencyMs: { p50: percentile(successLatencies, 50), p99: percentile(successLatencies, 99) },
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
