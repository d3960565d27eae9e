import type { ActionFunctionArgs } from '@remix-run/node'
import { sql } from 'kysely'
import { z } from 'zod'
import { grabQueueFor } from '#app/services/grab-queue.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse } from '#app/utils/http.server'
import { getUser } from '#app/utils/session.server'

// Benchmark-only routes (tests/bench, grab storm). Exist only with BENCH_ROUTES=1.
// GET: the checkout's group-commit counters in this process (app/services/grab-queue.server.ts), read by the
// benchmark before and after a storm. POST: a minimal per-request stand-in for the checkout (conditional
// decrement, cap check, order row in one transaction) writing to bench_grabs, a table the benchmark harness
// creates in its own database; used only when a server has no POST /api/checkout.
const Body = z.object({
  lines: z.array(z.object({ sessionItemSkuId: z.string().uuid(), quantity: z.number().int().positive().max(100) })).min(1).max(20),
  addressId: z.string().optional(),
})

/** GET /bench/grab: batches committed, grabs in them, largest batch, commit-time sum (ms), requests retried alone. */
export async function loader() {
  invariantResponse(process.env.BENCH_ROUTES === '1')
  return Response.json(grabQueueFor(getDb())?.stats() ?? null)
}

export async function action({ request }: ActionFunctionArgs) {
  invariantResponse(process.env.BENCH_ROUTES === '1')
  const user = await getUser(request)
  if (!user) return Response.json({ error: 'sign in' }, { status: 401 })
  if (user.role !== 'member') return Response.json({ error: 'members only' }, { status: 403 })
  const parsed = Body.safeParse(await request.json().catch(() => null))
  if (!parsed.success) return Response.json({ error: 'invalid', issues: parsed.error.flatten().fieldErrors }, { status: 400 })
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
