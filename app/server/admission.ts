import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'

// Admission control: a Node process renders one page at a time, so every request admitted past its capacity
// makes all the others slower. Capacity is not a fixed number — it falls when the machine is busy with other work —
// so the number of requests handled at once adapts while requests are waiting: when the median time to handle one
// is above `targetMs` the limit shrinks in proportion, when it is under target the limit grows, always between
// `minConcurrent` and `maxConcurrent`. Without contention nothing changes: a slow machine serving a few people at
// a time is not overloaded, and `minConcurrent` requests are always taken at once. Past the limit up to `maxQueued` requests wait; one is refused at once when
// the wait it can expect (its place in the queue × median time ÷ limit) exceeds `queueTimeoutMs` less the median
// time to handle it, and none waits longer than that: a request queued is answered within about `queueTimeoutMs`. A refusal is an immediate 503 with Retry-After, so the requests that are served keep a short
// response time and a client knows to come back. The connection stays open (the request's body is drained): closing
// it made every refused client connect again at once, a handshake and accept per refusal on the busy process, and a
// client that had already sent its next request on the closing connection (autocannon) timed its later answers
// from the lost one, so the session page's p99 during an opening read 4 s while no page took 0.9 s in the server.
// Orders come first, for a burst: while an order is in flight (`hold()`, taken by the checkout path, which is not
// admitted here) no new page is started beyond one at a time, so a burst of checkouts at a session's start does not
// queue behind page renders in the event loop; pages queued meanwhile start when the last order is answered. The
// yield is bounded: once orders have been in flight without a pause for `burstMs` (2 s: a session's opening sends
// its checkouts within about a second; longer is a storm), pages get half the limit again, so a continuous stream
// of orders never starves them (they would queue one at a time and time out). A pause shorter than `targetMs` does
// not end the stream. With the bound at 250 ms the opening's checkouts fell from ~400/s to ~95/s.
// An order's answer that needs a page (a refused order re-rendered for a phone without JavaScript) is started at
// once (`now`): orders wait in the checkout's bounded queue, and a refusal must be the business answer, not 503.

export interface AdmissionOptions {
  maxConcurrent: number
  maxQueued: number
  queueTimeoutMs: number
  /** The handling time the limit steers toward (median over the last requests). */
  targetMs?: number
  minConcurrent?: number
  /** How long orders may keep pages to one at a time before pages get half the limit back (a burst, not a storm). */
  burstMs?: number
}

export interface AdmissionStats {
  active: number
  /** Orders in flight (holds). */
  held: number
  queued: number
  refused: number
  limit: number
  medianMs: number
}

const BUSY = 'Server busy, please retry shortly'
/** Requests in each measurement window (fewer when the last adjustment is older than WINDOW_MS). */
const WINDOW_SIZE = 20
const WINDOW_MS = 250

// A refused client comes back on its open connection: a new one would wait to be accepted, and Node's event loop
// accepts one connection per turn, a long turn on a busy server, so a storm's reconnections waited seconds in the
// kernel's accept queue before any of this could see them (tests/bench/README.md, "overload").
function refuse(res: ServerResponse) {
  if (res.headersSent) return
  res.writeHead(503, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Retry-After': '1',
    'Content-Length': Buffer.byteLength(BUSY),
  })
  res.end(BUSY)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

