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
  /** Texts shaped for this poster, and texts drawn from the outlines the thread kept. */
  shapedTexts: number
  keptTexts: number
}

/** Outlines kept per thread, in characters of SVG (~2 bytes each). */
const MAX_SHAPED_CHARS = 16 << 20

// Plain CommonJS run by `new Worker(…, { eval: true })`: no file to find next to a bundled server build.
//
// Shaping text is most of a poster's CPU: for every <text> resvg sets up the CJK font's layout tables again (~4–8 ms
// each, a dozen per poster, two dozen per nine-grid), whatever its length. Most of a poster's texts recur (labels,
// her name, the end time, sizes, prices), so each thread keeps every text it shaped as the outlines resvg made of it
// (`toString()` writes text as paths), by the exact element: position, size, weight, colour and words. A poster is
// drawn from outlines, with the texts it has not seen shaped in one batch first; the final draw loads no font.
const WORKER_SOURCE = `
const { parentPort, workerData, threadId } = require('node:worker_threads')
const { Resvg } = require(workerData.resvg)
const TEXT = /<text\\b[^>]*>[^<]*<\\/text>/g
const shaped = new Map()
let shapedChars = 0
function remember(text, outline) {
  shaped.set(text, outline)
  shapedChars += text.length + outline.length
  for (const [old, o] of shaped) {
    if (shapedChars <= workerData.maxShapedChars) break
    shaped.delete(old)
    shapedChars -= old.length + o.length
  }
}
function outlined(svg, font) {
  const texts = svg.match(TEXT) || []
  const here = new Map()
  const missing = []
  for (const t of texts) {
    if (here.has(t)) continue
    const o = shaped.get(t)
    if (o === undefined) missing.push(t)
    else {
      shaped.delete(t)
      shaped.set(t, o)
      here.set(t, o)
    }
  }
  if (missing.length) {
    const root = svg.slice(0, svg.indexOf('>') + 1)
    const batch = root + missing.map((t, i) => '<g id="t' + i + '">' + t + '</g>').join('') + '</svg>'
    const out = new Resvg(batch, { font }).toString()
    missing.forEach((t, i) => {
      const start = out.indexOf('<g id="t' + i + '"')
      const end = i + 1 < missing.length ? out.indexOf('<g id="t' + (i + 1) + '"', start) : out.lastIndexOf('</svg>')
      if (start < 0 || end < 0) throw new Error('text outlines not found')
      const o = out.slice(start, end).replace('<g id="t' + i + '"', '<g').trim()
      here.set(t, o)
      remember(t, o)
    })
  }
  return { svg: svg.replace(TEXT, (t) => here.get(t)), shapedTexts: new Set(missing).size, keptTexts: here.size - missing.length }
}
const draw = (svg, options) => {
  const drawn = outlined(svg, options.font)
  // Anything left that is text (none the posters make) is drawn with the fonts, as resvg would.
  const font = drawn.svg.includes('<text') ? options.font : { loadSystemFonts: false }
  return { png: new Resvg(drawn.svg, { ...options, font }).render().asPng(), shapedTexts: drawn.shapedTexts, keptTexts: drawn.keptTexts }
}
try {
  draw(workerData.warmSvg, workerData.warmOptions)
} catch {}
parentPort.on('message', ({ id, svg, options }) => {
  try {
    parentPort.postMessage({ id, ...draw(svg, options), threadId })
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
        maxShapedChars: MAX_SHAPED_CHARS,
        warmSvg: this.warm.svg,
        warmOptions: this.warm.options,
      },
    })
    // An idle render thread never keeps the process alive (tests, scripts, a stopping server).
    worker.unref()
    worker.on('message', (m: { id: number; png?: Uint8Array; error?: string } & Partial<RenderedPng>) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.error !== undefined || !m.png) p.reject(new Error(`poster render failed: ${m.error}`))
      else
        p.resolve({
          png: Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength),
          threadId: m.threadId!,
          shapedTexts: m.shapedTexts!,
          keptTexts: m.keptTexts!,
        })
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
