import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'

// Admission control: a Node process renders one page at a time, so every request admitted past its capacity
// makes all the others slower. At most `maxConcurrent` requests are handled at once; up to `maxQueued` wait
// (each at most `queueTimeoutMs`); anything beyond is answered at once with 503 and Retry-After, so the
// requests that are served keep a short response time and a client knows to come back.

export interface AdmissionOptions {
  maxConcurrent: number
  maxQueued: number
  queueTimeoutMs: number
}

export interface AdmissionStats { active: number; queued: number; refused: number }

const BUSY = 'Server busy, please retry shortly'

function refuse(res: ServerResponse) {
  if (res.headersSent) return
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1', 'Content-Length': Buffer.byteLength(BUSY), Connection: 'close' })
  res.end(BUSY)
}

export function admissionControl(options: AdmissionOptions, next: RequestListener): RequestListener & { stats(): AdmissionStats } {
  let active = 0
  let refused = 0
  const queue: Array<{ start(): void; timer: NodeJS.Timeout }> = []

  const startNext = () => {
    const waiting = queue.shift()
    if (waiting) { clearTimeout(waiting.timer); waiting.start() }
  }

  const admit = (req: IncomingMessage, res: ServerResponse) => {
    active++
    let done = false
    const release = () => {
      if (done) return
      done = true
      active--
      startNext()
    }
    res.once('finish', release)
    res.once('close', release)
    next(req, res)
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // Health checks and the built assets (static files, cheap, and a page needs them all) are never held back.
    if (req.url === '/healthz' || req.url?.startsWith('/build/')) return next(req, res)
    if (active < options.maxConcurrent && queue.length === 0) return admit(req, res)
    if (queue.length >= options.maxQueued) {
      refused++
      req.resume()
      return refuse(res)
    }
    const entry = {
      start: () => (res.destroyed ? startNext() : admit(req, res)),
      timer: setTimeout(() => {
        const i = queue.indexOf(entry)
        if (i >= 0) queue.splice(i, 1)
        refused++
        req.resume()
        refuse(res)
      }, options.queueTimeoutMs),
    }
    queue.push(entry)
    // A client that gives up while waiting leaves the queue.
    res.once('close', () => {
      const i = queue.indexOf(entry)
      if (i >= 0) { queue.splice(i, 1); clearTimeout(entry.timer) }
    })
  }
  return Object.assign(listener, { stats: () => ({ active, queued: queue.length, refused }) })
}
