// A Db's destroy() is bounded: a stopping server or a test's teardown must not wait for ever on a connection
// still held (postgres.js's end() without a timeout waits for every reserved connection to come back).
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDb } from '#db/client'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t.drop()
})

it('ends within its grace while a connection is still held, and the held work then fails instead of hanging', async () => {
  const db = createDb(t.url, { max: 2, endGraceSeconds: 0.5 })
  let release: (() => void) | undefined
  const held = db.connection().execute(async (c) => {
    await sql`select 1`.execute(c)
    await new Promise<void>((r) => (release = r))
    return sql`select 2 as n`.execute(c)
  })
  while (!release) await new Promise((r) => setTimeout(r, 10))

  const started = Date.now()
  await db.destroy()
  expect(Date.now() - started).toBeGreaterThanOrEqual(400)
  expect(Date.now() - started).toBeLessThan(5_000)

  release()
  await expect(held).rejects.toThrow()
}, 15_000)

it('ends at once when nothing is held', async () => {
  const db = createDb(t.url, { max: 2, endGraceSeconds: 30 })
  await sql`select 1`.execute(db)
  const started = Date.now()
  await db.destroy()
  expect(Date.now() - started).toBeLessThan(1_000)
})
