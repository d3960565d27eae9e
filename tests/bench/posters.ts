// Posters under load: while the share page takes BENCH_SHARE_CONNECTIONS connections, the posters of share links
// made just before are asked for the first time, and a poster already drawn is asked for over and over. The bench
// server runs no job worker, so no poster was drawn ahead: each first ask waits for its render (in the server's
// bounded render pool, off the event loop), the worst case a reseller's first customers can meet.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import { seedLiveSession, seedReseller } from './fixtures'
import {
  backgroundLoad,
  load,
  loadAverage,
  log,
  OUT_DIR,
  percentile,
  PORTS,
  ROOT,
  round,
  sleep,
  startBenchDatabase,
  startServer,
  yardstickMs,
  type LoadResult,
  type SummaryRow,
} from './harness'
import { SHARE } from './share'

const POSTERS = {
  /** New single-item links whose posters are asked for during the page load. */
  links: Number(process.env.BENCH_POSTER_LINKS ?? 24),
  /** First asks at a time (a few resellers opening their new links at once). */
  concurrency: Number(process.env.BENCH_POSTER_CONCURRENCY ?? 2),
  /** Clients asking for the drawn poster in a loop meanwhile. */
  cachedClients: Number(process.env.BENCH_POSTER_CACHED_CLIENTS ?? 4),
  /** Each of them asks at most every this many ms (phones opening a forwarded poster, not a flood). */
  cachedIntervalMs: Number(process.env.BENCH_POSTER_CACHED_INTERVAL_MS ?? 25),
}
const QUIET_LINKS = 6
/**
 * An nginx binary (optional): the drawn poster is then also asked through nginx in front of the server, configured
 * as app/server/README.md gives it for production (posters kept by nginx for the minute the app allows).
 */
const NGINX = process.env.BENCH_NGINX
const NGINX_PORT = Number(process.env.BENCH_NGINX_PORT ?? 3130)

/** The posters' part of the production nginx configuration (app/server/README.md), in front of `upstreamPort`. */
function nginxConfig(dir: string, upstreamPort: number): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream marketplace { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  proxy_cache_path ${dir}/posters levels=1:2 keys_zone=posters:10m max_size=1g inactive=10m;
  server {
    listen 127.0.0.1:${NGINX_PORT} backlog=4096;
    location / {
      proxy_pass http://marketplace;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host localhost:${upstreamPort};
    }
    location ~ ^/s/[^/]+/card\\.png$ {
      proxy_pass http://marketplace;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host localhost:${upstreamPort};
      proxy_cache posters;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 10s;
      add_header X-Cache $upstream_cache_status;
    }
  }
}
`
}

async function startNginx(binary: string, upstreamPort: number): Promise<{ baseUrl: string; stop: () => void }> {
  const dir = path.join(OUT_DIR, 'nginx-posters')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, upstreamPort))
  const child: ChildProcess = spawn(binary, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const baseUrl = `http://127.0.0.1:${NGINX_PORT}`
  for (let i = 0; ; i++) {
    const up = await ask(`${baseUrl}/healthz`)
    if (up.status === 200) break
    if (i > 50 || child.exitCode !== null) throw new Error(`nginx did not start on ${NGINX_PORT}`)
    await sleep(100)
  }
  return { baseUrl, stop: () => child.kill('SIGTERM') }
}

interface Ask {
  /** When it was sent, ms since the epoch. */
  at: number
  status: number
  ms: number
  retryAfter: string | null
}

export interface PosterMeasure {
  asks: number
  ok: number
  refused: number
  refusedWithRetryAfter: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

export interface PostersResult {
  quietFirstRender: PosterMeasure
  firstRender: PosterMeasure
  cached: PosterMeasure
  /** The drawn poster asked through nginx meanwhile (BENCH_NGINX), null without it. */
  cachedViaNginx: PosterMeasure | null
  /** Links made during the page load with the job worker running: time until both posters were on disk. */
  drawnAhead: { links: number; p50Ms: number; maxMs: number; firstAsk: PosterMeasure } | null
  sharePage: LoadResult
  yardstickMs: number
  loadAverage: number
  postgres: string
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

/** One GET of a poster, timed to its last byte. */
function ask(url: string): Promise<Ask> {
  return new Promise((resolve) => {
    const started = performance.now()
    const at = Date.now()
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          at,
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
        }),
      )
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve({ at, status: 0, ms: performance.now() - started, retryAfter: null }))
  })
}

