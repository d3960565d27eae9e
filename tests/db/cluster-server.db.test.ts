import { readFileSync } from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAlive, processTree, sleep, startServer, type BenchServer } from '#tests/bench/harness'
import { freePort } from '#tests/setup/free-port'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// app/server/main.ts with WEB_CONCURRENCY=2 against a test database: a primary (job worker, no HTTP) and two
// HTTP processes sharing the port. Uses the production build, rebuilt first when a source under app/ is newer.

/** One request on a fresh connection (a kept-alive one would always reach the same process). */
function request(
  baseUrl: string,
  method: string,
  pathname: string,
): Promise<{ status: number; pid: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${pathname}`,
      { method, agent: false, headers: { connection: 'close', 'content-type': 'application/json' } },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, pid: res.headers['x-process-id'] as string | undefined }),
        )
      },
    )
    req.on('error', reject)
    req.end(method === 'POST' ? '{}' : undefined)
  })
}

async function servingPids(baseUrl: string, tries = 30): Promise<Set<string>> {
  const pids = new Set<string>()
  for (let i = 0; i < tries; i++) {
    const res = await request(baseUrl, 'GET', '/healthz')
    expect(res.status).toBe(200)
    if (res.pid) pids.add(res.pid)
  }
  return pids
}

describe('several app processes (WEB_CONCURRENCY=2)', () => {
  let t: TestDatabase
  let server: BenchServer | null = null
  beforeAll(async () => {
    t = await createTestDatabase()
    server = await startServer({
      name: 'cluster-test',
      databaseUrl: t.url,
      port: await freePort(),
      processes: 2,
      env: { RUN_WORKER: '1', BENCH_ROUTES: '0' },
    })
  }, 120_000)
  afterAll(async () => {
    await server?.kill()
    await t.drop()
  })

  it('serves from two processes, re-forks one that dies, answers the checkout transport, and stops cleanly on SIGTERM', async () => {
    const s = server!
    // /healthz answers as soon as the first process listens; on a loaded machine the second forks a little later.
    const pids = new Set<string>()
    for (let i = 0; i < 75 && pids.size < 2; i++) {
      if (i) await sleep(200)
      for (const pid of await servingPids(s.baseUrl, 10)) pids.add(pid)
    }
    expect(pids.size).toBe(2)
    expect(pids.has(String(s.pid))).toBe(false) // the primary serves no HTTP
    // The primary and its two HTTP processes (tsx may also run an esbuild service while it compiles: not ours).
    const nodes = processTree(s.pid).filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('esbuild'))
    expect(nodes.sort()).toEqual([s.pid, ...[...pids].map(Number)].sort())

    // The grab hot path (node:http before Express) in a worker: signed out is 401.
    expect((await request(s.baseUrl, 'POST', '/api/checkout')).status).toBe(401)

    // A worker killed outright is replaced after a short back-off.
    const [victim] = [...pids]
    process.kill(Number(victim), 'SIGKILL')
    let replaced = new Set<string>()
    for (let i = 0; i < 50 && replaced.size < 2; i++) {
      await sleep(200)
      replaced = await servingPids(s.baseUrl, 10).catch(() => new Set<string>())
    }
    expect(replaced.size).toBe(2)
    expect(replaced.has(victim!)).toBe(false)

    const everyPid = processTree(s.pid)
    const ended = await s.stop()
    expect(ended).toEqual({ code: 0, signal: null })
    // Children may take a moment after the primary to finish exiting (and be reaped); none may stay.
    for (let i = 0; i < 30 && everyPid.some(isAlive); i++) await sleep(100)
    for (const pid of everyPid) expect(isAlive(pid), `process ${pid} outlived the primary by 3 s`).toBe(false)
  }, 60_000)
})
