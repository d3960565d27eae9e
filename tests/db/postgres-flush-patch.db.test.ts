import { Socket } from 'node:net'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// patches/postgres+3.4.9.patch (applied by `npm install` through patch-package): a statement sent with
// `{ flush: true }` is written to the socket at once. postgres.js otherwise holds writes under 1 KB until the event
// loop's next check phase (setImmediate), so the checkout's COMMIT waited behind every request the server read
// meanwhile (app/services/checkout/transaction.server.ts).
let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await t.drop()
})

/** What happened first after a small statement was sent: its write to the socket, or a setImmediate queued after it. */
async function firstAfterSending(flush: boolean): Promise<string[]> {
  const client = postgres(t.url, { max: 1, onnotice: () => {} })
  const conn = await client.reserve()
  await conn.unsafe('select 1')
  const seen: string[] = []
  const write = Socket.prototype.write
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    seen.push('write')
    return write.apply(this, args)
  } as Socket['write']
  try {
    const query = conn.unsafe('select 2 as n', [], flush ? { flush: true } : {}).execute()
    setImmediate(() => seen.push('immediate'))
    expect([...(await query)]).toEqual([{ n: 2 }])
  } finally {
    Socket.prototype.write = write
    conn.release()
    await client.end()
  }
  return seen.slice(0, 2)
}

describe('the postgres.js patch', () => {
  it('writes a statement sent with flush before the turn of the event loop ends; others as before', async () => {
    expect(await firstAfterSending(true)).toEqual(['write', 'immediate'])
    expect(await firstAfterSending(false)).toEqual(['immediate', 'write'])
  })
})
