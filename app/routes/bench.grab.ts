import type { ActionFunctionArgs } from '@remix-run/node'
import { sql } from 'kysely'
import { z } from 'zod'
import { createDb, type Db } from '#db/client'
import { getDb } from '#app/utils/db.server'
import { invariantResponse } from '#app/utils/http.server'
import { getUser } from '#app/utils/session.server'
import { GroupCommitter } from '#tests/bench/prototype/group-commit'

// Benchmark stand-in for the checkout (tests/bench, grab storm) until the real POST /api/checkout exists:
// the same shape of work per request (conditional decrement, cap check, order row) in one transaction.
// Exists only with BENCH_ROUTES=1; writes to bench_grabs, a table the benchmark harness creates in its own database.
// `?mode=group` sends single-line grabs through the group-commit prototype (tests/bench/prototype/group-commit.ts).
let committer: GroupCommitter | undefined
let committerDb: Db | undefined
const Body = z.object({
  lines: z.array(z.object({ sessionItemSkuId: z.string().uuid(), quantity: z.number().int().positive().max(100) })).min(1).max(20),
  addressId: z.string().optional(),
})

/** GET /bench/grab?mode=group: the prototype's counters (batches committed, grabs in them, batch-time sum). */
export async function loader() {
  invariantResponse(process.env.BENCH_ROUTES === '1')
  return Response.json(committer?.stats() ?? null)
}

export async function action({ request }: ActionFunctionArgs) {
  invariantResponse(process.env.BENCH_ROUTES === '1')
  const user = await getUser(request)
  if (!user) return Response.json({ error: 'sign in' }, { status: 401 })
  if (user.role !== 'member') return Response.json({ error: 'members only' }, { status: 403 })
  const parsed = Body.safeParse(await request.json().catch(() => null))
  if (!parsed.success) return Response.json({ error: 'invalid', issues: parsed.error.flatten().fieldErrors }, { status: 400 })
  if (new URL(request.url).searchParams.get('mode') === 'group' && parsed.data.lines.length === 1) {
    // Its own small pool: a transaction reserving a connection from the shared pool queues behind every
    // request's session lookup during a storm (measured: batch commits of ~460 ms instead of ~13 ms).
    committer ??= new GroupCommitter(() => (committerDb ??= createDb(process.env.DATABASE_URL!, { max: 2 })))
    const line = parsed.data.lines[0]!
    const outcome = await committer.grab({ userId: user.id, sessionItemSkuId: line.sessionItemSkuId, quantity: line.quantity })
    if (outcome.ok) return Response.json({ orderIds: [outcome.orderId] }, { status: 201 })
    return Response.json({ error: outcome.reason }, { status: outcome.reason === 'not_found' ? 404 : 409 })
  }
  const lines = [...parsed.data.lines].sort((a, b) => a.sessionItemSkuId.localeCompare(b.sessionItemSkuId))
  try {
    const ids = await getDb().transaction().execute(async (trx) => {
      const out: string[] = []
      for (const line of lines) {
        const row = await sql<{ session_item_id: string; per_member_cap: number | null; base_price_minor: number }>`
          update session_item_skus k set available = k.available - ${line.quantity}
          from session_items i
          where k.id = ${line.sessionItemSkuId} and k.available >= ${line.quantity} and i.id = k.session_item_id
          returning k.session_item_id, i.per_member_cap, i.base_price_minor`.execute(trx)
        const hit = row.rows[0]
        if (!hit) throw new Refusal('sold_out')
        // The row lock taken by the decrement serialises this SKU's grabs, so the sum below is current.
        if (hit.per_member_cap !== null) {
          const had = await sql<{ n: number }>`
            select coalesce(sum(quantity), 0)::int as n from bench_grabs where user_id = ${user.id} and session_item_sku_id = ${line.sessionItemSkuId}`.execute(trx)
          if ((had.rows[0]?.n ?? 0) + line.quantity > hit.per_member_cap) throw new Refusal('cap_reached')
        }
        const ins = await sql<{ id: string }>`
          insert into bench_grabs (user_id, session_item_sku_id, quantity, unit_price_minor)
          values (${user.id}, ${line.sessionItemSkuId}, ${line.quantity}, ${hit.base_price_minor}) returning id`.execute(trx)
        out.push(ins.rows[0]!.id)
      }
      return out
    })
    return Response.json({ orderIds: ids }, { status: 201 })
  } catch (error) {
    if (error instanceof Refusal) return Response.json({ error: error.message }, { status: 409 })
    throw error
  }
}

class Refusal extends Error {}
