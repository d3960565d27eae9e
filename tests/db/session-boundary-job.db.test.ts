import type { Runner } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker } from '#jobs/worker'
import { listSessionEvents } from '#db/queries/sessions'
import { recordSessionBoundary, scheduleSessionBoundaries } from '#app/services/sessions/boundaries.server'
import { createBrand, createSession } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let runner: Runner
beforeAll(async () => {
  t = await createTestDatabase()
  runner = await startWorker({
    connectionString: t.url,
    db: t.db,
    pollInterval: 100,
    noHandleSignals: true,
    concurrency: 2,
  })
})
afterAll(async () => {
  await runner.stop()
  await t.drop()
})

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('session boundary job', () => {
  it('records a session start at its exact time through the real worker, and not before', async () => {
    const brand = await createBrand(t.db)
    const startsAt = new Date(Date.now() + 1500)
    const session = await createSession(t.db, { brandId: brand.id, startsAt })
    await scheduleSessionBoundaries(t.db, { id: session.id, startsAt: session.starts_at, endsAt: session.ends_at })

    await new Promise((r) => setTimeout(r, 500))
    expect(await listSessionEvents(t.db, session.id)).toEqual([])

    const [started] = await waitFor(async () => {
      const events = await listSessionEvents(t.db, session.id)
      return events.length ? events : undefined
    })
    expect(started.kind).toBe('started')
    expect(started.scheduled_at.getTime()).toBe(session.starts_at.getTime())
    expect(started.recorded_at.getTime()).toBeGreaterThanOrEqual(session.starts_at.getTime())
    expect(started.recorded_at.getTime() - session.starts_at.getTime()).toBeLessThan(3000)

    // The worker deletes the start job just after the task returns, so wait for the queue to settle.
    const pendingRunAts = async () => {
      const rows = await t.db
        .withSchema('graphile_worker')
        .selectFrom('jobs' as never)
        .select(['run_at' as never])
        .execute()
      return (rows as Array<{ run_at: Date }>).map((j) => j.run_at.getTime())
    }
    const remaining = await waitFor(async () => {
      const runAts = await pendingRunAts()
      return runAts.length === 1 ? runAts : undefined
    }, 5_000).catch(async () => pendingRunAts())
    expect(remaining).toEqual([session.ends_at.getTime()])
  })

  it('is idempotent and ignores early or cancelled runs', async () => {
    const brand = await createBrand(t.db)
    const session = await createSession(t.db, { brandId: brand.id, startsAt: new Date('2026-01-01T00:00:00Z') })
    const late = new Date('2026-01-03T00:00:01Z')
    expect(
      await recordSessionBoundary(t.db, {
        sessionId: session.id,
        kind: 'started',
        now: new Date('2025-12-31T23:59:59Z'),
      }),
    ).toBe('not_due')
    expect(await recordSessionBoundary(t.db, { sessionId: session.id, kind: 'ended', now: late })).toBe('recorded')
    expect(await recordSessionBoundary(t.db, { sessionId: session.id, kind: 'ended', now: late })).toBe(
      'already_recorded',
    )
    const cancelled = await createSession(t.db, {
      brandId: brand.id,
      startsAt: new Date('2026-01-01T00:00:00Z'),
      status: 'cancelled',
    })
    expect(await recordSessionBoundary(t.db, { sessionId: cancelled.id, kind: 'ended', now: late })).toBe(
      'not_scheduled',
    )
    expect(
      await recordSessionBoundary(t.db, {
        sessionId: '00000000-0000-0000-0000-000000000000',
        kind: 'ended',
        now: late,
      }),
    ).toBe('missing')
  })
})
