// Grab storm: one live session, one hot SKU with 5,000 units, 200 signed-in members POSTing the checkout from a
// separate process until it is sold out; then the books are checked in SQL. The ceiling is measured first in the
// same database, so grabs/s ÷ ceiling compares like with like.
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { measureCeiling, type CeilingResult } from './ceiling'
import { createBenchGrabsTable, seedLiveSession, seedMembers, seedSingleSku } from './fixtures'
import type { GrabClientConfig, GrabClientResult } from './grab-client'
import {
  loadAverage,
  log,
  OUT_DIR,
  ROOT,
  round,
  spread,
  startBenchDatabase,
  startServer,
  topStatements,
  type SummaryRow,
} from './harness'

const run = promisify(execFile)

export const GRAB = {
  members: Number(process.env.BENCH_GRAB_MEMBERS ?? 200),
  units: Number(process.env.BENCH_GRAB_UNITS ?? 5_000),
  perMemberCap: 40,
  maxSeconds: Number(process.env.BENCH_GRAB_MAX_SECONDS ?? 20),
  /** Storms per figure: each figure printed is their median, with the spread. */
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
}

// checkout: the real checkout (single-SKU grabs group-committed, app/services/checkout/group-commit.server.ts);
// perrequest: the same checkout on a server started with GRAB_QUEUE=0 (one transaction per request);
// checkout2: the real checkout through two app processes on one database; bench: a per-request stand-in.
type Endpoint = 'checkout' | 'perrequest' | 'checkout2' | 'bench'
const PATHS: Record<Endpoint, string> = {
  checkout: '/api/checkout',
  perrequest: '/api/checkout',
  checkout2: '/api/checkout',
  bench: '/bench/grab',
}
const LABELS: Record<Endpoint, string> = {
  checkout: 'real checkout (group commit)',
  perrequest: 'real checkout, per request (GRAB_QUEUE=0)',
  checkout2: 'real checkout, 2 app processes',
  bench: 'stand-in, per request',
}
const isCheckout = (e: Endpoint) => e !== 'bench'
/** The second app process for the two-process storm (same database), and the GRAB_QUEUE=0 server. */
const SECOND_PORT = Number(process.env.BENCH_APP_PORT_2 ?? 3308)
const PER_REQUEST_PORT = Number(process.env.BENCH_APP_PORT_3 ?? 3309)

export interface StormResult {
  endpoint: Endpoint
  round: number
  ceilingPerSec: number
  path: string
  client: GrabClientResult
  ratio: number
  checks: Record<string, { ok: boolean; detail: string }>
  hotSessionItemSkuId: string
  peakRssMb: number
  serverCpuSeconds: number
  serverCpuMsPerRequest: number
  loadAverage: number
  /** Group-commit counters from the server(s). */
  prototype?: {
    batches: number
    requests: number
    largestBatch: number
    meanBatch: number
    meanCommitMs: number
    fallbacks: number
  }
  /** With BENCH_STATEMENTS=1: where the database's time went during the storm (pg_stat_statements, track=all). */
  statements?: Awaited<ReturnType<typeof topStatements>>
}

export interface GrabResult {
  members: number
  units: number
  perMemberCap: number
  rounds: number
  ceilings: CeilingResult[]
  storms: StormResult[]
  postgres: string
}

