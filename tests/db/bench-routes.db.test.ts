import { afterEach, describe, expect, it } from 'vitest'
import { loader as grabLoader } from '#app/routes/bench.grab'
import { loader as bareLoader } from '#app/routes/bench.bare'
import { settle } from '#tests/setup/http'

// The benchmark-only routes (group commit itself is tested in tests/db/checkout-group-commit.db.test.ts).
afterEach(() => {
  delete process.env.BENCH_ROUTES
})

describe('bench-only routes', () => {
  it('do not exist unless the server runs with BENCH_ROUTES=1', async () => {
    delete process.env.BENCH_ROUTES
    expect((await settle(() => bareLoader())).status).toBe(404)
    expect((await settle(() => grabLoader())).status).toBe(404)
  })

  it('render the bare page data with the flag on', async () => {
    process.env.BENCH_ROUTES = '1'
    const res = await settle(() => bareLoader())
    expect(res.status).toBe(200)
    expect((await res.json()).items).toHaveLength(60)
  })
})
