import type { IncomingMessage, ServerResponse } from 'node:http'
import { Worker } from 'node:worker_threads'
import { environmentWith } from '#app/utils/env.server'
import { forwardDrops, runDrop } from '#app/utils/thread-drops.server'

// Pages rendered on threads of their own. A Node process renders on its event loop, and a render (~3–5 ms of CPU
// for the session page) holds every other callback of that turn: at a session's opening 500 checkouts reached their
// handler 0.6–0.8 s late behind a hundred members' page renders (0.31 × the single-SKU storm with them, 0.75 ×
// without; tests/bench/README.md). Here the main thread keeps the sockets, admission control, orders, her public
// pages and everything small; a page it would have rendered is posted to a render thread, which runs the same
// server build (its own module graph, database pool and kept reads) and posts the whole answer back, compressed.
// The operating system then shares the cores between the renders and the orders instead of the event loop's turns.
//
// What a thread cannot see is not sent to it: her share pages and shop (kept whole on the main thread), search (the
// embedded index lives there), a reseller's own pages (her link's views are counted there, in memory, for a second),
// anything that is not a GET or HEAD (actions write, and their drops must run where the orders commit), the
// benchmarks' read of the order queue's counters, and files
// (paths with an extension: Express's static files and the routes that answer bytes). Kept reads a thread holds are
// dropped in every thread when one changes them (app/utils/thread-drops.server.ts).

/**
 * How many render threads a process starts when RENDER_THREADS does not say: none under `npm run dev` (its rebuilds
 * reach the main thread's build only) or in a cluster (a process per core already renders on every core); else two,
 * or one on a single core. A thread waits for its page's reads between renders, and at nice 10 it only takes what
 * the orders leave: on 2 cores a second one served the session page at a session opening 6–60 % faster and met the
 * page's p99 on four runs of five against two of five, for ~150 MB more (tests/bench/README.md).
 */
export function renderThreads(o: { asked?: number; dev: boolean; processes: number; cores: number }): number {
  if (o.asked !== undefined) return o.asked
  if (o.dev || o.processes > 1) return 0
  return Math.min(2, o.cores)
}

export type RenderedPage = {
  status: number
  statusText: string
  headers: Array<[string, string]>
  body: Uint8Array
}

export type ToRenderThread =
  | { type: 'request'; id: number; method: string; url: string; headers: Array<[string, string]> }
  | { type: 'abort'; id: number }
  | { type: 'drop'; name: string }
  | { type: 'stop' }

export type FromRenderThread =
  | { type: 'ready' }
  | { type: 'response'; id: number; page: RenderedPage }
  | { type: 'failed'; id: number }
  | { type: 'drop'; name: string }

// `/bench/grab` reads the group-commit queue's counters, which live where the orders commit (a thread's are zero).
const NOT_HERE = /^\/(?:s|shop|search|reseller|build|healthz|bench\/grab)(?:[/?]|$)/

/** Whether a request is a page a render thread can answer (see above for what stays on the main thread). */
export function rendersOnThread(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const url = req.url ?? '/'
  if (NOT_HERE.test(url)) return false
  const pathname = url.split('?')[0]!
  // A file, or a route that answers one (a CSV, a poster, an image): the last segment has an extension.
  return !/\.[^/]*$/.test(pathname)
}

// The thread's entry: tsx's loader registered in that thread (a module hook is per thread), then the TypeScript.
const bootstrap = (tsxApi: string, entry: string) =>
  `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`

interface Pending {
  req: IncomingMessage
  res: ServerResponse
}

class RenderThread {
  readonly pending = new Map<number, Pending>()
  private worker: Worker
  private stopped = false
  private exited = false
  /** Started (its build loaded) and not exited: requests go only to live threads. */
  alive = false

  constructor(
    private readonly pool: { onDrop(name: string, from: RenderThread): void; restart(thread: RenderThread): void },
    private readonly options: {
      mode: 'production' | 'development'
      nice: number
      env: Record<string, string | undefined>
    },
  ) {
    this.worker = this.start()
  }

  private start(): Worker {
    const worker = new Worker(
      bootstrap(import.meta.resolve('tsx/esm/api'), new URL('./render-thread.ts', import.meta.url).href),
      { eval: true, workerData: { mode: this.options.mode, nice: this.options.nice }, env: this.options.env },
    )
    worker.on('message', (message: FromRenderThread) => {
      if (message.type === 'response') this.answer(message.id, message.page)
      else if (message.type === 'failed') this.answer(message.id, null)
      else if (message.type === 'drop') this.pool.onDrop(message.name, this)
      else if (message.type === 'ready') this.alive = true
    })
    worker.on('error', (error) => console.error('render thread failed', error))
    worker.on('exit', (code) => {
      const wasReady = this.alive
      this.alive = false
      if (worker === this.worker) this.exited = true
      // Its pages are answered 500 (a request may be retried; an order is never here).
      for (const id of [...this.pending.keys()]) this.answer(id, null)
      if (this.stopped) return
      if (wasReady) {
        console.error(`render thread exited (code ${code}); starting another`)
        this.pool.restart(this)
      } else {
        // One that cannot start (a broken build, a missing module) would fail the same way again.
        this.stopped = true
        console.error(`render thread could not start (code ${code}); its pages are rendered on the main thread`)
      }
    })
    return worker
  }

