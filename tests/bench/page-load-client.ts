// The pages' load in a process of its own, at the lowest CPU priority (harness.ts `backgroundLoad`): on the
// bench's one machine, autocannon's 500 connections take a third to most of a core, and at the same priority the
// scheduler takes it from the server and PostgreSQL — which, in production, never share a core with the phones
// loading a page. At nice 19 the load uses what the server leaves. Only for loads that are the background of
// another measurement (her share page while customers order or posters are asked for): their own latency then
// includes waiting for a core, so it is not a figure of the server. Takes its options as JSON on the command line;
// writes `started` when the load begins, then the result as one JSON line.
import autocannon from 'autocannon'
import { percentileOfSorted } from './load-client'

export interface PageLoadOptions {
  url: string
  connections: number
  durationS: number
  headers?: Record<string, string>
  cookies?: string[]
}

export interface LoadResult {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** Requests sent, including those still in flight when the run stopped (their queries ran too). */
  sent: number
  non2xx: number
  /** 2xx answers alone (pages served; admission control's 503s are counted in non2xx), per second and their latency. */
  servedPerSec: number
  servedP50Ms: number
  servedP99Ms: number
  errors: number
  durationS: number
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * autocannon against one URL; the mean req/s over the run and its latency percentiles.
 * With `cookies`, each request carries the next one in turn (many signed-in people rather than one).
 */
export async function runLoad(options: PageLoadOptions): Promise<LoadResult> {
  let turn = 0
  const cookies = options.cookies
  const served: number[] = []
  const run = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    headers: options.headers,
    ...(cookies?.length
      ? {
          requests: [
            {
              setupRequest: (req: { headers?: Record<string, string> }) => ({
                ...req,
                headers: { ...req.headers, cookie: cookies[turn++ % cookies.length]! },
              }),
            },
          ],
        }
      : {}),
  })
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) served.push(ms)
  })
  const result = await run
  served.sort((a, b) => a - b)
  return {
    requestsPerSec: round1(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    sent: result.requests.sent,
    non2xx: result.non2xx,
    servedPerSec: round1(served.length / options.durationS),
    servedP50Ms: Math.round(percentileOfSorted(served, 50)),
    servedP99Ms: Math.round(percentileOfSorted(served, 99)),
    errors: result.errors,
    durationS: options.durationS,
  }
}

if (process.argv[1]?.endsWith('page-load-client.ts')) {
  const options = JSON.parse(process.argv[2]!) as PageLoadOptions
  const done = runLoad(options)
  // The process takes a moment to start: what is timed from the load's start waits for this line.
  process.stdout.write('started\n')
  process.stdout.write(`${JSON.stringify(await done)}\n`)
}
