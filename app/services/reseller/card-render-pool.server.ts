// Poster rasterising on threads of its own. Parsing the SVG (where resvg shapes every text with the CJK fonts),
// drawing and PNG encoding take ~150–300 ms of CPU per poster; on libuv's pool the encoding still ran on the
// event loop (~16 ms per poster) and renders held the threads that file reads need. Here the whole of it runs on a
// worker thread: the event loop only posts the SVG and receives the bytes.
//
// resvg-js builds its font database per render (no API keeps one); the fonts are memory-mapped, so that is a few
// ms once the files are in the page cache: each thread draws a small text at start so the first poster a customer
// asks for does not pay for reading ~40 MB of fonts from disk.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ResvgRenderOptions } from '@resvg/resvg-js'
import { createBoundedPool, type BoundedPool } from '#app/utils/bounded-pool.server'

export interface RenderedPng {
  png: Buffer
  /** The thread that drew it (never the main thread's 0). */
  threadId: number
}

// Plain CommonJS run by `new Worker(…, { eval: true })`: no file to find next to a bundled server build.
const WORKER_SOURCE = `
const { parentPort, workerData, threadId } = require('node:worker_threads')
const { Resvg } = require(workerData.resvg)
const draw = (svg, options) => new Resvg(svg, options).render().asPng()
try {
  draw(workerData.warmSvg, workerData.warmOptions)
} catch {}
parentPort.on('message', ({ id, svg, options }) => {
  try {
    parentPort.postMessage({ id, png: draw(svg, options), threadId })
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) })
  }
})
`

interface Pending {
  resolve: (r: RenderedPng) => void
  reject: (e: Error) => void
}

class RenderThread {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly warm: { svg: string; options: ResvgRenderOptions }) {}

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        resvg: createRequire(import.meta.url).resolve('@resvg/resvg-js'),
        warmSvg: this.warm.svg,
        warmOptions: this.warm.options,
      },
    })
    // An idle render thread never keeps the process alive (tests, scripts, a stopping server).
    worker.unref()
    worker.on('message', (m: { id: number; png?: Uint8Array; threadId?: number; error?: string }) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.error !== undefined || !m.png) p.reject(new Error(`poster render failed: ${m.error}`))
      else p.resolve({ png: Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength), threadId: m.threadId! })
    })
    // A thread that dies fails what it was drawing; the next render starts a new one.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`poster render thread exited (${code})`)))
    return worker
  }

  render(svg: string, options: ResvgRenderOptions): Promise<RenderedPng> {
    this.worker ??= this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker!.postMessage({ id, svg, options })
    })
  }

  /** Starts the thread now (and its warm-up render), rather than at the first poster. */
  prestart() {
    this.worker ??= this.start()
  }

  async stop() {
    const w = this.worker
    this.worker = null
    await w?.terminate()
  }
}

export interface RenderPool {
  /**
   * Rasterises on a render thread; PoolFullError at once when `threads` renders run and `maxQueue` wait. The SVG
   * may be made once admitted (a poster's photos are read then, so they are bounded too).
   */
  render(svg: string | (() => Promise<string>), options: ResvgRenderOptions): Promise<RenderedPng>
  prestart(): void
  stop(): Promise<void>
  readonly running: number
  readonly waiting: number
}

export function createRenderPool(options: {
  threads: number
  maxQueue: number
  warm: { svg: string; options: ResvgRenderOptions }
}): RenderPool {
  const threads = Array.from({ length: options.threads }, () => new RenderThread(options.warm))
  const idle = [...threads]
  const pool: BoundedPool = createBoundedPool({ concurrency: options.threads, maxQueue: options.maxQueue })
  return {
    render: (svg, renderOptions) =>
      pool.run(async () => {
        // The bounded pool runs at most `threads` tasks, so a thread is always free here.
        const thread = idle.pop()!
        try {
          return await thread.render(typeof svg === 'string' ? svg : await svg(), renderOptions)
        } finally {
          idle.push(thread)
        }
      }),
    prestart: () => threads.forEach((t) => t.prestart()),
    stop: async () => {
      await Promise.all(threads.map((t) => t.stop()))
    },
    get running() {
      return pool.running
    },
    get waiting() {
      return pool.waiting
    },
  }
}
