// Customers ordering through a reseller's share page, as their own process (node --import tsx
// tests/bench/customer-client.ts <config.json>): each customer is a keep-alive connection posting the page's
// no-account checkout form in a loop, each order from a new mobile number and device (a crowd of first-time
// customers, so no per-number or per-device limit is what stops them), until the stock is gone or time is up.
// Each connection is driven by hand (`RawConnection`): the customers' phones are not the server's machine, and
// Node's http client cost this process as much CPU per order as the server's order path. Prints one JSON line.
import { randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync } from 'node:fs'
import { latencySummary, type LatencySummary, RawConnection } from './load-client'
import { seededRandom } from '#app/utils/seeded-random'

const ORDERS_OUT = process.env.BENCH_ORDERS_OUT

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
  /** The orders placed alone (302): the sold-out tail's refusals are answered after them. */
  placedLatencyMs: LatencySummary
  /** This load client's own CPU time (user + system) during the storm ÷ orders placed: the customers' phones, on the server's machine. */
  clientCpuMsPerOrder: number
  firstError?: string
}

/** Random base64url text from one pooled buffer: two `randomBytes` calls per order cost the load client more than its request. */
let pool = randomBytes(0)
let poolAt = 0
function randomText(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(64 * 1024)
    poolAt = 0
  }
  poolAt += bytes
  return pool.toString('base64url', poolAt - bytes, poolAt)
}

async function main() {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CustomerClientConfig
  const random = seededRandom(config.seed)
  let firstError: string | undefined
  let serial = 0
  // The form as the page sends it, its fixed parts encoded once: 上海市 / 上海市 / 浦东新区, as the region pickers send them.
  const NAME = encodeURIComponent('顾客 ')
  const STREET = encodeURIComponent('基准路 ')
  const NUMBER = encodeURIComponent(' 号')
  const REGION = 'provinceCode=310000&cityCode=310100&districtCode=310115'
  const order = (host: string) => {
    const n = ++serial
    const [lo, hi] = config.linesPerOrder
    const count = Math.min(config.skus.length, lo + Math.floor(random() * (hi - lo + 1)))
    const pool = [...config.skus]
    const lines: string[] = []
    for (let i = 0; i < count; i++) lines.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!)
    const body =
      lines.map((sku) => `line=${sku}%3A1`).join('&') +
      `&name=${NAME}${n}&phone=139${String(n).padStart(8, '0')}&${REGION}&address=${STREET}${n}${NUMBER}` +
      `&idempotencyKey=bench-${randomText(9)}`
    const request =
      `POST ${config.path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Cookie: cid=${randomText(18)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    return { request, units: lines.length }
  }

  const latencies: number[] = []
  const placed: number[] = []
  /** Each answer's start on the wall clock and its time (BENCH_ORDERS_OUT), to read against the server's probe. */
  const timeline: [number, number, number][] = []
  const statuses: Record<string, number> = {}
  let orders = 0
  let units = 0
  let errors = 0
  let stop = false
  let lastOrderAt = 0
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const deadline = t0 + config.maxSeconds * 1000
  const timer = setTimeout(() => (stop = true), config.maxSeconds * 1000)
  const connections: RawConnection[] = []
  await Promise.all(
    Array.from({ length: config.customers }, async (_, c) => {
      const base = new URL(config.baseUrls[c % config.baseUrls.length]!)
      const connection = new RawConnection(base.hostname, Number(base.port))
      connections.push(connection)
      while (!stop && performance.now() < deadline) {
        const o = order(base.host)
        const start = performance.now()
        try {
          const r = await connection.request(o.request)
          latencies.push(performance.now() - start)
          if (ORDERS_OUT) timeline.push([performance.timeOrigin + start, performance.now() - start, r.status])
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
          // The checkout answers an order placed with a redirect to her pay step.
          if (r.status === 302 || r.status === 303) {
            placed.push(performance.now() - start)
            orders++
            units += o.units
            lastOrderAt = performance.now()
            if (units >= config.units) stop = true
          } else if (r.status !== 409) firstError ??= `${r.status}: ${r.body.toString('utf8', 0, 200)}`
        } catch (error) {
          errors++
          firstError ??= String(error)
        }
      }
    }),
  )
  clearTimeout(timer)
  if (ORDERS_OUT) appendFileSync(ORDERS_OUT, `${JSON.stringify(timeline)}\n`)
  const cpu = process.cpuUsage(cpu0)
  for (const connection of connections) connection.close()
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
    clientCpuMsPerOrder: Math.round((cpu.user + cpu.system) / 10 / Math.max(1, orders)) / 100,
    firstError,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
