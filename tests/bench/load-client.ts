// What the load-generating processes (grab-client, customer-client, opening-client) share: one request on a
// keep-alive agent with its body read, and latency figures. Kept free of the harness's imports so a client
// process starts in milliseconds.
import http from 'node:http'

export type LatencySummary = { p50: number; p90: number; p99: number; max: number }

/** One request on `agent`; resolves with the status and body whatever the status. */
export function send(
  agent: http.Agent,
  url: URL,
  options: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: string },
): Promise<{ status: number; text: string }> {
  const { body } = options
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: options.path ?? url.pathname + url.search,
        method: options.method ?? 'POST',
        agent,
        headers: { ...options.headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
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
}

/** Nearest-rank percentile of an ascending list, in ms to one decimal. */
export function percentileOfSorted(sorted: number[], p: number): number {
  if (!sorted.length) return 0
  return (
    Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 10) / 10
  )
}

/** p50, p90, p99 and max of the latencies (sorts them in place). */
export function latencySummary(latencies: number[]): LatencySummary {
  latencies.sort((a, b) => a - b)
  const at = (p: number) => percentileOfSorted(latencies, p)
  return { p50: at(50), p90: at(90), p99: at(99), max: at(100) }
}
