// Benchmark harness: the production build as a child process against its own embedded PostgreSQL
// (durable commits), peak RSS of the server process, load generation and result files.
// Never part of `npm test`: run with `npm run bench` (see tests/bench/run.ts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { sql as kysql } from 'kysely'
import postgres from 'postgres'
import { createDb, type Db } from '#db/client'
import { startEmbeddedPostgres, type EmbeddedServer } from '#db/embedded'
import { migrateToLatest } from '#db/migrate'
import { runLoad, type LoadResult, type PageLoadOptions } from './page-load-client'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const OUT_DIR = path.join(ROOT, '.data/bench')
/** Fixed so the harness can sign session cookies exactly as the server checks them. */
export const BENCH_SESSION_SECRET = 'bench-session-secret-0123456789'

// Ports (this worktree's allocation): app servers 3300–3399, PostgreSQL 54400–54499; overridable.
export const PORTS = {
  app: Number(process.env.BENCH_APP_PORT ?? 3108),
  pg: Number(process.env.BENCH_PG_PORT ?? 54348),
}

export function log(message: string) {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

// ---------- build ----------

let built = false
/** `remix build` once per run (BENCH_SKIP_BUILD=1 reuses an existing build). */
/** The production build exists and no source it is made from changed since. */
export function buildIsCurrent(): boolean {
  const built = path.join(ROOT, 'build/index.js')
  if (!existsSync(built)) return false
  // Only a build made for the benchmarks has their routes (see remix.config.js).
  if (!readFileSync(built, 'utf8').includes('routes/bench.bare')) return false
  const builtAt = statSync(built).mtimeMs
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs > builtAt,
    )
  return !newer(path.join(ROOT, 'app')) && statSync(path.join(ROOT, 'remix.config.js')).mtimeMs <= builtAt
}

export function ensureBuild() {
  if (built) return
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'build/index.js'))) {
    log('using the existing production build (BENCH_SKIP_BUILD=1)')
  } else if (buildIsCurrent()) {
    log('using the existing production build (newer than every file under app/ and remix.config.js)')
  } else {
    log('building (remix build)…')
    // A production build whatever NODE_ENV the caller has (vitest sets "test", which would build development JSX).
    execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', BUILD_BENCH_ROUTES: '1' },
    })
  }
  built = true
}

// ---------- database ----------

/** Durable commits, stated explicitly so the figures never depend on a default. */
export const DURABLE_FLAGS = ['-c', 'synchronous_commit=on', '-c', 'fsync=on', '-c', 'full_page_writes=on']

export interface BenchDatabase {
  url: string
  /** Replaced after crashAndRestart(): read it again rather than keeping a reference. */
  db: Db
  settings: Record<string, string>
  pgVersion: string
  /**
   * Crash PostgreSQL (SIGQUIT to the postmaster: immediate shutdown, no checkpoint, WAL replay on the next
   * start) and start it again on the same data directory. What a client heard as committed must survive.
   */
  crashAndRestart(): Promise<void>
  stop(): Promise<void>
}

/** The statements that took the most database time since the last reset (needs `statements: true`), for BENCH_STATEMENTS=1. */
export async function topStatements(
  db: Db,
  limit = 12,
): Promise<{ query: string; calls: number; totalMs: number; meanMs: number }[]> {
  const r = await kysql<{ query: string; calls: string; total: number; mean: number }>`
    select query, calls, total_exec_time as total, mean_exec_time as mean from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit ${limit}`.execute(
    db,
  )
  return r.rows.map((x) => ({
    query: x.query.replace(/\s+/g, ' ').slice(0, 160),
    calls: Number(x.calls),
    totalMs: round(x.total, 1),
    meanMs: round(x.mean, 3),
  }))
}