function summarise(asks: Ask[]): PosterMeasure {
  const ok = asks.filter((a) => a.status === 200).map((a) => a.ms)
  const refused = asks.filter((a) => a.status === 503)
  return {
    asks: asks.length,
    ok: ok.length,
    refused: refused.length,
    refusedWithRetryAfter: refused.filter((a) => a.retryAfter !== null).length,
    p50Ms: round(percentile(ok, 50)),
    p95Ms: round(percentile(ok, 95)),
    p99Ms: round(percentile(ok, 99), 1),
    maxMs: round(Math.max(0, ...ok)),
  }
}

// The posters are asked from a thread of their own: autocannon's 500 connections keep the bench's main event loop
// busy, and an ask timed there would measure that loop's queue as much as the server.
const ASKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const http = require('node:http')
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const ask = (url) => new Promise((resolve) => {
  const started = performance.now()
  const at = Date.now()
  const req = http.get(url, { agent, timeout: 30000 }, (res) => {
    res.resume()
    res.on('end', () => resolve({ at, status: res.statusCode || 0, ms: performance.now() - started,
      retryAfter: res.headers['retry-after'] || null }))
  })
  req.on('timeout', () => req.destroy())
  req.on('error', () => resolve({ at, status: 0, ms: performance.now() - started, retryAfter: null }))
})
const stopped = new Set()
parentPort.on('message', async (m) => {
  if (m.kind === 'stop') return stopped.add(m.of)
  const asks = []
  try {
    if (m.kind === 'first') {
      const queue = [...m.urls]
      await Promise.all(Array.from({ length: m.concurrency }, async () => {
        for (let url = queue.shift(); url; url = queue.shift()) {
          const a = await ask(url)
          asks.push(a)
          if (a.status === 503) { await sleep(Number(a.retryAfter || 1) * 1000); queue.push(url) }
          else if (a.status !== 200) throw new Error(url + ' answered ' + a.status)
        }
      }))
    } else {
      await Promise.all(Array.from({ length: m.clients }, async () => {
        while (!stopped.has(m.id)) {
          const started = performance.now()
          asks.push(await ask(m.url))
          await sleep(m.intervalMs - (performance.now() - started))
        }
      }))
    }
    parentPort.postMessage({ id: m.id, asks })
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error.message || error) })
  }
})
`

function startAsker() {
  const thread = new Worker(ASKER_SOURCE, { eval: true })
  let next = 1
  const waiting = new Map<number, { resolve: (a: Ask[]) => void; reject: (e: Error) => void }>()
  thread.on('message', (m: { id: number; asks?: Ask[]; error?: string }) => {
    const w = waiting.get(m.id)
    waiting.delete(m.id)
    if (m.error !== undefined) w?.reject(new Error(m.error))
    else w?.resolve(m.asks!)
  })
  const send = (message: Record<string, unknown>) => {
    const id = next++
    return {
      id,
      done: new Promise<Ask[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        thread.postMessage({ ...message, id })
      }),
    }
  }
  return {
    /** Each poster asked for once, `concurrency` at a time; a refusal (503) is asked again after its Retry-After. */
    first: (urls: string[], concurrency: number) => send({ kind: 'first', urls, concurrency }).done,
    /** `clients` asking for `url` in a loop (at most every `cachedIntervalMs` each) until stopped. */
    loop(url: string, clients: number) {
      const { id, done } = send({ kind: 'loop', url, clients, intervalMs: POSTERS.cachedIntervalMs })
      return { stop: () => (thread.postMessage({ kind: 'stop', of: id }), done) }
    },
    stop: () => thread.terminate(),
  }
}

/** `npm run worker` on the bench database: the job worker that draws a new link's posters (render_share_posters). */
async function startJobWorker(env: Record<string, string>): Promise<{ stop: () => Promise<void> }> {
  const logFile = path.join(OUT_DIR, 'worker-posters.log')
  const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { createWriteStream } = await import('node:fs')
  const out = createWriteStream(logFile)
  child.stdout.pipe(out)
  child.stderr.pipe(out)
  // Ready once it listens for jobs (starting it under tsx takes seconds on a busy machine).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the job worker did not start in 60 s')), 60_000)
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('looking for jobs')) {
          clearTimeout(timer)
          resolve()
        }
      })
  })
  return {
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        // Not waiting on a graceful stop that does not come (a job mid-way): the bench's data is disposable.
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
      }),
  }
}

export async function postersScenario(): Promise<{ result: PostersResult; rows: SummaryRow[] }> {
  const database = await startBenchDatabase('posters')
  const cardsDir = path.join(OUT_DIR, 'cards-posters')
  rmSync(cardsDir, { recursive: true, force: true })
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  let nginx: Awaited<ReturnType<typeof startNginx>> | null = null
  let worker: Awaited<ReturnType<typeof startJobWorker>> | null = null
  const asker = startAsker()
  try {
    const db = database.db
    log(`posters: seeding a live session, a reseller, a share list and ${POSTERS.links + QUIET_LINKS + 1} new links…`)
    const { session, items } = await seedLiveSession(db, { items: 12, unitsPerSku: 200, slug: 'bench-posters' })
    const member = await seedReseller(db, 'bench-poster-reseller')
    const { forwardItems } = await import('#app/services/reseller/forwarding.server')
    const forward = async (mode: 'list' | 'single', count: number) => {
      const tokens: string[] = []
      for (let i = 0; tokens.length < count; i++) {
        const links = await forwardItems(db, member, {
          sessionId: session.id,
          itemIds: items.map((it) => it.itemId).slice(0, mode === 'list' ? 9 : count - tokens.length),
          prices: new Map(),
          rule: { kind: 'percent', value: 1000 + i, rounding: 'none' },
          mode,
          now: new Date(),
        })
        tokens.push(...links.map((l) => l.token))
      }
      return tokens.slice(0, count)
    }
    const [listToken] = await forward('list', 1)
    const singles = await forward('single', POSTERS.links + QUIET_LINKS + 1)
    // The job worker is not running yet: these links' render jobs stay queued, and are dropped before it starts.
    await sql`delete from graphile_worker._private_jobs`.execute(db)

    // Server and job worker write the same share URLs on posters (the same PUBLIC_URL), so the same hashes.
    const publicUrl = `http://localhost:${PORTS.app}`
    server = await startServer({
      name: 'posters',
      databaseUrl: database.url,
      env: { CARDS_DIR: cardsDir, PUBLIC_URL: publicUrl },
    })
    const base = server.baseUrl
    if (NGINX) nginx = await startNginx(NGINX, PORTS.app)
    const poster = (token: string) => `${base}/s/${token}/card.png`
    const shareUrl = `${base}/s/${listToken}`
    log('posters: warm-up (share page; one poster drawn, the one asked for again and again)…')
    await load({ url: shareUrl, connections: 20, durationS: 3 })
    const drawn = singles.pop()!
    await asker.first([poster(drawn)], 1)

    log(`posters: ${QUIET_LINKS} first renders with nothing else running…`)
    const quietFirstRender = summarise(await asker.first(singles.splice(0, QUIET_LINKS).map(poster), 1))

    log(
      `posters: share page at ${SHARE.connections} connections for ${SHARE.seconds} s while ${singles.length} new posters are asked for (${POSTERS.concurrency} at a time) and the drawn one by ${POSTERS.cachedClients} clients…`,
    )
    const yardstick = yardstickMs()
    // Through nginx, the drawn poster is first asked once (nginx keeps it for the minute the app allows).
    if (nginx) await asker.first([`${nginx.baseUrl}/s/${drawn}/card.png`], 1)
    const startLoops = () =>
      [poster(drawn), ...(nginx ? [`${nginx.baseUrl}/s/${drawn}/card.png`] : [])].map((url) =>
        asker.loop(url, POSTERS.cachedClients),
      )
    let loops: ReturnType<typeof startLoops> = []
    const pageLoad = backgroundLoad({ url: shareUrl, connections: SHARE.connections, durationS: SHARE.seconds })
    const underWay = pageLoad.started.then(() => sleep(1_000))
    const [sharePage, firstRender, [cachedAsks, nginxAsks]] = await Promise.all([
      pageLoad.result,
      // Asked once the page load is under way (its process started, a second in), and all while it lasts (the page
      // load runs for SHARE.seconds).
      underWay.then(() => asker.first(singles.map(poster), POSTERS.concurrency)),
      underWay
        .then(() => (loops = startLoops()))
        .then(() => sleep(SHARE.seconds * 1000 - 1_000))
        .then(() => Promise.all(loops.map((l) => l.stop()))),
    ])

    // With the job worker running, as in production: links made during the page load, their posters drawn ahead.
    log(
      `posters: job worker started; ${QUIET_LINKS} links made during the share page load, each poster asked 3 s later…`,
    )
    worker = await startJobWorker({
      DATABASE_URL: database.url,
      CARDS_DIR: cardsDir,
      PUBLIC_URL: publicUrl,
      SESSION_SECRET: 'bench-session-secret-0123456789',
      STRIPE_SECRET_KEY: 'sk_test_bench_never_used',
      STRIPE_WEBHOOK_SECRET: 'whsec_bench_never_used',
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: '9',
      STRIPE_API_PROTOCOL: 'http',
    })
    const aheadMs: number[] = []
    const aheadAsks: Ask[] = []
    const jobsFor = async (token: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs
          where payload::jsonb -> 'tokens' ? ${token}::text`.execute(db)
      ).rows[0]!.n
    const aheadLoad = backgroundLoad({ url: shareUrl, connections: SHARE.connections, durationS: SHARE.seconds })
    await Promise.all([
      aheadLoad.result,
      (async () => {
        await aheadLoad.started
        await sleep(1_000)
        for (let i = 0; i < QUIET_LINKS; i++) {
          const made = performance.now()
          const [token] = await forward('single', 1)
          void (async () => {
            while ((await jobsFor(token!)) > 0) await sleep(20)
            aheadMs.push(performance.now() - made)
          })()
          await sleep(3_000 - (performance.now() - made))
          aheadAsks.push(...(await asker.first([poster(token!)], 1)))
        }
      })(),
    ])
    const result: PostersResult = {
      quietFirstRender,
      firstRender: summarise(firstRender),
      cached: summarise(cachedAsks!),
      cachedViaNginx: nginxAsks ? summarise(nginxAsks) : null,
      drawnAhead: {
        links: aheadMs.length,
        p50Ms: round(percentile(aheadMs, 50)),
        maxMs: round(Math.max(0, ...aheadMs)),
        firstAsk: summarise(aheadAsks),
      },
      sharePage,
      yardstickMs: yardstick,
      loadAverage: round(loadAverage(), 2),
      postgres: database.pgVersion,
    }
    // Every drawn poster's ask with its start on the wall clock, to read against the server's (server-probe.mjs).
    if (process.env.BENCH_POSTER_ASKS_OUT)
      writeFileSync(process.env.BENCH_POSTER_ASKS_OUT, JSON.stringify({ direct: cachedAsks, nginx: nginxAsks ?? null }))
    const f = result.firstRender
    const c = result.cached
    const n = result.cachedViaNginx
    const a = result.drawnAhead!
    const rows: SummaryRow[] = [
      {
        scenario: 'posters',
        metric: 'first render, nothing else running',
        value: `p50 ${quietFirstRender.p50Ms} / p95 ${quietFirstRender.p95Ms} ms`,
        note: `${quietFirstRender.ok} posters`,
      },
      {
        scenario: 'posters',
        metric: `first render during the share page load`,
        value: `p50 ${f.p50Ms} / p95 ${f.p95Ms} / max ${f.maxMs} ms`,
        target: 'p95 ≤ 500 ms',
        note: `${f.ok} posters, ${f.refused} asks refused (503, ${f.refusedWithRetryAfter} with Retry-After) and asked again`,
      },
      {
        scenario: 'posters',
        metric: 'drawn poster during the load, from the server',
        value: `p50 ${c.p50Ms} / p99 ${c.p99Ms} ms`,
        target: 'p99 ≤ 20 ms',
        note: `${c.ok} asks by ${POSTERS.cachedClients} clients, ${c.refused} refused`,
      },
      {
        scenario: 'posters',
        metric: 'drawn poster during the load, through nginx',
        value: n ? `p50 ${n.p50Ms} / p99 ${n.p99Ms} ms` : 'not measured (BENCH_NGINX unset)',
        target: 'p99 ≤ 20 ms',
        note: n ? `${n.ok} asks by ${POSTERS.cachedClients} clients, ${n.refused} refused` : '',
      },
      {
        scenario: 'posters',
        metric: 'link made during the load: posters drawn by the job worker',
        value: `p50 ${a.p50Ms} / max ${a.maxMs} ms after the link`,
        note: `${a.links} links; first ask 3 s after: p50 ${a.firstAsk.p50Ms} / max ${a.firstAsk.maxMs} ms`,
      },
      {
        scenario: 'posters',
        metric: 'share page meanwhile',
        value: `${sharePage.servedPerSec} pages/s (p99 ${sharePage.servedP99Ms} ms)`,
        note: `${SHARE.connections} connections, ${sharePage.non2xx} non-2xx; yardstick ${yardstick} ms, load ${result.loadAverage}`,
      },
    ]
    return { result, rows }
  } finally {
    agent.destroy()
    await asker.stop()
    nginx?.stop()
    await worker?.stop()
    await server?.stop()
    await database.stop()
  }
}
