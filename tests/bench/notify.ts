// Reminders at a session's start: 20,000 members follow a brand whose session opens during a grab storm on another
// live session. The reminders are written ahead (the planner job), become due at the start, and the job worker sends
// them by e-mail (a real SMTP server on loopback in this process) at its bounded rate, in the app process itself
// (RUN_WORKER=1, as `npm start` runs). Measured: the grab storm alone, then the same storm while the reminders go out;
// the send rate, and that each member got exactly one e-mail.
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { Db } from '#db/client'
import { startSmtpSink } from '#tests/setup/smtp-sink'
import { createSession } from '#tests/fixtures/factories'
import { seedLiveSession, seedMembers, seedSingleSku } from './fixtures'
import { GRAB, seedAddresses } from './grab'
import type { GrabClientConfig, GrabClientResult } from './grab-client'
import { loadAverage, log, OUT_DIR, ROOT, round, startBenchDatabase, startServer, type SummaryRow } from './harness'

const run = promisify(execFile)

export const NOTIFY = {
  followers: Number(process.env.BENCH_NOTIFY_FOLLOWERS ?? 20_000),
  ratePerSecond: Number(process.env.BENCH_NOTIFY_RATE ?? 200),
  /** How long after planning the session opens. */
  leadSeconds: Number(process.env.BENCH_NOTIFY_LEAD_SECONDS ?? 150),
  maxDrainSeconds: Number(process.env.BENCH_NOTIFY_MAX_DRAIN_SECONDS ?? 600),
}
const SMTP_PORT = Number(process.env.BENCH_SMTP_PORT ?? 3125)

async function storm(
  db: Db,
  baseUrl: string,
  members: { cookie: string; addressId: string | null }[],
  hot: string,
  warm: string,
  name: string,
): Promise<GrabClientResult> {
  const config: GrabClientConfig = {
    baseUrls: [baseUrl],
    path: '/api/checkout',
    members,
    warm: { sessionItemSkuId: warm, perMember: 2 },
    hot: { sessionItemSkuId: hot, quantity: 1, units: GRAB.units },
    maxSeconds: GRAB.maxSeconds,
  }
  mkdirSync(OUT_DIR, { recursive: true })
  const file = path.join(OUT_DIR, `notify-grab-${name}.json`)
  writeFileSync(file, JSON.stringify(config))
  await sql`checkpoint`.execute(db)
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/bench/grab-client.ts'), file],
    { cwd: ROOT, maxBuffer: 1 << 24 },
  )
  return JSON.parse(stdout.trim().split('\n').pop()!) as GrabClientResult
}

