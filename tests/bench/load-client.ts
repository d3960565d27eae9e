// What the load-generating processes (grab-client, customer-client, opening-client) share: one request on a
// keep-alive agent with its body read, and latency figures. Kept free of the harness's imports so a client
// process starts in milliseconds.
import http from 'node:http'
import net from 'node:net'

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

/**
 * One keep-alive HTTP/1.1 connection driven by hand: the request's bytes written as they are, the answer's status
 * line and headers read only for its length (Content-Length or chunked). Node's http client cost a customer storm's
 * load process ~0.2–0.3 ms of CPU per order on the server's own two cores (as much as the server's order path);
 * this is a few µs. One request at a time; a connection the server closed is opened again for the next.
 */
export class RawConnection {
  private socket: net.Socket | null = null
  private buffer: Buffer = Buffer.alloc(0)
  private pending: {
    resolve: (answer: { status: number; body: Buffer }) => void
    reject: (error: Error) => void
  } | null = null

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true })
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
      this.parse()
    })
    const gone = (error?: Error) => {
      if (this.socket === socket) this.socket = null
      this.buffer = Buffer.alloc(0)
      const waiting = this.pending
      this.pending = null
      waiting?.reject(error ?? new Error('connection closed before the answer'))
    }
    socket.on('error', gone)
    socket.on('close', () => gone())
    return socket
  }

  /** Sends one whole request (request line, headers, blank line, body) and resolves with the answer. */
  request(bytes: string | Buffer): Promise<{ status: number; body: Buffer }> {
    if (this.pending) return Promise.reject(new Error('one request at a time'))
    this.socket ??= this.connect()
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.socket!.write(bytes)
    })
  }

  close() {
    this.socket?.destroy()
    this.socket = null
  }

  private parse() {
    const end = this.buffer.indexOf('\r\n\r\n')
    if (end < 0 || !this.pending) return
    const head = this.buffer.toString('latin1', 0, end)
    const status = Number(head.slice(9, 12))
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
    let body: Buffer
    let used: number
    if (length) {
      used = end + 4 + Number(length[1])
      if (this.buffer.length < used) return
      body = this.buffer.subarray(end + 4, used)
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = []
      let at = end + 4
      for (;;) {
        const line = this.buffer.indexOf('\r\n', at)
        if (line < 0) return
        const size = parseInt(this.buffer.toString('latin1', at, line), 16)
        if (this.buffer.length < line + 2 + size + 2) return
        if (size === 0) {
          used = line + 4
          break
        }
        parts.push(this.buffer.subarray(line + 2, line + 2 + size))
        at = line + 2 + size + 2
      }
      body = Buffer.concat(parts)
    } else {
      used = end + 4
      body = Buffer.alloc(0)
    }
    const waiting = this.pending
    this.pending = null
    this.buffer = this.buffer.subarray(used)
    if (/\r\nconnection:\s*close/i.test(head)) this.close()
    waiting.resolve({ status, body })
  }
}