/** A fresh embedded PostgreSQL in .data/bench-<name> (wiped first), migrated, with durable commits verified. */
export async function startBenchDatabase(
  name: string,
  options: { port?: number; statements?: boolean } = {},
): Promise<BenchDatabase> {
  const dataDir = path.join(ROOT, `.data/bench-${name}`)
  const port = options.port ?? PORTS.pg
  rmSync(dataDir, { recursive: true, force: true })
  // pg_stat_statements (to count queries per request) only where a scenario asks: it costs a little per statement.
  const flags = [
    ...DURABLE_FLAGS,
    ...(options.statements
      ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all']
      : []),
    ...(process.env.BENCH_PG_EXTRA?.split(' ').filter(Boolean) ?? []),
  ]
  let embedded: EmbeddedServer | null = await startEmbeddedPostgres({ dataDir, port, postgresFlags: flags })
  try {
    const url = await embedded.createDatabaseIfMissing('bench')
    const db = createDb(url, { max: 4 })
    await migrateToLatest(db, url)
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    if (options.statements) await sql`create extension if not exists pg_stat_statements`
    const settings: Record<string, string> = {}
    for (const key of [
      'synchronous_commit',
      'fsync',
      'full_page_writes',
      'wal_sync_method',
      'shared_buffers',
      'max_connections',
    ]) {
      const [row] = await sql.unsafe(`show ${key}`)
      settings[key] = String(Object.values(row!)[0])
    }
    const [v] = await sql`select current_setting('server_version') as v`
    await sql.end()
    if (settings.synchronous_commit !== 'on' || settings.fsync !== 'on') {
      throw new Error(`bench database is not durable: ${JSON.stringify(settings)}`)
    }
    const handle: BenchDatabase = {
      url,
      db,
      settings,
      pgVersion: String(v!.v),
      async crashAndRestart() {
        await handle.db.destroy().catch(() => {})
        const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
        process.kill(pid, 'SIGQUIT')
        const deadline = Date.now() + 30_000
        while (isAlive(pid)) {
          if (Date.now() > deadline) throw new Error('PostgreSQL did not go down after SIGQUIT')
          await sleep(50)
        }
        // The old handle's process has exited; a new one recovers from the WAL.
        embedded = await startEmbeddedPostgres({ dataDir, port, postgresFlags: flags })
        handle.db = createDb(url, { max: 4 })
      },
      async stop() {
        await handle.db.destroy().catch(() => {})
        await embedded?.stop().catch(() => {})
        embedded = null
      },
    }
    return handle
  } catch (error) {
    await embedded.stop().catch(() => {})
    throw error
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// ---------- memory ----------

export interface MemoryStats {
  peakRssMb: number
  lastRssMb: number
}

function readStatusKb(pid: number, key: string): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/** The process and its descendants (a WEB_CONCURRENCY primary and its HTTP workers), from /proc. */
export function processTree(pid: number): number[] {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    const p = tree[i]!
    let tasks: string[]
    try {
      tasks = readdirSync(`/proc/${p}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' '))
          if (child.trim()) tree.push(Number(child))
      } catch {
        /* the task ended */
      }
    }
  }
  return tree
}

/**
 * Polls VmRSS and VmHWM (the kernel's high-water mark) of a process and its descendants. The peak is the sum
 * of each process's own peak (one process: exactly its VmHWM), an upper bound for several processes.
 */
export function watchMemory(pid: number, everyMs = 100) {
  let peakKb = 0
  let lastKb = 0
  const sample = () => {
    let rss = 0
    let hwm = 0
    for (const p of processTree(pid)) {
      rss += readStatusKb(p, 'VmRSS') ?? 0
      hwm += readStatusKb(p, 'VmHWM') ?? 0
    }
    if (rss) lastKb = rss
    peakKb = Math.max(peakKb, rss, hwm)
  }
  sample()
  const timer = setInterval(sample, everyMs)
  timer.unref()
  return {
    stats(): MemoryStats {
      sample()
      return { peakRssMb: round(peakKb / 1024, 1), lastRssMb: round(lastKb / 1024, 1) }
    },
    stop() {
      clearInterval(timer)
    },
  }
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

/** CPU seconds (user + system) a process has used: robust to other load on the machine, unlike req/s. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid)
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : 0
}
const CLOCK_TICKS = 100

/**
 * CPU seconds of a process and all its descendants: the live ones' own time, plus what exited children
 * (a re-forked HTTP worker) used, which the kernel adds to their parent's cutime/cstime.
 */
export function treeCpuSeconds(pid: number): number {
  let total = 0
  for (const p of processTree(pid)) {
    const fields = statFields(p)
    if (fields)
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS
  }
  return total
}

/**
 * The machine's speed for page work right now: the least CPU time (ms) of five runs of a fixed job shaped like a
 * page render (60 cards rendered to HTML by React, their data through JSON and back). The same code's CPU per page
 * follows it: it was ~2× higher on 2026-12-07 than on 2026-11-30 on a quiet machine, and ~3× with the machine's two
 * cores shared by other builds. Read CPU per page against it, never across days alone.
 */
export function yardstickMs(): number {
  const cards = Array.from({ length: 60 }, (_, n) => ({
    id: `item-${n}`,
    title: `基准商品 ${n + 1}`,
    price: 19_900 + n * 50,
    sizes: ['S', 'M', 'L'],
  }))
  const job = () => {
    for (let i = 0; i < 20; i++) {
      const data = JSON.parse(JSON.stringify({ cards })) as { cards: typeof cards }
      renderToString(
        createElement(
          'ul',
          null,
          data.cards.map((c) =>
            createElement(
              'li',
              { key: c.id, 'data-id': c.id },
              createElement('h2', null, c.title),
              createElement('span', null, `¥${(c.price / 100).toFixed(2)}`),
              c.sizes.map((size) => createElement('button', { key: size, type: 'button' }, size)),
            ),
          ),
        ),
      )
    }
  }
  job() // compiled and warm before it is timed
  let best = Infinity
  for (let run = 0; run < 5; run++) {
    const started = process.cpuUsage()
    job()
    const used = process.cpuUsage(started)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return round(best, 1)
}

/** The machine's 1-minute load average: other work on a shared machine shows here. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0
}

/**
 * The machine's CPU time so far, from /proc/stat (null where there is none): all of it, and what the hypervisor
 * took for other guests ("steal"). On the shared 2-core machine the figures come from, steal during a scenario
 * ranged 0–20 % of the machine and moved every figure with it, so each scenario reports its own.
 */
export function cpuTicks(): { total: number; steal: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    return { total: cpu.reduce((a, b) => a + b, 0), steal: cpu[7] ?? 0 }
  } catch {
    return null
  }
}

/** The share of the machine's CPU the hypervisor took between two readings of cpuTicks, in per cent. */
export function stealPercent(from: ReturnType<typeof cpuTicks>, to: ReturnType<typeof cpuTicks>): number | null {
  if (!from || !to || to.total <= from.total) return null
  return round((100 * (to.steal - from.steal)) / (to.total - from.total), 1)
}

// ---------- app server ----------

export interface BenchServer {
  pid: number
  baseUrl: string
  memory(): MemoryStats
  /** User + system CPU seconds the server process and its descendants (HTTP workers) have used so far. */
  cpuSeconds(): number
  /** SIGKILL: the server dies without closing anything, right after its last response. */
  kill(): Promise<void>
  /** SIGTERM (SIGKILL after 5 s); how the server process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Node flags of `npm start` (package.json): a larger young generation, so the render's short-lived garbage costs less. */
const SERVER_NODE_ARGS = ['--max-semi-space-size=64']

/**
 * The production build (`build/index.js`) served by app/server/main.ts under node + tsx, as `npm start` does,
 * against the given database; no in-process worker, bench-only routes on. The pid measured is the node process itself,
 * with its descendants (`processes` > 1: the HTTP workers) counted in CPU and memory.
 */
export async function startServer(options: {
  name: string
  databaseUrl: string
  port?: number
  env?: Record<string, string>
  processes?: number
}): Promise<BenchServer> {
  ensureBuild()
  const port = options.port ?? PORTS.app
  mkdirSync(OUT_DIR, { recursive: true })
  const logFile = path.join(OUT_DIR, `server-${options.name}.log`)
  const logStream = createWriteStream(logFile)
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...SERVER_NODE_ARGS,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'app/server/main.ts',
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        SESSION_SECRET: BENCH_SESSION_SECRET,
        INSECURE_COOKIES: '1',
        RUN_WORKER: '0',
        SEED: '0',
        BENCH_ROUTES: '1',
        // Production refuses the test-payment provider; the benchmark never pays, and any Stripe call would go to a closed local port.
        STRIPE_SECRET_KEY: 'sk_test_bench_never_used',
        STRIPE_WEBHOOK_SECRET: 'whsec_bench_never_used',
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: '9',
        STRIPE_API_PROTOCOL: 'http',
        // >1: a node:cluster primary and that many HTTP processes (README, "Several processes"); measured as one tree.
        WEB_CONCURRENCY: String(options.processes ?? 1),
        // BENCH_SERVER_ENV="RENDER_THREADS=0 …": settings for every server of the run (an A/B of one setting).
        ...Object.fromEntries(
          (process.env.BENCH_SERVER_ENV?.split(' ').filter(Boolean) ?? []).map((kv) => [
            kv.slice(0, kv.indexOf('=')),
            kv.slice(kv.indexOf('=') + 1),
          ]),
        ),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout!.pipe(logStream)
  child.stderr!.pipe(logStream)
  let exited = false
  child.on('exit', () => {
    exited = true
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`bench server exited during start-up; see ${logFile}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`bench server did not answer /healthz; see ${logFile}`)
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`)
      if (res.ok) break
    } catch {
      /* not listening yet */
    }
    await sleep(200)
  }
  const memory = watchMemory(child.pid!)
  return {
    pid: child.pid!,
    baseUrl,
    memory: () => memory.stats(),
    cpuSeconds: () => treeCpuSeconds(child.pid!),
    async kill() {
      memory.stop()
      if (exited) return
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      // A profiled server writes its profile only when it exits by itself: SIGTERM (requests in flight finish;
      // what the books are checked for was acknowledged, so committed, before this), SIGKILL otherwise.
      child.kill(process.env.BENCH_NODE_ARGS?.includes('--cpu-prof') ? 'SIGTERM' : 'SIGKILL')
      await done
      logStream.end()
    },
    async stop() {
      memory.stop()
      if (exited) return { code: child.exitCode, signal: child.signalCode }
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      )
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      const ended = await done
      clearTimeout(timer)
      logStream.end()
      return ended
    },
  }
}

// ---------- load ----------

export type { LoadResult } from './page-load-client'

/**
 * A member who reloads a page has the stylesheets her first page inlined and set a cookie for
 * (app/utils/styles.server.ts): that cookie, read from one page of `baseUrl`, added to each member's cookie, so page
 * loads measure her repeat views (links to the CSS) rather than ~60 KB of CSS inlined in every answer.
 * `BENCH_FIRST_VISIT=1` keeps the first-visit page (every answer with the CSS), as measured before 2026-12-07 05:00.
 */
export async function returningVisitors(baseUrl: string, cookies: string[]): Promise<string[]> {
  if (process.env.BENCH_FIRST_VISIT === '1') return cookies
  const res = await fetch(`${baseUrl}/`, { redirect: 'manual' })
  await res.arrayBuffer()
  const styles = res.headers
    .getSetCookie()
    .map((c) => /^styles=[^;]+/.exec(c)?.[0])
    .find(Boolean)
  if (!styles) throw new Error('the home page set no styles cookie')
  return cookies.map((c) => `${c}; ${styles}`)
}

/** autocannon against one URL, from this process (`page-load-client.ts`). */
export const load: (options: PageLoadOptions) => Promise<LoadResult> = runLoad

/**
 * A page load that is the background of another measurement, in a process of its own at nice 19: it should not
 * take the cores from the server, as phones elsewhere would not. `started` resolves when the load begins (the
 * process takes a moment to start), `result` when it is over.
 */
export function backgroundLoad(options: PageLoadOptions): { started: Promise<void>; result: Promise<LoadResult> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/bench/page-load-client.ts'), JSON.stringify(options)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  // Raising one's own child's nice value needs no privilege.
  os.setPriority(child.pid!, 19)
  let out = ''
  let begin!: () => void
  const started = new Promise<void>((resolve) => (begin = resolve))
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    if (out.startsWith('started\n')) begin()
  })
  const result = new Promise<LoadResult>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult)
        : reject(new Error(`the page load process exited with ${code}`)),
    ),
  )
  return { started, result }
}

// ---------- results ----------

export interface MachineInfo {
  date: string
  nproc: number
  cpuModel: string
  memoryGb: number
  node: string
  postgres?: string
  kernel: string
}

export function machineInfo(pgVersion?: string): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: pgVersion,
    kernel: os.release(),
  }
}

export interface SummaryRow {
  scenario: string
  metric: string
  value: string
  target?: string
  note?: string
}

export function printTable(rows: SummaryRow[]) {
  const headers = ['scenario', 'metric', 'value', 'target', 'note'] as const
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  console.log(line([...headers]))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(headers.map((h) => String(r[h] ?? ''))))
}

export function writeResults(payload: unknown): { file: string; summary: string } {
  mkdirSync(OUT_DIR, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = path.join(OUT_DIR, `results-${stamp}.json`)
  const summary = path.join(OUT_DIR, 'bench-results.json')
  const text = JSON.stringify(payload, null, 2)
  writeFileSync(file, text)
  writeFileSync(summary, text)
  return { file, summary }
}

// ---------- helpers ----------

export function round(n: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Exact percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function fileSizeMb(file: string): number {
  return existsSync(file) ? round(statSync(file).size / 2 ** 20, 1) : 0
}

/** The median of a list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (!values.length) return 0
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** "median (min–max)" of repeated measurements: a figure with its spread. */
export function spread(values: number[], digits = 0, unit = ''): string {
  if (values.length <= 1) return `${round(values[0] ?? 0, digits)}${unit}`
  const f = (n: number) => round(n, digits).toLocaleString('en-US')
  return `${f(median(values))}${unit} (${f(Math.min(...values))}–${f(Math.max(...values))})`
}
