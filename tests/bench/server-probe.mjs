// Where a bench server's main thread loses time, for reading a latency tail against it:
//   BENCH_NODE_ARGS="--import ./tests/bench/server-probe.mjs" npm run bench -- posters
// Appends to .data/bench/server-probe.log (SERVER_PROBE_OUT, through BENCH_SERVER_ENV, names another file): each
// second a JSON line (event-loop utilisation, timer lateness p99/max, GC pauses by kind, heap), and as they happen
// `late <epoch ms> <ms>` (a 1 ms timer fired that late: the loop was busy, or the thread waited for a core) and
// `gc <epoch ms> <ms> <kind>` for pauses over 3 ms, and `step <epoch ms> <step> <n>` for each step of a checkout
// (app/services/checkout/timeline.server.ts; tests/bench/opening-timeline.mjs prints an opening's). Posters' asks
// carry the same clock (BENCH_POSTER_ASKS_OUT).
import { subscribe } from 'node:diagnostics_channel'
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

if (isMainThread) {
  const file = process.env.SERVER_PROBE_OUT || path.resolve('.data/bench/server-probe.log')
  mkdirSync(path.dirname(file), { recursive: true })
  const out = createWriteStream(file, { flags: 'a' })
  const kinds = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-callbacks' }
  const at = (t) => (performance.timeOrigin + t).toFixed(1)
  const pauses = []
  // The channel's name is app/services/checkout/timeline.server.ts's CHECKOUT_STEPS_CHANNEL.
  subscribe('clearance.checkout.steps', (m) => out.write(`step ${m.at.toFixed(1)} ${m.step} ${m.n}\n`))
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = kinds[e.detail?.kind] ?? String(e.detail?.kind)
      pauses.push({ kind, ms: e.duration })
      if (e.duration > 3) out.write(`gc ${at(e.startTime)} ${e.duration.toFixed(1)} ${kind}\n`)
    }
  }).observe({ entryTypes: ['gc'] })
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  let expected = performance.now() + 1
  const tick = () => {
    const late = performance.now() - expected
    if (late > 6) out.write(`late ${at(expected)} ${late.toFixed(1)}\n`)
    expected = performance.now() + 1
    setTimeout(tick, 1).unref()
  }
  setTimeout(tick, 1).unref()
  let utilisation = performance.eventLoopUtilization()
  setInterval(() => {
    const elu = performance.eventLoopUtilization(utilisation)
    utilisation = performance.eventLoopUtilization()
    const gc = {}
    for (const p of pauses.splice(0)) {
      const k = (gc[p.kind] ??= { n: 0, ms: 0, max: 0 })
      k.n++
      k.ms = Math.round((k.ms + p.ms) * 10) / 10
      k.max = Math.max(k.max, Math.round(p.ms * 10) / 10)
    }
    const ms = (ns) => Math.round(ns / 1e5) / 10
    out.write(
      JSON.stringify({
        t: new Date().toISOString(),
        elu: Math.round(elu.utilization * 100) / 100,
        loopP99Ms: ms(delay.percentile(99)),
        loopMaxMs: ms(delay.max),
        gc,
        heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
      }) + '\n',
    )
    delay.reset()
  }, 1000).unref()
}
