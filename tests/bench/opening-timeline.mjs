// A session opening's timeline on the server, from the probe's log (tests/bench/server-probe.mjs):
//   BENCH_NODE_ARGS="--import ./tests/bench/server-probe.mjs" npm run bench -- opening
//   node tests/bench/opening-timeline.mjs [round …]      (-1: the warm-up opening; default: every round run)
// Per opening, in ms from the moment its checkouts left: the requests as they came in and the answers as they went
// out (runs of them), each read, batch, lock, write and COMMIT, the event loop's late timers and the GC pauses.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = path.resolve('.data/bench')
const log = readFileSync(process.env.SERVER_PROBE_OUT || path.join(dir, 'server-probe.log'), 'utf8').split('\n')
const events = []
for (const line of log) {
  const [kind, at, a, b] = line.split(' ')
  if (kind === 'step') events.push({ at: +at, what: a, n: +b })
  else if (kind === 'late') events.push({ at: +at, what: 'late', n: +a })
  else if (kind === 'gc') events.push({ at: +at, what: `gc ${b}`, n: +a })
}
events.sort((x, y) => x.at - y.at)
const rounds = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['-1', '0', '1', '2', '3', '4'].filter((r) => existsSync(path.join(dir, `opening-client-${r}.json`)))
const RUNS = new Set(['request', 'answer'])
for (const r of rounds) {
  const { startAt } = JSON.parse(readFileSync(path.join(dir, `opening-client-${r}.json`), 'utf8'))
  console.log(`opening ${r}`)
  let run = null
  const flush = () => {
    if (run) console.log(`  ${ms(run.from)}–${ms(run.to)}  ${run.what} × ${run.n}`)
    run = null
  }
  const ms = (at) => (at - startAt).toFixed(1).padStart(6)
  for (const e of events.filter((e) => e.at >= startAt - 5 && e.at <= startAt + 1000)) {
    if (RUNS.has(e.what)) {
      if (run?.what !== e.what) flush()
      run ??= { what: e.what, from: e.at, n: 0 }
      run.to = e.at
      run.n++
      continue
    }
    flush()
    console.log(`  ${ms(e.at)}  ${e.what} ${e.what === 'late' || e.what.startsWith('gc') ? `${e.n} ms` : e.n}`)
  }
  flush()
}