  post(message: ToRenderThread) {
    this.worker.postMessage(message)
  }

  send(id: number, req: IncomingMessage, res: ServerResponse, url: string) {
    this.pending.set(id, { req, res })
    const headers: Array<[string, string]> = []
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      // The client address is the server's to say (whatever the client sent is replaced, as under Express).
      if (req.rawHeaders[i]!.toLowerCase() !== 'x-client-address')
        headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!])
    }
    const clientAddress = req.headers['x-client-address']
    if (typeof clientAddress === 'string') headers.push(['x-client-address', clientAddress])
    this.post({ type: 'request', id, method: req.method!, url, headers })
    // A client that leaves stops its render (loaders see the request's signal abort, as under Express).
    res.once('close', () => {
      if (this.pending.delete(id)) this.post({ type: 'abort', id })
    })
  }

  private answer(id: number, page: RenderedPage | null) {
    const pending = this.pending.get(id)
    if (!pending) return
    this.pending.delete(id)
    const { res } = pending
    if (res.headersSent || res.destroyed) return
    if (!page) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Something went wrong')
      return
    }
    res.statusCode = page.status
    if (page.statusText) res.statusMessage = page.statusText
    for (const [name, value] of page.headers) {
      const lower = name.toLowerCase()
      if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue
      if (lower === 'set-cookie') res.appendHeader('Set-Cookie', value)
      else res.setHeader(name, value)
    }
    res.setHeader('Content-Length', page.body.byteLength)
    res.end(Buffer.from(page.body.buffer, page.body.byteOffset, page.body.byteLength))
  }

  /** Stops the thread once the server has closed: it closes its own pools first (then SIGKILL-like terminate). */
  async stop(graceMs: number) {
    this.stopped = true
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.post({ type: 'stop' })
    const timer = setTimeout(() => void this.worker.terminate(), graceMs)
    await exited
    clearTimeout(timer)
  }

  replaceWorker() {
    if (this.stopped) return
    this.exited = false
    this.worker = this.start()
  }
}

export interface RenderPool {
  /**
   * Renders a page on the least busy live thread (`rendersOnThread` says which requests may come here); false when
   * no thread is live (one is being replaced), and the caller renders it itself.
   */
  handle(req: IncomingMessage, res: ServerResponse, url: string): boolean
  /** Pages in flight on the threads. */
  readonly inFlight: number
  /** Threads rendering now (started and not exited). */
  readonly live: number
  stop(graceMs?: number): Promise<void>
}

/**
 * `threads` render threads, each running the server build at `build/index.js` (resolved from the working directory,
 * as the main thread loads it) with `dbPoolMax` database connections of its own. Until a thread has loaded the
 * build (a second or two) and whenever none is live, `handle` says so and the main thread renders.
 */
export function startRenderPool(options: {
  threads: number
  mode: 'production' | 'development'
  dbPoolMax: number
  /** The threads' scheduling priority (a nice value, 0–19): orders on the main thread go first for the cores. */
  nice: number
}): RenderPool {
  let nextId = 1
  const env = environmentWith({ DB_POOL_MAX: String(options.dbPoolMax) })
  const pool = {
    onDrop(name: string, from: RenderThread) {
      runDrop(name)
      for (const t of threads) if (t !== from) t.post({ type: 'drop', name })
    },
    restart(thread: RenderThread) {
      setTimeout(() => thread.replaceWorker(), 500).unref()
    },
  }
  const threads = Array.from(
    { length: options.threads },
    () => new RenderThread(pool, { mode: options.mode, nice: options.nice, env }),
  )
  // A change committed here drops what every render thread keeps, on the port its next page request travels by.
  forwardDrops((name) => {
    for (const t of threads) t.post({ type: 'drop', name })
  })
  return {
    handle(req, res, url) {
      let thread: RenderThread | null = null
      for (const t of threads) if (t.alive && (!thread || t.pending.size < thread.pending.size)) thread = t
      if (!thread) return false
      thread.send(nextId++, req, res, url)
      return true
    },
    get inFlight() {
      return threads.reduce((n, t) => n + t.pending.size, 0)
    },
    get live() {
      return threads.filter((t) => t.alive).length
    },
    async stop(graceMs = 5_000) {
      forwardDrops(null)
      await Promise.all(threads.map((t) => t.stop(graceMs)))
    },
  }
}
