// Customers ordering through a reseller's share page, as their own process (node --import tsx
// tests/bench/customer-client.ts <config.json>): each customer is a keep-alive connection posting the page's
// no-account checkout form in a loop, each order from a new mobile number and device (a crowd of first-time
// customers, so no per-number or per-device limit is what stops them), until the stock is gone or time is up.
// Prints one JSON line.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { latencySummary, type LatencySummary, send } from './load-client'
import { seededRandom } from '#app/utils/seeded-random'

export interface CustomerClientConfig {
  baseUrls: string[]
  /** The share page (`/s/<token>`), whose action is the checkout. */
  path: string
  customers: number
  /** Each order: one or more of these SKUs, one unit each (a seeded-random pick when more than one). */
  skus: string[]
  linesPerOrder: [number, number]
  units: number
  maxSeconds: number
  seed: number
}

export interface CustomerClientResult {
  customers: number
  orders: number
  units: number
  statuses: Record<string, number>
  errors: number
  soldOut: boolean
  elapsedS: number
  ordersPerSec: number
  latencyMs: LatencySummary
  /** The orders placed alone (302): the sold-out tail's refusals are re-rendered pages, answered after them. */
  placedLatencyMs: LatencySummary
  firstError?: string
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CustomerClientConfig
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.customers + 10 })
  const random = seededRandom(config.seed)
  let firstError: string | undefined
  let serial = 0
  const post = (base: string, body: string, cookie: string) =>
    send(agent, new URL(config.path, base), {
      path: new URL(config.path, base).pathname,
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    })
  const order = () => {
    const n = ++serial
    const [lo, hi] = config.linesPerOrder
    const count = Math.min(config.skus.length, lo + Math.floor(random() * (hi - lo + 1)))
    const pool = [...config.skus]
    const lines: string[] = []
    for (let i = 0; i < count; i++) lines.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!)
    const form = new URLSearchParams()
    for (const sku of lines) form.append('line', `${sku}:1`)
    form.set('name', `顾客 ${n}`)
    form.set('phone', `139${String(n).padStart(8, '0')}`)
    // 上海市 / 上海市 / 浦东新区, as the page's region pickers send them.
    form.set('provinceCode', '310000')
    form.set('cityCode', '310100')
    form.set('districtCode', '310115')
    form.set('address', `基准路 ${n} 号`)
    form.set('idempotencyKey', `bench-${randomBytes(9).toString('base64url')}`)
    return { body: form.toString(), units: lines.length, cookie: `cid=${randomBytes(18).toString('base64url')}` }
  }

  const latencies: number[] = []
  const placed: number[] = []
  const statuses: Record<string, number> = {}
  let orders = 0
  let units = 0
  let errors = 0
  let stop = false
  let lastOrderAt = 0
  const t0 = performance.now()
  const deadline = t0 + config.maxSeconds * 1000
  const timer = setTimeout(() => (stop = true), config.maxSeconds * 1000)
  await Promise.all(
    Array.from({ length: config.customers }, async (_, c) => {
      const base = config.baseUrls[c % config.baseUrls.length]!
      while (!stop && performance.now() < deadline) {
        const o = order()
        const start = performance.now()
        try {
          const r = await post(base, o.body, o.cookie)
          latencies.push(performance.now() - start)
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
          // The checkout answers an order placed with a redirect to her pay step.
          if (r.status === 302 || r.status === 303) {
            placed.push(performance.now() - start)
            orders++
            units += o.units
            lastOrderAt = performance.now()
            if (units >= config.units) stop = true
          } else if (r.status !== 409) firstError ??= `${r.status}: ${r.text.slice(0, 200)}`
        } catch (error) {
          errors++
          firstError ??= String(error)
        }
      }
    }),
  )
  clearTimeout(timer)
  agent.destroy()
  const soldOut = units >= config.units
  const elapsedS = ((soldOut ? lastOrderAt : performance.now()) - t0) / 1000
  const result: CustomerClientResult = {
    customers: config.customers,
    orders,
    units,
    statuses,
    errors,
    soldOut,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    ordersPerSec: Math.round(orders / Math.max(elapsedS, 0.001)),
    latencyMs: latencySummary(latencies),
    placedLatencyMs: latencySummary(placed),
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