export async function notifyScenario() {
  const database = await startBenchDatabase('notify')
  const smtp = await startSmtpSink(SMTP_PORT, { parse: false })
  let server: Awaited<ReturnType<typeof startServer>> | null = null
  try {
    const db = database.db
    log(
      `notify: seeding a live session, 2 × ${GRAB.members} grabbers, ${NOTIFY.followers} followers of an upcoming session…`,
    )
    const { brand, session } = await seedLiveSession(db, { items: 0, unitsPerSku: 1 })
    // Two groups of grabbers: a member who bought in the first storm holds unpaid units, and the open-hold limit
    // would refuse her in the second, so each storm has members of its own.
    const grabbers = await seedMembers(db, GRAB.members * 2, { prefix: 'bench-grabber' })
    const addresses = await seedAddresses(
      db,
      grabbers.map((m) => m.id),
    )
    const everyone = grabbers.map((m, i) => ({ cookie: m.cookie, addressId: addresses[i]! }))
    const groups = [everyone.slice(0, GRAB.members), everyone.slice(GRAB.members)]
    const hot = await Promise.all(
      [0, 1].map((n) =>
        seedSingleSku(db, {
          brandId: brand.id,
          sessionId: session.id,
          units: GRAB.units,
          perMemberCap: GRAB.perMemberCap,
          position: n * 2,
          title: `爆款 hot ${n}`,
        }),
      ),
    )
    const warm = await Promise.all(
      [0, 1].map((n) =>
        seedSingleSku(db, {
          brandId: brand.id,
          sessionId: session.id,
          units: GRAB.members * 2 + 100,
          perMemberCap: null,
          position: n * 2 + 1,
          title: `预热 warm ${n}`,
        }),
      ),
    )
    const upcoming = await createSession(db, {
      brandId: brand.id,
      startsAt: new Date(Date.now() + 3_600_000),
      title: '整点开抢',
      titleEn: 'On the hour',
    })
    const hash = (await db.selectFrom('users').select('password_hash').limit(1).executeTakeFirstOrThrow()).password_hash
    await sql`insert into users (email, password_hash, role, display_name)
      select 'follower-' || n || '@bench.local', ${hash}, 'member', '关注者 ' || n from generate_series(1, ${NOTIFY.followers}) n`.execute(
      db,
    )
    await sql`insert into brand_follows (user_id, brand_id) select id, ${brand.id}::uuid from users where email like 'follower-%@bench.local'`.execute(
      db,
    )
    // Only the at-open reminder is measured: the "in 10 minutes" one goes out ten minutes earlier in real life.
    await sql`insert into notification_preferences (user_id, event, channel, enabled) select id, 'session_soon', 'email', false from users where email like 'follower-%@bench.local'`.execute(
      db,
    )
    // Quiet hours (22:00–08:00 Shanghai by default) would hold every marketing e-mail when the bench runs in the
    // Shanghai night: the followers have them off, so the send itself is what is measured at any hour.
    await sql`insert into notification_settings (user_id, quiet_start_minute, quiet_end_minute, quiet_enabled)
      select id, 1320, 480, false from users where email like 'follower-%@bench.local'`.execute(db)
    await sql`analyze`.execute(db)

    server = await startServer({
      name: 'notify',
      databaseUrl: database.url,
      env: {
        RUN_WORKER: '1',
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
        NOTIFY_RATE_PER_SECOND: String(NOTIFY.ratePerSecond),
      },
    })

    log('notify: grab storm without reminders…')
    const alone = await storm(db, server.baseUrl, groups[0], hot[0].sessionItemSkuId, warm[0].sessionItemSkuId, 'alone')
    log(`notify: alone ${alone.grabsPerSec} grabs/s, p99 ${alone.latencyMs.p99} ms`)

    const startsAt = new Date(Date.now() + NOTIFY.leadSeconds * 1000)
    await sql`update clearance_sessions set starts_at = ${startsAt}, ends_at = ${new Date(startsAt.getTime() + 48 * 3_600_000)}, after_sale_deadline_at = ${new Date(startsAt.getTime() + 9 * 24 * 3_600_000)}, status = 'scheduled' where id = ${upcoming.id}`.execute(
      db,
    )
    const planT0 = Date.now()
    await sql`select graphile_worker.add_job('plan_session_reminders', '{}'::json)`.execute(db)
    for (;;) {
      const r = await db
        .selectFrom('session_reminder_runs')
        .select('recipients')
        .where('session_id', '=', upcoming.id)
        .executeTakeFirst()
      if (r) break
      if (Date.now() > startsAt.getTime()) throw new Error('the reminders were not planned before the session opened')
      await new Promise((res) => setTimeout(res, 100))
    }
    const planSeconds = round((Date.now() - planT0) / 1000, 2)
    const due = await sql<{
      n: number
    }>`select count(*)::int as n from notification_deliveries d join notifications n on n.id = d.notification_id
      where n.event = 'session_open' and d.status = 'pending'`.execute(db)
    log(
      `notify: planned ${due.rows[0].n} e-mail deliveries in ${planSeconds} s; the session opens at ${startsAt.toISOString()}`,
    )

    await new Promise((res) => setTimeout(res, Math.max(0, startsAt.getTime() - Date.now())))
    const sentAtStorm0 = smtp.messages.length
    log('notify: grab storm while the reminders go out…')
    const during = await storm(
      db,
      server.baseUrl,
      groups[1],
      hot[1].sessionItemSkuId,
      warm[1].sessionItemSkuId,
      'during',
    )
    const sentDuringStorm = smtp.messages.length - sentAtStorm0
    log(
      `notify: during ${during.grabsPerSec} grabs/s, p99 ${during.latencyMs.p99} ms; ${sentDuringStorm} e-mails sent meanwhile`,
    )

    const drain0 = Date.now()
    while (smtp.messages.length < NOTIFY.followers && Date.now() - drain0 < NOTIFY.maxDrainSeconds * 1000)
      await new Promise((res) => setTimeout(res, 500))
    const spread = await sql<{ first: Date; last: Date; sent: number; failed: number; pending: number }>`
      select min(d.finished_at) as first, max(d.finished_at) as last, count(*) filter (where d.status = 'sent')::int as sent,
        count(*) filter (where d.status = 'failed')::int as failed, count(*) filter (where d.status in ('pending', 'sending'))::int as pending
      from notification_deliveries d join notifications n on n.id = d.notification_id where n.event = 'session_open'`.execute(
      db,
    )
    const s = spread.rows[0]
    const seconds = s.first && s.last ? (new Date(s.last).getTime() - new Date(s.first).getTime()) / 1000 : 0
    const recipients = new Set(smtp.messages.map((m) => m.to.join(','))).size
    const firstLag = s.first ? round((new Date(s.first).getTime() - startsAt.getTime()) / 1000, 1) : null
    const result = {
      followers: NOTIFY.followers,
      ratePerSecond: NOTIFY.ratePerSecond,
      planSeconds,
      alone,
      during,
      sentDuringStorm,
      delivered: {
        sent: s.sent,
        failed: s.failed,
        pending: s.pending,
        mails: smtp.messages.length,
        distinctRecipients: recipients,
        seconds: round(seconds, 1),
        perSecond: seconds ? round(s.sent / seconds, 1) : 0,
        firstAfterStartS: firstLag,
      },
      loadAverage: round(loadAverage(), 2),
      postgres: database.pgVersion,
    }
    const rows: SummaryRow[] = [
      {
        scenario: 'notify',
        metric: 'reminders planned (before the start)',
        value: `${due.rows[0].n} in ${planSeconds} s`,
      },
      {
        scenario: 'notify',
        metric: 'grab storm alone: grabs/s, p99',
        value: `${alone.grabsPerSec} /s, ${alone.latencyMs.p99} ms`,
        target: 'p99 ≤ 250 ms',
      },
      {
        scenario: 'notify',
        metric: 'grab storm while sending: grabs/s, p99',
        value: `${during.grabsPerSec} /s, ${during.latencyMs.p99} ms`,
        target: 'p99 ≤ 250 ms',
        note: `${round(during.grabsPerSec / Math.max(alone.grabsPerSec, 1), 2)} × alone; ${sentDuringStorm} e-mails sent during the storm`,
      },
      {
        scenario: 'notify',
        metric: 'e-mails sent (exactly once each)',
        value: `${s.sent} sent, ${s.failed} failed, ${s.pending} left`,
        note: `${smtp.messages.length} received by SMTP, ${recipients} distinct recipients`,
      },
      {
        scenario: 'notify',
        metric: 'send rate',
        value: `${result.delivered.perSecond} /s over ${result.delivered.seconds} s`,
        target: `≤ ${NOTIFY.ratePerSecond} /s`,
        note: `first ${firstLag} s after the start; load average ${result.loadAverage}`,
      },
    ]
    return { result, rows }
  } finally {
    await server?.stop()
    await smtp.close()
    await database.stop()
  }
}