/** Where the main storm goes: the real checkout when the server has it, else the bench stand-in (BENCH_GRAB_ENDPOINT overrides). */
async function pickEndpoint(baseUrl: string): Promise<'checkout' | 'bench'> {
  const forced = process.env.BENCH_GRAB_ENDPOINT
  if (forced === 'checkout' || forced === 'bench') return forced
  const res = await fetch(`${baseUrl}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  return res.status === 404 ? 'bench' : 'checkout'
}

export async function grabScenario() {
  const profileStatements = process.env.BENCH_STATEMENTS === '1'
  const database = await startBenchDatabase('grab', { statements: profileStatements })
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  let second = null as Awaited<ReturnType<typeof startServer>> | null
  let perRequest = null as Awaited<ReturnType<typeof startServer>> | null
  try {
    let db = database.db
    log(`grab: seeding a live session, ${GRAB.members} members and their addresses…`)
    const { brand, session } = await seedLiveSession(db, { items: 0, unitsPerSku: 1 })
    const members = await seedMembers(db, GRAB.members, { prefix: 'bench-grabber' })
    await createBenchGrabsTable(db)

    const rounds = GRAB.rounds
    const ceilings: CeilingResult[] = []
    server = await startServer({ name: 'grab', databaseUrl: database.url })
    const main = await pickEndpoint(server.baseUrl)
    const endpoints: Endpoint[] =
      main === 'bench' || process.env.BENCH_GRAB_COMPARE === '0' ? [main] : ['perrequest', main, 'checkout2']
    const addresses =
      main === 'checkout'
        ? await seedAddresses(
            db,
            members.map((m) => m.id),
          )
        : members.map(() => null)
    const storms: StormResult[] = []
    let position = 0
    // Each figure is the median of `rounds` storms in this one run; each round measures the ceiling again just
    // before its storms, so a storm is judged against the machine as it was at that moment.
    for (let round = 0; round < rounds; round++) {
      const ceiling = await measureCeiling(db, database.url, database.pgVersion, database.settings, round)
      ceilings.push(ceiling)
      log(`grab: round ${round + 1}/${rounds}: ceiling ${ceiling.decrementsPerSec} decrements/s`)
      for (const endpoint of endpoints) {
        storms.push(
          await runStorm({
            db,
            endpoint,
            round,
            ceiling,
            brandId: brand.id,
            sessionId: session.id,
            members,
            addresses,
            position: (position += 2),
            servers: async () => {
              if (endpoint === 'checkout2')
                second ??= await startServer({ name: 'grab-2', databaseUrl: database.url, port: SECOND_PORT })
              if (endpoint === 'perrequest')
                perRequest ??= await startServer({
                  name: 'grab-per-request',
                  databaseUrl: database.url,
                  port: PER_REQUEST_PORT,
                  env: { GRAB_QUEUE: '0' },
                })
              return endpoint === 'checkout2'
                ? [server!, second!]
                : endpoint === 'perrequest'
                  ? [perRequest!]
                  : [server!]
            },
            profileStatements,
          }),
        )
        if (endpoint === 'perrequest') {
          // Its CPU and memory must not weigh on the storms after it.
          await perRequest!.kill()
          perRequest = null
        }
      }
    }
    // Durability: kill the server and crash PostgreSQL right after the last response, restart it (WAL
    // recovery), and only then check the books against what the clients were told.
    log('grab: SIGKILL the server, crash PostgreSQL (immediate shutdown), restart, then check the books in SQL…')
    await Promise.all([server.kill(), second?.kill(), perRequest?.kill()])
    server = null
    second = null
    perRequest = null
    await database.crashAndRestart()
    db = database.db
    for (const storm of storms)
      storm.checks = await verify(
        db,
        storm.endpoint,
        storm.hotSessionItemSkuId,
        GRAB.units,
        GRAB.perMemberCap,
        storm.client,
      )
    const rows: SummaryRow[] = [...ceilingSpreadRows(ceilings)]
    for (const endpoint of endpoints)
      rows.push(
        ...stormRows(
          LABELS[endpoint],
          storms.filter((s) => s.endpoint === endpoint),
        ),
      )
    const result: GrabResult = {
      members: GRAB.members,
      units: GRAB.units,
      perMemberCap: GRAB.perMemberCap,
      rounds,
      ceilings,
      storms,
      postgres: database.pgVersion,
    }
    const failedChecks = storms.filter((s) => !Object.values(s.checks).every((c) => c.ok))
    if (failedChecks.length)
      throw Object.assign(
        new Error(`grab storm books do not balance: ${JSON.stringify(failedChecks.map((s) => s.checks))}`),
        { result, rows },
      )
    return { result, rows }
  } finally {
    await server?.stop()
    await second?.stop()
    await perRequest?.stop()
    await database.stop()
  }
}

type ProtoStats = NonNullable<StormResult['prototype']>
/** The server's GroupCommitStats (app/services/checkout/group-commit.server.ts) through GET /bench/grab. */
interface QueueStats {
  batches: number
  grabs: number
  largestBatch: number
  commitMs: number
  fallbacks: number
}
export async function prototypeSnapshot(baseUrls: string[]): Promise<(QueueStats | null)[]> {
  return Promise.all(baseUrls.map(async (b) => (await (await fetch(`${b}/bench/grab`)).json()) as QueueStats | null))
}

/** The group-commit counters over one storm, summed over the app processes (the largest batch is the processes' lifetime maximum). */
export function prototypeDelta(before: (QueueStats | null)[], after: (QueueStats | null)[]): ProtoStats {
  let batches = 0,
    requests = 0,
    commitMs = 0,
    largestBatch = 0,
    fallbacks = 0
  after.forEach((a, i) => {
    if (!a) return
    const b = before[i]
    batches += a.batches - (b?.batches ?? 0)
    requests += a.grabs - (b?.grabs ?? 0)
    commitMs += a.commitMs - (b?.commitMs ?? 0)
    fallbacks += a.fallbacks - (b?.fallbacks ?? 0)
    largestBatch = Math.max(largestBatch, a.largestBatch)
  })
  return {
    batches,
    requests,
    largestBatch,
    fallbacks,
    meanBatch: batches ? round(requests / batches, 1) : 0,
    meanCommitMs: batches ? round(commitMs / batches, 1) : 0,
  }
}

/** One endpoint's storms of this run as figures: each the median of the rounds, with its spread. */
function stormRows(label: string, storms: StormResult[]): SummaryRow[] {
  const name = `grab: ${label}`
  const of = (f: (s: StormResult) => number) => storms.map(f)
  const statuses: Record<string, number> = {}
  for (const s of storms)
    for (const [k, n] of Object.entries(s.client.statuses)) if (k !== '201') statuses[k] = (statuses[k] ?? 0) + n
  const refusals =
    Object.entries(statuses)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ') || '0'
  const errors = storms.reduce((t, s) => t + s.client.errors, 0)
  const failed = storms.filter((s) => !Object.values(s.checks).every((x) => x.ok))
  const batches = storms.flatMap((s) => (s.prototype ? [s.prototype] : []))
  return [
    {
      scenario: name,
      metric: `successful grabs/s, median of ${storms.length} (${storms[0]?.path})`,
      value: spread(of((s) => s.client.grabsPerSec)),
      note: storms
        .map((s) => `${s.client.successes} in ${s.client.elapsedS} s${s.client.soldOut ? '' : ' NOT sold out'}`)
        .join('; '),
    },
    {
      scenario: name,
      metric: "grabs/s ÷ same round's ceiling",
      value: spread(
        of((s) => s.ratio),
        2,
      ),
      target: '≥ 0.75',
    },
    {
      scenario: name,
      metric: 'latency p50 / p99 (median)',
      value: `${spread(of((s) => s.client.latencyMs.p50))} / ${spread(of((s) => s.client.latencyMs.p99))} ms`,
      target: 'p99 ≤ 250 ms',
    },
    {
      scenario: name,
      metric: 'refusals / errors (all rounds)',
      value: `${refusals} / ${errors}`,
      note: storms.find((s) => s.client.firstError)?.client.firstError?.slice(0, 80),
    },
    {
      scenario: name,
      metric: 'SQL checks after the crash',
      value: failed.length ? 'FAILED' : `all ok (${storms.length} storms)`,
      note: failed
        .flatMap((s) =>
          Object.entries(s.checks)
            .filter(([, x]) => !x.ok)
            .map(([k, x]) => `${k}:${x.detail}`),
        )
        .join('; '),
    },
    {
      scenario: name,
      metric: 'server peak RSS / CPU ms per request',
      value: `${Math.max(...of((s) => s.peakRssMb))} MB / ${spread(
        of((s) => s.serverCpuMsPerRequest),
        2,
      )}`,
      note: `load average ${spread(
        of((s) => s.loadAverage),
        1,
      )}`,
    },
    ...(batches.length
      ? [
          {
            scenario: name,
            metric: 'mean batch size / commit ms',
            value: `${spread(
              batches.map((b) => b.meanBatch),
              1,
            )} / ${spread(
              batches.map((b) => b.meanCommitMs),
              1,
            )} ms`,
            note: `largest batch ${Math.max(...batches.map((b) => b.largestBatch))}; ${batches.reduce((t, b) => t + b.fallbacks, 0)} retried alone`,
          },
        ]
      : []),
  ]
}

/** The ceiling of each round, as one figure with its spread. */
function ceilingSpreadRows(ceilings: CeilingResult[]): SummaryRow[] {
  return [
    {
      scenario: 'ceiling',
      metric: `serial decrements/s (1 conn), median of ${ceilings.length}`,
      value: spread(ceilings.map((c) => c.decrementsPerSec)),
      note: `synchronous_commit=${ceilings[0]?.settings.synchronous_commit}, fsync=${ceilings[0]?.settings.fsync}`,
    },
    {
      scenario: 'ceiling',
      metric: 'serial decrement+insert tx/s',
      value: spread(ceilings.map((c) => c.decrementAndInsertPerSec)),
    },
  ]
}

/** Accepted grabs by member for the SKU, from whichever table holds them. */
async function linesBySku(
  db: Db,
  endpoint: Endpoint,
  sessionItemSkuId: string,
): Promise<{ user_id: string; units: number }[]> {
  if (!isCheckout(endpoint)) {
    const r = await sql<{ user_id: string; units: number }>`
      select user_id, sum(quantity)::int as units from bench_grabs where session_item_sku_id = ${sessionItemSkuId} group by user_id`.execute(
      db,
    )
    return r.rows
  }
  return checkoutLinesBySku(db, sessionItemSkuId)
}

async function verify(
  db: Db,
  endpoint: Endpoint,
  sessionItemSkuId: string,
  units: number,
  cap: number,
  client: GrabClientResult,
) {
  const sku = await db
    .selectFrom('session_item_skus as x')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select(['x.allocated', 'x.available', 'k.stock_on_hand'])
    .where('x.id', '=', sessionItemSkuId)
    .executeTakeFirstOrThrow()
  const lines = await linesBySku(db, endpoint, sessionItemSkuId)
  const ordered = lines.reduce((s, l) => s + l.units, 0)
  const sold = sku.allocated - sku.available
  const maxPerMember = lines.reduce((m, l) => Math.max(m, l.units), 0)
  return {
    orderedEqualsSold: { ok: ordered === sold, detail: `ordered ${ordered}, sold ${sold}` },
    neverNegative: { ok: sku.available >= 0 && sold <= units, detail: `available ${sku.available}` },
    // Checked after a SIGKILL of the server and a crash restart of PostgreSQL.
    acceptedAreDurable: {
      ok: client.acceptedUnits === ordered,
      detail: `201s ${client.acceptedUnits}, in DB after crash ${ordered}`,
    },
    capsHeld: { ok: maxPerMember <= cap, detail: `max ${maxPerMember} per member, cap ${cap}` },
    soldOut: { ok: client.soldOut ? sku.available === 0 : true, detail: `available ${sku.available}` },
    // The SKU is in this session only and its stock on hand was the allocation: every sale left the shelf with it.
    ...(isCheckout(endpoint)
      ? {
          onHand: {
            ok: sku.stock_on_hand === units - sold,
            detail: `on hand ${sku.stock_on_hand}, ${units} − ${sold} sold`,
          },
        }
      : {}),
  }
}

// ---- the real checkout's data (feat/orders: addresses, orders, order_lines, member_sku_takes) ----
// Raw SQL, so this file compiles whether or not the orders schema is in the tree.

/** Each member's own ship-to address, as the real checkout needs one. */
export async function seedAddresses(db: Db, memberIds: string[]): Promise<(string | null)[]> {
  const r = await sql<{ id: string; member_id: string }>`
    insert into addresses (member_id, kind, recipient, phone, region, line)
    select m, 'own', '基准收件人', '13800138000', '上海市 浦东新区', '基准路 ' || n || ' 号'
    from unnest(${memberIds}::uuid[]) with ordinality as t(m, n)
    returning id, member_id`.execute(db)
  const byMember = new Map(r.rows.map((a) => [a.member_id, a.id]))
  return memberIds.map((m) => byMember.get(m) ?? null)
}

/** Units on live (not cancelled) orders per member, and the cap counter must agree with them. */
async function checkoutLinesBySku(db: Db, sessionItemSkuId: string): Promise<{ user_id: string; units: number }[]> {
  const r = await sql<{ user_id: string; units: number; taken: number | null }>`
    select o.member_id as user_id, sum(l.quantity)::int as units,
      (select taken from member_sku_takes t where t.member_id = o.member_id and t.session_item_sku_id = ${sessionItemSkuId}) as taken
    from order_lines l join orders o on o.id = l.order_id
    where l.session_item_sku_id = ${sessionItemSkuId} and o.status not in ('cancelled', 'refunded')
    group by o.member_id`.execute(db)
  const disagree = r.rows.filter((x) => x.taken !== null && x.taken !== x.units)
  if (disagree.length) throw new Error(`member_sku_takes disagrees with orders for ${disagree.length} members`)
  return r.rows.map(({ user_id, units }) => ({ user_id, units }))
}

/** One storm: a fresh hot SKU (and warm-up SKU), the load from a separate process, the server's counters. */
export async function runStorm(o: {
  db: Db
  endpoint: Endpoint
  round: number
  ceiling: CeilingResult
  brandId: string
  sessionId: string
  members: { id: string; cookie: string }[]
  addresses: (string | null)[]
  position: number
  servers: () => Promise<Awaited<ReturnType<typeof startServer>>[]>
  profileStatements: boolean
}): Promise<StormResult> {
  const { db, endpoint } = o
  // Each storm gets its own hot SKU (and warm-up SKU), so the storms do not share stock or caps.
  const hot = await seedSingleSku(db, {
    brandId: o.brandId,
    sessionId: o.sessionId,
    units: GRAB.units,
    perMemberCap: GRAB.perMemberCap,
    position: o.position,
    title: `爆款连衣裙 hot ${endpoint} ${o.round}`,
  })
  const warm = await seedSingleSku(db, {
    brandId: o.brandId,
    sessionId: o.sessionId,
    units: GRAB.members * 2 + 100,
    perMemberCap: null,
    position: o.position + 1,
    title: `预热商品 warm ${endpoint} ${o.round}`,
  })
  const servers = await o.servers()
  const config: GrabClientConfig = {
    baseUrls: servers.map((s) => s.baseUrl),
    path: PATHS[endpoint],
    members: o.members.map((m, i) => ({ cookie: m.cookie, addressId: isCheckout(endpoint) ? o.addresses[i]! : null })),
    warm: { sessionItemSkuId: warm.sessionItemSkuId, perMember: 2 },
    hot: { sessionItemSkuId: hot.sessionItemSkuId, quantity: 1, units: GRAB.units },
    maxSeconds: GRAB.maxSeconds,
  }
  mkdirSync(OUT_DIR, { recursive: true })
  const configFile = path.join(OUT_DIR, `grab-client-${endpoint}.json`)
  writeFileSync(configFile, JSON.stringify(config))
  log(
    `grab: round ${o.round + 1}: storm on ${config.path} (${LABELS[endpoint]}) from a separate process, ${GRAB.members} members, ${GRAB.units} units, ≤ ${GRAB.maxSeconds} s…`,
  )
  const isGroup = endpoint === 'checkout' || endpoint === 'checkout2'
  // Each storm starts from the same state: the previous storm's dirty pages flushed (CHECKPOINT) and the
  // autovacuum it triggered given a moment, so no storm pays for the one before it.
  // A member may hold only PLATFORM_RULES.checkoutHolds unpaid at once, and the storms reuse the members: the
  // earlier storms' checkouts are moved past their payment deadline, as if their 15 minutes had run out.
  await expireEarlierHolds(db)
  if (o.profileStatements) await sql`select pg_stat_statements_reset()`.execute(db)
  const statsBefore = isGroup ? await prototypeSnapshot(servers.map((s) => s.baseUrl)) : []
  const cpu0 = servers.reduce((t, s) => t + s.cpuSeconds(), 0)
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/bench/grab-client.ts'), configFile],
    { cwd: ROOT, maxBuffer: 1 << 24 },
  )
  const serverCpuSeconds = round(servers.reduce((t, s) => t + s.cpuSeconds(), 0) - cpu0, 2)
  const client = JSON.parse(stdout.trim().split('\n').pop()!) as GrabClientResult
  const prototype = isGroup
    ? prototypeDelta(statsBefore, await prototypeSnapshot(servers.map((s) => s.baseUrl)))
    : undefined
  const storm: StormResult = {
    endpoint,
    round: o.round,
    ceilingPerSec: o.ceiling.decrementsPerSec,
    path: config.path,
    client,
    ratio: round(client.grabsPerSec / o.ceiling.decrementsPerSec, 3),
    checks: {},
    hotSessionItemSkuId: hot.sessionItemSkuId,
    peakRssMb: round(
      servers.reduce((t, s) => t + s.memory().peakRssMb, 0),
      1,
    ),
    serverCpuSeconds,
    serverCpuMsPerRequest: round(
      (serverCpuSeconds * 1000) /
        Math.max(
          1,
          Object.values(client.statuses).reduce((a, b) => a + b, 0) +
            client.errors +
            GRAB.members * (config.warm?.perMember ?? 0),
        ),
      2,
    ),
    loadAverage: round(loadAverage(), 2),
    prototype,
  }
  if (o.profileStatements) storm.statements = await topStatements(db)
  log(
    `grab: ${LABELS[endpoint]}: ${client.grabsPerSec} grabs/s (${storm.ratio} × ceiling), p99 ${client.latencyMs.p99} ms`,
  )
  return storm
}

/** Earlier storms' unpaid checkouts past their deadline, their pages flushed: the next storm starts clean. */
export async function expireEarlierHolds(db: Db) {
  await sql`update checkouts set expires_at = now() - interval '1 second' where status = 'pending_payment'`.execute(db)
  await sql`checkpoint`.execute(db)
  await new Promise((r) => setTimeout(r, 2000))
}
