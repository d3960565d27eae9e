import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { preferredEncoding } from '#app/utils/content-encoding'
import { forwardDrops, runDrop } from '#app/utils/thread-drops.server'
import { guardBuild } from './input-guard'
import type { FromRenderThread, RenderedPage, ToRenderThread } from './render-pool'

// One render thread (app/server/render-pool.ts): the server build with its own module graph (its own database pool
// and kept reads), answering the page requests the main thread posts, whole, compressed here as `compression`
// would have on the main thread. Nothing here touches a socket.

const port = parentPort!
const { mode, nice } = workerData as { mode: 'production' | 'development'; nice: number }
if (nice) {
  try {
    os.setPriority(nice)
  } catch (error) {
    console.warn('render thread: could not lower its priority', error)
  }
}

// The same build as the main thread's, behind the same input guard.
const build = guardBuild((await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild)
const handle = createRequestHandler(build, mode)

// Drops this thread makes (a loader that writes) go to the main thread, which runs them and tells the other threads.
forwardDrops((name) => port.postMessage({ type: 'drop', name } satisfies FromRenderThread))

const inFlight = new Map<number, AbortController>()

/** Types `compression` compresses (its `compressible` list, in short): text, JSON, JavaScript, XML, SVG. */
const COMPRESSIBLE = /^(text\/|application\/(.+\+)?(json|javascript|xml)\b|image\/svg\+xml)/i
const THRESHOLD = 1024

function compress(page: RenderedPage, acceptEncoding: string, method: string): RenderedPage {
  const headers = new Map(page.headers.map(([k, v]) => [k.toLowerCase(), v]))
  const type = headers.get('content-type') ?? ''
  if (!COMPRESSIBLE.test(type)) return page
  page.headers.push(['Vary', 'Accept-Encoding'])
  if (method === 'HEAD' || page.body.byteLength < THRESHOLD || headers.has('content-encoding')) return page
  if (/\bno-transform\b/.test(headers.get('cache-control') ?? '')) return page
  // compression 1.8's choice: brotli (quality 4) or gzip, as the client rates them.
  const encoding = preferredEncoding(acceptEncoding)
  if (!encoding) return page
  const body =
    encoding === 'br'
      ? brotliCompressSync(page.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
      : gzipSync(page.body)
  page.headers = page.headers.filter(([k]) => k.toLowerCase() !== 'content-length')
  page.headers.push(['Content-Encoding', encoding])
  return { ...page, body: owned(body) }
}

/** Bytes in an ArrayBuffer of their own, which can be moved to the main thread (never a slice of a shared pool). */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

async function render(message: Extract<ToRenderThread, { type: 'request' }>) {
  const controller = new AbortController()
  inFlight.set(message.id, controller)
  try {
    const request = new Request(message.url, {
      method: message.method,
      headers: message.headers,
      signal: controller.signal,
    })
    // Her public pages are answered on the main thread (./public-pages.ts); nothing rendered here is kept there.
    const response = await handle(request, { publicPage: null })
    const headers: Array<[string, string]> = []
    for (const [name, value] of response.headers) if (name !== 'set-cookie') headers.push([name, value])
    for (const cookie of response.headers.getSetCookie()) headers.push(['Set-Cookie', cookie])
    const body = new Uint8Array(await response.arrayBuffer())
    const acceptEncoding = message.headers.find(([k]) => k.toLowerCase() === 'accept-encoding')?.[1] ?? ''
    const page = compress(
      { status: response.status, statusText: response.statusText, headers, body },
      acceptEncoding,
      message.method,
    )
    port.postMessage({ type: 'response', id: message.id, page } satisfies FromRenderThread, [
      page.body.buffer as ArrayBuffer,
    ])
  } catch (error) {
    if (!controller.signal.aborted) console.error(`${message.method} ${message.url} failed`, error)
    port.postMessage({ type: 'failed', id: message.id } satisfies FromRenderThread)
  } finally {
    inFlight.delete(message.id)
  }
}

port.on('message', (message: ToRenderThread) => {
  if (message.type === 'request') void render(message)
  else if (message.type === 'abort') inFlight.get(message.id)?.abort()
  else if (message.type === 'drop') runDrop(message.name)
  else if (message.type === 'stop') void stop()
})

/** The server has closed and no request is in flight here: close this thread's pools, then let the thread end. */
async function stop() {
  forwardDrops(null)
  await global.__marketplaceDb?.destroy().catch(() => {})
  port.close()
}
port.postMessage({ type: 'ready' } satisfies FromRenderThread)
