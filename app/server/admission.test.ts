import { once } from 'node:events'
import http from 'node:http'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { listenOnLoopback, requestLoopback } from '#tests/setup/loopback-server'
import { admissionControl, type AdmissionOptions } from './admission'

/** A server whose every request takes `handleMs`, behind admission control. */
async function start(options: AdmissionOptions, handleMs: number) {
  const admitted = admissionControl(options, (_req, res) => {
    setTimeout(() => res.end('ok'), handleMs)
  })
  const port = await listenOnLoopback(admitted)
  const agent = new http.Agent({ keepAlive: false, maxSockets: 1000 })
  const get = async (path = '/') => {
    const t0 = performance.now()
    const res = await requestLoopback(port, { path, agent })
    const retryAfter = res.headers['retry-after'] as string | undefined
    return { status: res.status, ms: performance.now() - t0, retryAfter }
  }
  return { get, port, stats: admitted.stats, hold: admitted.hold, held: admitted.held }
}

describe('admission control', () => {
  it('past the limit and the queue, answers 503 with Retry-After at once', async () => {
    const { get } = await start({ maxConcurrent: 2, maxQueued: 2, queueTimeoutMs: 5000, targetMs: 10_000 }, 400)
    const answers = await Promise.all(Array.from({ length: 10 }, () => get()))
    const served = answers.filter((a) => a.status === 200)
    const refused = answers.filter((a) => a.status === 503)
    expect(served).toHaveLength(4)
    expect(refused).toHaveLength(6)
    for (const r of refused) {
      expect(r.retryAfter).toBe('1')
      expect(r.ms).toBeLessThan(Math.min(...served.map((a) => a.ms))) // at once, not after a served request's 400 ms
    }
  })

  it('keeps the connection open after a refusal: the next request on it is served', async () => {
    const { get, port } = await start({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 100, targetMs: 10_000 }, 150)
    const busy = get()
    const socket = net.connect(port, '127.0.0.1')
    await once(socket, 'connect')
    const answers: string[] = []
    socket.on('data', (chunk: Buffer) => answers.push(chunk.toString('latin1')))
    const ask = async (n: number) => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      while (answers.join('').split('HTTP/1.1 ').length - 1 < n) await new Promise((r) => setTimeout(r, 10))
    }
    await ask(1)
    expect(answers.join('')).toMatch(/^HTTP\/1.1 503/)
    expect(answers.join('')).not.toMatch(/connection: close/i)
    await busy
    await ask(2)
    expect(answers.join('').split('HTTP/1.1 ')[2]).toMatch(/^200/)
    expect(socket.destroyed).toBe(false)
    socket.destroy()
  })

  it('queues a request only as long as it can still be answered within the queue timeout, handling included', async () => {
    const { get, stats } = await start({ maxConcurrent: 1, maxQueued: 10, queueTimeoutMs: 300, targetMs: 10_000 }, 200)
    for (let i = 0; i < 3; i++) await get()
    expect(stats().medianMs).toBeGreaterThanOrEqual(200)
    // The second would wait ~200 ms and then take ~200 ms: past 300 ms, so it is refused at once, not served at ~400.
    const [first, second] = await Promise.all([get(), get()])
    expect(first!.status).toBe(200)
    expect(second!.status).toBe(503)
    expect(second!.ms).toBeLessThan(150)
  })

  it('a request waits at most the queue timeout', async () => {
    const { get } = await start({ maxConcurrent: 1, maxQueued: 10, queueTimeoutMs: 100, targetMs: 10_000 }, 500)
    const [first, second] = await Promise.all([get(), get()])
    expect(first!.status).toBe(200)
    expect(second!.status).toBe(503)
    expect(second!.ms).toBeLessThan(first!.ms) // after the 100 ms timeout, not the 500 ms the first one takes
  })

  it('shrinks the limit when handling is slower than the target, and refuses what could not be served in time', async () => {
    const { get, stats } = await start(
      { maxConcurrent: 32, maxQueued: 64, queueTimeoutMs: 200, targetMs: 20, minConcurrent: 2 },
      60,
    )
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 40 }, () => get()))
    expect(stats().limit).toBeLessThan(32)
    expect(stats().medianMs).toBeGreaterThanOrEqual(60)
    // With a median of 60 ms over a small limit, a burst beyond what fits in 200 ms of waiting is refused at once.
    const burst = await Promise.all(Array.from({ length: 60 }, () => get()))
    const served = burst.filter((a) => a.status === 200)
    expect(burst.some((a) => a.status === 503)).toBe(true)
    // No served request waited past the timeout: handling (60 ms) + at most 200 ms queued, with room for a busy machine.
    expect(Math.max(...served.map((a) => a.ms))).toBeLessThan(60 + 200 + 400)
  })

  it('grows the limit back when requests wait and handling is quick', async () => {
    const { get, stats } = await start(
      { maxConcurrent: 16, maxQueued: 200, queueTimeoutMs: 2000, targetMs: 200, minConcurrent: 2 },
      5,
    )
    for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 40 }, () => get()))
    expect(stats().limit).toBe(16)
  })

  it('without contention changes nothing: a slow server serving a few at a time refuses none', async () => {
    const { get, stats } = await start({ maxConcurrent: 32, maxQueued: 64, queueTimeoutMs: 100, targetMs: 20 }, 100)
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => get()))
      expect(answers.every((a) => a.status === 200)).toBe(true)
    }
    expect(stats().limit).toBe(32)
  })

  it('never holds back /healthz', async () => {
    const { get } = await start({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 100 }, 300)
    const busy = get()
    await new Promise((r) => setTimeout(r, 20))
    expect((await get('/x')).status).toBe(503)
    expect((await get('/healthz')).status).toBe(200)
    await busy
  })

  it('while an order is in flight starts one page at a time, and the queued pages when the last order is answered', async () => {
    const { get, stats, hold, held } = await start(
      { maxConcurrent: 8, maxQueued: 20, queueTimeoutMs: 5000, targetMs: 10_000 },
      300,
    )
    const release = hold()
    expect(held()).toBe(1)
    const t0 = performance.now()
    const pages = Promise.all(Array.from({ length: 4 }, () => get()))
    await new Promise((r) => setTimeout(r, 50))
    expect(stats()).toMatchObject({ held: 1, active: 1, queued: 3 })
    await new Promise((r) => setTimeout(r, 150))
    expect(stats()).toMatchObject({ held: 1, active: 1, queued: 3 })
    release()
    release() // a second call does nothing
    expect(held()).toBe(0)
    // The queued pages start together once the order is answered, not one at a time.
    expect(stats()).toMatchObject({ held: 0, active: 4, queued: 0 })
    const answers = await pages
    expect(answers.every((a) => a.status === 200)).toBe(true)
    expect(performance.now() - t0).toBeLessThan(200 + 300 + 400)
  })

  it('orders in flight without a pause (a storm) hold pages back only for a burst, then pages get half the limit', async () => {
    const { get, stats, hold } = await start(
      { maxConcurrent: 8, maxQueued: 50, queueTimeoutMs: 5000, targetMs: 150, burstMs: 150 },
      100,
    )
    // A stream of orders, each in flight 30 ms, a new one every 10 ms: there is always one in flight.
    let stop = false
    const stream = (async () => {
      while (!stop) {
        const release = hold()
        setTimeout(release, 30)
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    const t0 = performance.now()
    const pages = Promise.all(Array.from({ length: 16 }, () => get()))
    await new Promise((r) => setTimeout(r, 60))
    // The burst: one page at a time.
    expect(stats()).toMatchObject({ active: 1, queued: 15 })
    await new Promise((r) => setTimeout(r, 200))
    // Past the burst the orders have not stopped, and pages run four at a time (half of 8).
    expect(stats().held).toBeGreaterThan(0)
    expect(stats().active).toBe(4)
    const answers = await pages
    stop = true
    await stream
    expect(answers.every((a) => a.status === 200)).toBe(true)
    // One at a time this would take 16 × 100 ms; with half the limit after the burst, about 150 + 4 × 100 ms.
    expect(performance.now() - t0).toBeLessThan(1200)
  })
})
