import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedLiveSession, seedMembers, seedSingleSku } from '#tests/bench/fixtures'
import { seedAddresses } from '#tests/bench/grab'
import { BENCH_SESSION_SECRET, OUT_DIR, ROOT, sleep, startServer, type BenchServer } from '#tests/bench/harness'
import { freePort } from '#tests/setup/free-port'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The production topology on one machine (app/server/README.md, "Production topology"): a PostgreSQL started on its
// own, two web nodes (`npm run serve`, RUN_WORKER=0) each with its own embedded search index following the outbox,
// and one `npm run worker`. A balancer in front is replaced here by the test alternating between the nodes.

const UNITS = 40
const MEMBERS = 60

function startWorkerProcess(databaseUrl: string): ChildProcess {
  mkdirSync(OUT_DIR, { recursive: true })
  const log = createWriteStream(path.join(OUT_DIR, 'topology-worker.log'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: BENCH_SESSION_SECRET,
      STRIPE_SECRET_KEY: 'sk_test_topology_never_used',
      STRIPE_WEBHOOK_SECRET: 'whsec_topology_never_used',
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: '9',
      STRIPE_API_PROTOCOL: 'http',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.pipe(log)
  child.stderr!.pipe(log)
  return child
}

async function checkout(baseUrl: string, cookie: string, sessionItemSkuId: string, addressId: string) {
  const res = await fetch(`${baseUrl}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
    body: JSON.stringify({ lines: [{ sessionItemSkuId, quantity: 1 }], addressId }),
  })
  await res.arrayBuffer()
  return res.status
}

async function until<T>(what: string, probe: () => Promise<T | null | false>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const v = await probe().catch(() => null)
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

describe('two web nodes and one job worker on one database', () => {
  let t: TestDatabase
  const nodes: BenchServer[] = []
  let worker: ChildProcess | null = null

  beforeAll(async () => {
    t = await createTestDatabase()
    const common = { RUN_WORKER: '0', BENCH_ROUTES: '0' }
    for (const name of ['node-a', 'node-b'])
      nodes.push(
        await startServer({ name: `topology-${name}`, databaseUrl: t.url, port: await freePort(), env: common }),
      )
    worker = startWorkerProcess(t.url)
  }, 180_000)

  afterAll(async () => {
    for (const n of nodes) await n.stop().catch(() => {})
    if (worker && worker.exitCode === null) {
      const ended = new Promise((resolve) => worker!.once('exit', resolve))
      worker.kill('SIGTERM')
      await Promise.race([ended, sleep(5000)])
      worker.kill('SIGKILL')
    }
    await t.drop()
  })

  it('sells a hot SKU across both nodes without oversell, the worker runs what they enqueue, and both indexes follow', async () => {
    const { db } = t
    const live = await seedLiveSession(db, { items: 2, unitsPerSku: 5, slug: 'topology-brand' })
    const hot = await seedSingleSku(db, {
      brandId: live.brand.id,
      sessionId: live.session.id,
      units: UNITS,
      perMemberCap: 1,
      position: 99,
      title: '拓扑热卖 Topology hot dress',
    })
    const members = await seedMembers(db, MEMBERS, { prefix: 'topology' })
    const addresses = await seedAddresses(
      db,
      members.map((m) => m.id),
    )
    const [a, b] = nodes as [BenchServer, BenchServer]
    const stockBefore = await sql<{ n: number }>`select stock_on_hand as n from skus where id = ${hot.skuId}`.execute(
      db,
    )

    // The storm: every member at once, alternating nodes as a round-robin balancer would.
    const statuses = await Promise.all(
      members.map((m, i) => checkout(i % 2 ? b.baseUrl : a.baseUrl, m.cookie, hot.sessionItemSkuId, addresses[i]!)),
    )
    const count = (s: number) => statuses.filter((x) => x === s).length
    expect(count(201)).toBe(UNITS)
    expect(count(409)).toBe(MEMBERS - UNITS)
    expect(statuses.filter((s) => s >= 500)).toEqual([])

    const sold = await sql<{ units: number; available: number; on_hand: number }>`
      select (select coalesce(sum(l.quantity), 0)::int from order_lines l join orders o on o.id = l.order_id
                where l.session_item_sku_id = ${hot.sessionItemSkuId} and o.status <> 'cancelled') as units,
             (select available from session_item_skus where id = ${hot.sessionItemSkuId}) as available,
             (select stock_on_hand from skus where id = ${hot.skuId}) as on_hand`.execute(db)
    expect(sold.rows[0]).toEqual({ units: UNITS, available: 0, on_hand: stockBefore.rows[0]!.n - UNITS })

    // The payment deadline, brought forward: the separate worker runs the expiry jobs the web nodes enqueued in
    // the checkout's own transaction, and every held unit comes back.
    await sql`update checkouts set expires_at = now() - interval '1 second' where status = 'pending_payment'`.execute(
      db,
    )
    await sql`
      update graphile_worker._private_jobs set run_at = now()
      where task_id = (select id from graphile_worker._private_tasks where identifier = 'expire_checkout')`.execute(db)
    await until('the worker to expire the unpaid checkouts', async () => {
      const r = await sql<{ available: number }>`
        select available from session_item_skus where id = ${hot.sessionItemSkuId}`.execute(db)
      return r.rows[0]!.available === UNITS
    })
    const open = await sql<{ n: number }>`
      select count(*)::int as n from orders where status = 'pending_payment'`.execute(db)
    expect(open.rows[0]!.n).toBe(0)

    // Both nodes' embedded indexes follow the outbox: a renamed product is found on each without a restart.
    await sql`update products set title_en = 'Topology renamed zephyrcoat' where id =
      (select product_id from session_items where id = ${hot.itemId})`.execute(db)
    for (const node of nodes)
      await until(`${node.baseUrl} to find the renamed product`, async () => {
        const res = await fetch(`${node.baseUrl}/search?q=zephyrcoat`, { headers: { 'accept-language': 'en' } })
        return res.ok && (await res.text()).includes('zephyrcoat')
      })
  }, 180_000)
})
