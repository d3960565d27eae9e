// Posters under load: while the share page takes BENCH_SHARE_CONNECTIONS connections, the posters of share links
// made just before are asked for the first time, and a poster already drawn is asked for over and over. The bench
// server runs no job worker, so no poster was drawn ahead: each first ask waits for its render (in the server's
// bounded render pool, off the event loop), the worst case a reseller's first customers can meet.
import { rmSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { seedLiveSession, seedReseller } from './fixtures'
import {
  load,
  loadAverage,
  log,
  OUT_DIR,
  percentile,
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
}
const QUIET_LINKS = 6

interface Ask {
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
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
        }),
      )
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, retryAfter: null }))
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

/** Each poster asked for once, `concurrency` at a time; a refusal (503) is asked again after its Retry-After. */
async function firstAsks(urls: string[], concurrency: number): Promise<Ask[]> {
  const asks: Ask[] = []
  const queue = [...urls]
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let url = queue.shift(); url; url = queue.shift()) {
        const a = await ask(url)
        asks.push(a)
        if (a.status === 503) {
          await sleep(Number(a.retryAfter ?? 1) * 1000)
          queue.push(url)
        } else if (a.status !== 200) throw new Error(`${url} answered ${a.status}`)
      }
    }),
  )
  return asks
}

export async function postersScenario(): Promise<{ result: PostersResult; rows: SummaryRow[] }> {
  const database = await startBenchDatabase('posters')
  const cardsDir = path.join(OUT_DIR, 'cards-posters')
  rmSync(cardsDir, { recursive: true, force: true })
  let server: Awaited<ReturnType<typeof startServer>> | null = null
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

    server = await startServer({ name: 'posters', databaseUrl: database.url, env: { CARDS_DIR: cardsDir } })
    const base = server.baseUrl
    const poster = (token: string) => `${base}/s/${token}/card.png`
    const shareUrl = `${base}/s/${listToken}`
    log('posters: warm-up (share page; one poster drawn, the one asked for again and again)…')
    await load({ url: shareUrl, connections: 20, durationS: 3 })
    const drawn = singles.pop()!
    await firstAsks([poster(drawn)], 1)

    log(`posters: ${QUIET_LINKS} first renders with nothing else running…`)
    const quietFirstRender = summarise(await firstAsks(singles.splice(0, QUIET_LINKS).map(poster), 1))

    log(
      `posters: share page at ${SHARE.connections} connections for ${SHARE.seconds} s while ${singles.length} new posters are asked for (${POSTERS.concurrency} at a time) and the drawn one by ${POSTERS.cachedClients} clients…`,
    )
    const yardstick = yardstickMs()
    const cachedAsks: Ask[] = []
    let pageLoadOver = false
    const [sharePage, firstRender] = await Promise.all([
      load({ url: shareUrl, connections: SHARE.connections, durationS: SHARE.seconds }).finally(() => {
        pageLoadOver = true
      }),
      // Asked once the page load is under way, and all while it lasts (the page load runs for SHARE.seconds).
      sleep(1_000).then(() => firstAsks(singles.map(poster), POSTERS.concurrency)),
      sleep(1_000).then(() =>
        Promise.all(
          Array.from({ length: POSTERS.cachedClients }, async () => {
            while (!pageLoadOver) cachedAsks.push(await ask(poster(drawn)))
          }),
        ),
      ),
    ])
    const result: PostersResult = {
      quietFirstRender,
      firstRender: summarise(firstRender),
      cached: summarise(cachedAsks),
      sharePage,
      yardstickMs: yardstick,
      loadAverage: round(loadAverage(), 2),
      postgres: database.pgVersion,
    }
    const f = result.firstRender
    const c = result.cached
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
        metric: 'drawn poster during the load',
        value: `p50 ${c.p50Ms} / p99 ${c.p99Ms} ms`,
        target: 'p99 ≤ 20 ms',
        note: `${c.ok} asks by ${POSTERS.cachedClients} clients, ${c.refused} refused`,
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
    await server?.stop()
    await database.stop()
  }
}
