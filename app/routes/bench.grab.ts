import { groupCommitFor } from '#app/services/checkout/group-commit.server'
import { getDb } from '#app/utils/db.server'
import { setting } from '#app/utils/env.server'
import { invariantResponse } from '#app/utils/http.server'

// Benchmark-only route (tests/bench, grab storm). Exists only with BENCH_ROUTES=1.
/** GET /bench/grab: this process's group-commit counters (batches, grabs in them, largest batch, commit-time sum in ms, purchases retried alone). */
export async function loader() {
  invariantResponse(setting('BENCH_ROUTES') === '1')
  return Response.json(groupCommitFor(getDb())?.stats() ?? null)
}
