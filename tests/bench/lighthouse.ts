// Lighthouse (mobile preset) on the pages a phone opens most: home, a session, search, a product, a share page and a
// reseller's shop.
// `npm run bench:lighthouse` starts the built app against a fresh embedded PostgreSQL with the demo seed (or uses
// LIGHTHOUSE_URL, e.g. http://localhost:3000, when a server is already running), drives Debian's Chromium and prints
// the four category scores plus LCP, TBT and CLS per page. Never part of `npm test`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { ROOT, ensureBuild, log } from './harness'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const APP_PORT = Number(process.env.LIGHTHOUSE_APP_PORT ?? 3109)
const PG_PORT = Number(process.env.LIGHTHOUSE_PG_PORT ?? 54349)
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 1)

async function startApp(): Promise<{ base: string; stop: () => void }> {
  ensureBuild()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lighthouse-pg-'))
  const child: ChildProcess = spawn('npx', ['tsx', 'app/server/main.ts'], {
    cwd: ROOT, stdio: 'ignore', detached: true,
    env: { ...process.env, PORT: String(APP_PORT), EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(PG_PORT), NODE_ENV: 'production', SESSION_SECRET: process.env.SESSION_SECRET ?? 'lighthouse-session-secret-0123456789' },
  })
  const base = `http://localhost:${APP_PORT}`
  const stop = () => { try { process.kill(-child.pid!, 'SIGTERM') } catch { /* already gone */ } rmSync(dir, { recursive: true, force: true }) }
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { base, stop } } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500))
  }
  stop()
  throw new Error('the app did not come up within 2 minutes')
}

/** The pages to measure, found the way a visitor finds them: the first session on the home page, its first product. */
async function pages(base: string): Promise<{ name: string; url: string }[]> {
  const home = await (await fetch(base)).text()
  const session = home.match(/href="(\/sessions\/[0-9a-f-]{36})"/)?.[1]
  const sessionHtml = session ? await (await fetch(base + session)).text() : ''
  const product = sessionHtml.match(/href="(\/products\/[0-9a-f-]{36})"/)?.[1]
  const list = [{ name: 'home', url: `${base}/` }, { name: 'search', url: `${base}/search` }, { name: 'share', url: `${base}/s/demo-lily-mulan-winter-2026` }, { name: 'shop', url: `${base}/shop/lily-hz` }]
  if (session) list.splice(1, 0, { name: 'session', url: base + session })
  if (product) list.push({ name: 'product', url: base + product })
  return list
}

const own = process.env.LIGHTHOUSE_URL ? null : await startApp()
const base = process.env.LIGHTHOUSE_URL ?? own!.base
const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] })
try {
  const rows: Record<string, string | number>[] = []
  for (const page of await pages(base)) {
    for (let run = 1; run <= RUNS; run++) {
      log(`lighthouse ${page.name} (${run}/${RUNS}) ${page.url}`)
      // Lighthouse's default config is the mobile preset (Moto G power emulation, slow 4G throttling).
      const result = await lighthouse(page.url, { port: chrome.port, output: 'json', logLevel: 'error' })
      const lhr = result!.lhr
      const score = (k: string) => Math.round((lhr.categories[k]?.score ?? 0) * 100)
      rows.push({
        page: page.name, perf: score('performance'), a11y: score('accessibility'), bp: score('best-practices'), seo: score('seo'),
        'LCP s': Number(((lhr.audits['largest-contentful-paint']?.numericValue ?? 0) / 1000).toFixed(2)),
        'TBT ms': Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
        CLS: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
      })
      const failing = Object.values(lhr.categories.accessibility?.auditRefs ?? [])
        .map((ref) => lhr.audits[ref.id]).filter((a) => a && a.score === 0).map((a) => a!.id)
      if (failing.length) log(`  accessibility audits failing on ${page.name}: ${failing.join(', ')}`)
    }
  }
  console.table(rows)
} finally {
  await chrome.kill()
  own?.stop()
}
