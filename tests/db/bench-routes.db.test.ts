import { afterEach, describe, expect, it } from 'vitest'
import { action as grabAction, loader as grabLoader } from '#app/routes/bench.grab'
import { loader as bareLoader } from '#app/routes/bench.bare'
import { settle } from '#tests/setup/http'

// The benchmark-only routes (group commit itself is tested in tests/db/orders-grab-queue.db.test.ts).
afterEach(() => { delete process.env.BENCH_ROUTES })

describe('bench-only routes', () => {
  it('do not exist unless the server runs with BENCH_ROUTES=1', async () => {
    delete process.env.BENCH_ROUTES
    const args = { params: {}, context: {} }
    expect((await settle(() => bareLoader())).status).toBe(404)
    expect((await settle(() => grabLoader())).status).toBe(404)
    const post = new Request('http://localhost:3000/bench/grab', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect((await settle(() => grabAction({ request: post, ...args }))).status).toBe(404)
  })

  it('render the bare page data with the flag on', async () => {
    process.env.BENCH_ROUTES = '1'
    const res = await settle(() => bareLoader())
    expect(res.status).toBe(200)
    expect((await res.json()).items).toHaveLength(60)
  })
})
