// Prototype (benchmark only): group commit of hot-SKU grabs through an in-process per-SKU queue.
// Requests for one SKU that arrive while a commit is in flight wait in a queue; the next flush takes them all
// and commits them in ONE transaction (one row lock, one WAL flush) instead of one transaction each.
// Correctness does not depend on the queue: the row is locked (`for update`) inside the transaction, stock is
// allocated in arrival order from the locked value, caps are checked against committed orders plus the batch,
// and only after COMMIT does any caller hear "accepted" — so several app processes can each batch their own
// requests against one database. Served by app/routes/bench.grab.ts?mode=group under BENCH_ROUTES=1.
import { sql } from 'kysely'
import type { Db } from '#db/client'

export interface GrabRequest { userId: string; sessionItemSkuId: string; quantity: number }
export type GrabOutcome = { ok: true; orderId: string } | { ok: false; reason: 'sold_out' | 'cap_reached' | 'not_found' }

interface Pending extends GrabRequest { resolve: (o: GrabOutcome) => void; reject: (e: unknown) => void }

const MAX_BATCH = 1_000

export class GroupCommitter {
  private queues = new Map<string, Pending[]>()
  private flushing = new Set<string>()
  private batches = 0
  private requests = 0
  private largest = 0
  private commitMs = 0

  constructor(private readonly db: () => Db) {}

  stats() {
    return {
      batches: this.batches, requests: this.requests, largestBatch: this.largest,
      meanBatch: this.batches ? Math.round((this.requests / this.batches) * 10) / 10 : 0,
      meanCommitMs: this.batches ? Math.round((this.commitMs / this.batches) * 10) / 10 : 0,
    }
  }

  grab(request: GrabRequest): Promise<GrabOutcome> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(request.sessionItemSkuId) ?? []
      queue.push({ ...request, resolve, reject })
      this.queues.set(request.sessionItemSkuId, queue)
      if (!this.flushing.has(request.sessionItemSkuId)) void this.flush(request.sessionItemSkuId)
    })
  }

  private async flush(skuId: string) {
    this.flushing.add(skuId)
    try {
      for (;;) {
        const queue = this.queues.get(skuId)
        if (!queue?.length) break
        const batch = queue.splice(0, MAX_BATCH)
        const t0 = performance.now()
        try {
          const outcomes = await this.commitBatch(skuId, batch)
          this.batches++
          this.requests += batch.length
          this.largest = Math.max(this.largest, batch.length)
          this.commitMs += performance.now() - t0
          batch.forEach((p, i) => p.resolve(outcomes[i]!))
        } catch (error) {
          batch.forEach((p) => p.reject(error))
        }
      }
    } finally {
      this.flushing.delete(skuId)
      this.queues.delete(skuId)
    }
  }

  /**
   * One transaction for the whole batch, in three round trips after BEGIN: lock the row and read what the
   * batch's members already hold; decrement and insert every accepted order in one statement; COMMIT.
   * Returns each request's outcome in order.
   */
  private async commitBatch(skuId: string, batch: Pending[]): Promise<GrabOutcome[]> {
    const users = [...new Set(batch.map((p) => p.userId))]
    return this.db().transaction().execute(async (trx) => {
      const locked = await sql<{ available: number; per_member_cap: number | null; base_price_minor: number; had: Record<string, number> | null }>`
        select k.available, i.per_member_cap, i.base_price_minor,
          (select json_object_agg(t.user_id, t.n) from (
             select user_id, sum(quantity)::int as n from bench_grabs
             where session_item_sku_id = k.id and i.per_member_cap is not null and user_id = any(${users}::uuid[])
             group by user_id) t) as had
        from session_item_skus k join session_items i on i.id = k.session_item_id
        where k.id = ${skuId} for update of k`.execute(trx)
      const row = locked.rows[0]
      if (!row) return batch.map(() => ({ ok: false as const, reason: 'not_found' as const }))
      const had = new Map<string, number>(Object.entries(row.had ?? {}))
      let left = row.available
      const accepted: Pending[] = []
      const outcomes: (GrabOutcome | null)[] = batch.map((p) => {
        if (p.quantity > left) return { ok: false, reason: 'sold_out' }
        const mine = had.get(p.userId) ?? 0
        if (row.per_member_cap !== null && mine + p.quantity > row.per_member_cap) return { ok: false, reason: 'cap_reached' }
        had.set(p.userId, mine + p.quantity)
        left -= p.quantity
        accepted.push(p)
        return null
      })
      if (!accepted.length) return outcomes as GrabOutcome[]
      const taken = row.available - left
      // The row is locked, so the decrement cannot miss; its condition stays as the last guard against
      // oversell, and no order row is written unless it took the stock.
      const ids = await sql<{ id: string; n: number }>`
        with took as (
          update session_item_skus set available = available - ${taken} where id = ${skuId} and available >= ${taken} returning id)
        insert into bench_grabs (user_id, session_item_sku_id, quantity, unit_price_minor)
        select u, took.id, q, ${row.base_price_minor}
        from took, unnest(${accepted.map((p) => p.userId)}::uuid[], ${accepted.map((p) => p.quantity)}::int[]) with ordinality as t(u, q, n)
        order by n
        returning id`.execute(trx)
      if (ids.rows.length !== accepted.length) throw new Error('group commit: stock changed under the row lock')
      let next = 0
      return outcomes.map((o) => o ?? { ok: true as const, orderId: ids.rows[next++]!.id })
    })
  }
}
