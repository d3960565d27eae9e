// Lighthouse (mobile preset) on the pages a phone opens most: home, a session, search, a product, a share page and a
// reseller's shop.
// `npm run bench:lighthouse` starts the built app against a fresh embedded PostgreSQL with the demo seed (or uses
// LIGHTHOUSE_URL, e.g. http://localhost:3000, when a server is already running), drives Debian's Chromium and prints
// the four category scores plus LCP, TBT and CLS per page. Never part of `npm test`.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse, { type Result } from 'lighthouse'
import { ROOT, ensureBuild, log } from './harness'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const APP_PORT = Number(process.env.LIGHTHOUSE_APP_PORT ?? 3109)
const PG_PORT = Number(process.env.LIGHTHOUSE_PG_PORT ?? 54349)
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 1)
// LIGHTHOUSE_PAGES=home,shop measures only those pages; LIGHTHOUSE_JSON=<dir> keeps each run's full report there.
const ONLY = process.env.LIGHTHOUSE_PAGES?.split(',').filter(Boolean)
const JSON_DIR = process.env.LIGHTHOUSE_JSON

async function startApp(): Promise<{ base: string; stop: () => void }> {
  ensureBuild()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lighthouse-pg-'))
  // Run as root, the embedded PostgreSQL runs as the `postgres` user, who must be able to enter the folder.
  chmodSync(dir, 0o755)
  const base = `http://localhost:${APP_PORT}`
  const start = (env: Record<string, string>): ChildProcess =>
    spawn('npx', ['tsx', 'app/server/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
      env: { ...process.env, PORT: String(APP_PORT), EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(PG_PORT), ...env },
    })
  const kill = (child: ChildProcess) => {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      /* already gone */
    }
  }
  const up = async (child: ChildProcess) => {
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return
      } catch {
        /* not up yet */
      }
      if (child.exitCode != null) break
      await new Promise((r) => setTimeout(r, 500))
    }
    kill(child)
    rmSync(dir, { recursive: true, force: true })
    throw new Error('the app did not come up within 2 minutes')
  }
  const gone = (child: ChildProcess) =>
    new Promise<void>((r) => {
      if (child.exitCode != null) r()
      else child.once('exit', () => r())
    })
  // Production refuses to seed demo data, so a first start in development mode seeds the fresh database.
  const seeding = start({ NODE_ENV: 'development' })
  await up(seeding)
  await photosIn(base)
  kill(seeding)
  await gone(seeding)
  await new Promise((r) => setTimeout(r, 2000))
  // Then the production server on it. It never pays: production refuses the test-payment provider, so Stripe gets
  // keys that are never used and a closed local port.
  const child = start({
    NODE_ENV: 'production',
    SEED: '0',
    SESSION_SECRET: process.env.SESSION_SECRET ?? 'lighthouse-session-secret-0123456789',
    INSECURE_COOKIES: '1',
    STRIPE_SECRET_KEY: 'sk_test_lighthouse_never_used',
    STRIPE_WEBHOOK_SECRET: 'whsec_lighthouse_never_used',
    STRIPE_API_HOST: '127.0.0.1',
    STRIPE_API_PORT: '9',
    STRIPE_API_PROTOCOL: 'http',
  })
  await up(child)
  return {
    base,
    stop: () => {
      kill(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The seeded demo's product photos are shot after the server is up: wait until the session pages show no generated
 * art (the first time on a machine this takes a minute or two; later runs reuse the stored photos).
 */
async function photosIn(base: string) {
  const started = Date.now()
  while (Date.now() - started < 10 * 60_000) {
    const home = await (await fetch(base)).text()
    const sessions = [...home.matchAll(/href="(\/sessions\/[0-9a-f-]{36})"/g)].map((m) => m[1])
    const pages = await Promise.all([...new Set(sessions)].map(async (s) => (await fetch(base + s)).text()))
    if (sessions.length && !pages.some((html) => html.includes('/art/product/'))) {
      log(`demo photos in after ${Math.round((Date.now() - started) / 1000)} s`)
      return
    }
    await new Promise((r) => setTimeout(r, 2000))
  }
  throw new Error('the demo photos were not in within 10 minutes')
}

/** The pages to measure, found the way a visitor finds them: the first session on the home page, its first product. */
async function pages(base: string): Promise<{ name: string; url: string }[]> {
  const home = await (await fetch(base)).text()
  const session = home.match(/href="(\/sessions\/[0-9a-f-]{36})"/)?.[1]
  const sessionHtml = session ? await (await fetch(base + session)).text() : ''
  const product = sessionHtml.match(/href="(\/products\/[0-9a-f-]{36})"/)?.[1]
  const list = [
    { name: 'home', url: `${base}/` },
    { name: 'search', url: `${base}/search` },
    { name: 'share', url: `${base}/s/demo-lily-mulan-winter-2026` },
    { name: 'shop', url: `${base}/shop/lily-hz` },
  ]
  if (session) list.splice(1, 0, { name: 'session', url: base + session })
  if (product) list.push({ name: 'product', url: base + product })
  return ONLY ? list.filter((p) => ONLY.includes(p.name)) : list
}

/**
 * Why a category has no score: Lighthouse leaves it null (and says nothing) when the run failed (runtimeError, e.g.
 * NO_NAVSTART when the trace missed the navigation) or one of the category's audits errored.
 */
function noScoreReasons(lhr: Result): string[] {
  const lines: string[] = []
  if (lhr.runtimeError) lines.push(`runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`)
  else
    for (const [key, category] of Object.entries(lhr.categories)) {
      if (category.score != null) continue
      const errors = category.auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((a) => a && (a.scoreDisplayMode === 'error' || a.errorMessage))
        .map((a) => `${a!.id}: ${a!.errorMessage ?? 'error'}`)
      lines.push(`no ${key} score${errors.length ? ` (${errors.slice(0, 3).join('; ')})` : ''}`)
    }
  for (const warning of lhr.runWarnings ?? []) lines.push(`warning: ${warning}`)
  return lines
}

interface LongTaskDebug {
  urls: string[]
  tasks: ({ urlIndex: number; startTime: number; duration: number } & Record<string, number>)[]
}

const short = (url: string) => (url.startsWith('http') ? (new URL(url).pathname.split('/').pop() ?? url) : url)

/**
 * What blocked the main thread: each long task (simulated timing, as TBT counts it) with the script it is
 * attributed to and its split by kind of work, then each script's own time (evaluation, parse and compile).
 */
function blockingWork(lhr: Result): string[] {
  const lines: string[] = []
  const debug = (lhr.audits['long-tasks']?.details as { debugData?: LongTaskDebug } | undefined)?.debugData
  const tbt = lhr.audits['total-blocking-time']?.numericValue
  if (tbt != null) lines.push(`TBT ${Math.round(tbt)} ms, ${debug?.tasks.length ?? 0} long tasks`)
  for (const task of debug?.tasks ?? []) {
    const { urlIndex, startTime, duration, ...groups } = task
    const split = Object.entries(groups)
      .filter(([, ms]) => ms >= 5)
      .sort((a, b) => b[1] - a[1])
      .map(([group, ms]) => `${group} ${Math.round(ms)}`)
      .join(', ')
    lines.push(
      `  long task ${Math.round(duration)} ms at ${Math.round(startTime)} ms, ${short(debug!.urls[urlIndex])}: ${split}`,
    )
  }
  const bootup = lhr.audits['bootup-time']?.details as
    { items?: { url: string; total: number; scripting: number; scriptParseCompile: number }[] } | undefined
  const scripts = (bootup?.items ?? [])
    .filter((item) => item.total >= 20)
    .map((item) => `${short(item.url)} ${Math.round(item.scripting)}+${Math.round(item.scriptParseCompile)}`)
  if (scripts.length) lines.push(`  script ms (evaluation+parse/compile, 4× slowed): ${scripts.join(', ')}`)
  return lines
}

const own = process.env.LIGHTHOUSE_URL ? null : await startApp()
const base = process.env.LIGHTHOUSE_URL ?? own!.base
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
})
try {
  const rows: Record<string, string | number>[] = []
  log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  for (const page of await pages(base)) {
    for (let run = 1; run <= RUNS; run++) {
      log(`lighthouse ${page.name} (${run}/${RUNS}) ${page.url}`)
      // Lighthouse's default config is the mobile preset (Moto G power emulation, slow 4G throttling). A run whose
      // trace failed (a runtime error: no scores at all) is said and run again, up to twice.
      let lhr: Result | undefined
      for (let attempt = 0; attempt < 3; attempt++) {
        lhr = (await lighthouse(page.url, { port: chrome.port, output: 'json', logLevel: 'error' }))!.lhr
        if (!lhr.runtimeError) break
        log(`  ${page.name}: runtime error ${lhr.runtimeError.code}, ${attempt < 2 ? 'running again' : 'giving up'}`)
      }
      if (!lhr) continue
      if (JSON_DIR) writeFileSync(path.join(JSON_DIR, `${page.name}-${run}.json`), JSON.stringify(lhr))
      const score = (k: string) => {
        const value = lhr.categories[k]?.score
        return value == null ? 'none' : Math.round(value * 100)
      }
      const tbt = lhr.audits['total-blocking-time']?.numericValue
      rows.push({
        page: page.name,
        perf: score('performance'),
        a11y: score('accessibility'),
        bp: score('best-practices'),
        seo: score('seo'),
        'LCP s': Number(((lhr.audits['largest-contentful-paint']?.numericValue ?? 0) / 1000).toFixed(2)),
        'TBT ms': tbt == null ? 'none' : Math.round(tbt),
        CLS: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
        load: os.loadavg()[0].toFixed(1),
      })
      for (const line of noScoreReasons(lhr)) log(`  ${page.name}: ${line}`)
      for (const line of blockingWork(lhr)) log(`  ${page.name}: ${line}`)
      const failing = Object.values(lhr.categories.accessibility?.auditRefs ?? [])
        .map((ref) => lhr.audits[ref.id])
        .filter((a) => a && a.score === 0)
        .map((a) => a!.id)
      if (failing.length) log(`  accessibility audits failing on ${page.name}: ${failing.join(', ')}`)
    }
  }
  console.table(rows)
  log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  await chrome.kill()
  own?.stop()
}