export function admissionControl(
  options: AdmissionOptions,
  next: RequestListener,
): RequestListener & { stats(): AdmissionStats; hold(): () => void; held(): number; now: RequestListener } {
  const targetMs = options.targetMs ?? 250
  const burstMs = options.burstMs ?? 2000
  const minConcurrent = Math.min(options.minConcurrent ?? 4, options.maxConcurrent)
  let limit = options.maxConcurrent
  let active = 0
  let refused = 0
  let medianMs = 0
  let window: number[] = []
  let windowStarted = performance.now()
  let waitedInWindow = false
  let held = 0
  /** When orders started being in flight without a pause (shorter pauses do not count), and when the last ended. */
  let heldSince = 0
  let heldEnded = -Infinity
  let burstTimer: NodeJS.Timeout | undefined
  const queue: Array<{ start(): void; timer: NodeJS.Timeout }> = []

  const adjust = (now: number) => {
    if (window.length < WINDOW_SIZE && !(window.length >= 3 && now - windowStarted >= WINDOW_MS)) return
    medianMs = median(window)
    if (waitedInWindow) {
      if (medianMs > targetMs) limit = Math.max(minConcurrent, Math.floor(limit * Math.max(0.5, targetMs / medianMs)))
      else limit = Math.min(options.maxConcurrent, limit + Math.max(1, Math.floor(limit / 8)))
    }
    window = []
    windowStarted = now
    waitedInWindow = queue.length > 0
  }

  /** Pages started at once now: the adaptive limit; one during a burst of orders; half the limit in a storm. */
  const room = () => {
    if (held === 0) return limit
    return performance.now() - heldSince < burstMs ? 1 : Math.max(1, Math.ceil(limit / 2))
  }
  const startNext = () => {
    while (active < room() && queue.length) {
      const waiting = queue.shift()!
      clearTimeout(waiting.timer)
      waiting.start()
    }
  }

  const admit = (req: IncomingMessage, res: ServerResponse) => {
    active++
    const started = performance.now()
    let done = false
    const release = () => {
      if (done) return
      done = true
      active--
      const now = performance.now()
      window.push(now - started)
      adjust(now)
      startNext()
    }
    res.once('finish', release)
    res.once('close', release)
    next(req, res)
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // Health checks and the built assets (static files, cheap, and a page needs them all) are never held back.
    if (req.url === '/healthz' || req.url?.startsWith('/build/')) return next(req, res)
    if (active < room() && queue.length === 0) return admit(req, res)
    waitedInWindow = true
    // The wait a page may spend queued is what is left of `queueTimeoutMs` once it is handled (median time): a page
    // served after 500 ms queued and 300 ms rendered was a page answered in 0.8 s, slower than its refusal.
    const waitBudgetMs = Math.max(0, options.queueTimeoutMs - medianMs)
    const expectedWaitMs = ((queue.length + 1) * medianMs) / limit
    if (queue.length >= options.maxQueued || expectedWaitMs > waitBudgetMs) {
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
      }, waitBudgetMs),
    }
    queue.push(entry)
    // Pages queued behind a burst of orders get their share when the burst becomes a storm, even if no page ends then.
    if (held > 0 && !burstTimer) {
      burstTimer = setTimeout(
        () => {
          burstTimer = undefined
          startNext()
        },
        Math.max(0, heldSince + burstMs - performance.now()),
      )
      burstTimer.unref()
    }
    // A client that gives up while waiting leaves the queue.
    res.once('close', () => {
      const i = queue.indexOf(entry)
      if (i >= 0) {
        queue.splice(i, 1)
        clearTimeout(entry.timer)
      }
    })
  }
  /** An order is in flight until the returned function is called (once; later calls do nothing). */
  const hold = () => {
    if (held++ === 0) {
      const now = performance.now()
      if (now - heldEnded >= targetMs) heldSince = now
    }
    let released = false
    return () => {
      if (released) return
      released = true
      if (--held === 0) {
        heldEnded = performance.now()
        startNext()
      }
    }
  }
  /** Starts a request at once, past the limit and the queue: an order's own answer (its number is bounded by the checkout's queue), never a page turned away busy. */
  const now: RequestListener = (req, res) => admit(req, res)
  return Object.assign(listener, {
    hold,
    /** Orders in flight now (what `stats().held` says, without building the stats). */
    held: () => held,
    now,
    stats: () => ({ active, held, queued: queue.length, refused, limit, medianMs: Math.round(medianMs) }),
  })
}
