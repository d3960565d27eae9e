// The few parts of autocannon's API the benchmark harness uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
    method?: string
    body?: string
    requests?: {
      setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>
    }[]
  }
  interface Histogram {
    average: number
    mean: number
    total: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    max: number
  }
  interface Result {
    requests: Histogram & { sent: number }
    latency: Histogram
    throughput: Histogram
    non2xx: number
    errors: number
    timeouts: number
  }
  interface Run extends Promise<Result> {
    /** Every answer as it arrives: its status and latency (ms). */
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this
  }
  function autocannon(options: Options): Run
  export default autocannon
}
