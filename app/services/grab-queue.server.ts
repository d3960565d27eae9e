// Group commit of single-SKU checkouts (the flash-sale hot path): an in-process queue per SKU.
// Grabs of a SKU that arrive while a batch of that SKU commits wait and join the next batch; each batch is ONE
// transaction (one hold of the SKU row's lock, one WAL flush) instead of one per buyer. Nobody hears "accepted"
// before COMMIT returned, so every 201 is durable. Correctness never depends on the queue: the row is locked
// (`for update`) before anything is decided, so batches from several app processes serialise on it.
import { randomUUID } from 'node:crypto'
import { sql, type RawBuilder } from 'kysely'
import type postgres from 'postgres'
import { postgresClientOf, type Db } from '#db/client'
import type { TakenRow } from '#db/queries/orders'
import type { ShipTo } from '#db/schema/orders'
import { DomainError } from '#app/domain/errors'
import { allocateBatch, type BatchOutcome } from '#app/domain/grab-batch'
import { CapExceededError, SessionClosedError, SoldOutError, UnknownItemError } from '#app/domain/orders'
import { memberUnitPrice } from '#app/domain/pricing'
import { loadVipTiers } from './pricing.server'

export interface GrabRequest {
  memberId: string
  vipLevel: number
  sessionItemSkuId: string
  quantity: number
  now: Date
  expiresAt: Date
  address: { id: string; kind: string; shipTo: ShipTo }
  /**
   * The per-request checkout of this same grab: run when its batch failed for a reason other than a refusal
   * (the batch rolled back, so no stock was taken), so one bad request never fails the others.
   */
  fallback: () => Promise<GrabPlaced>
}

export interface GrabPlaced {
  checkoutId: string
  orderIds: string[]
  totalMinor: number
  currency: string
  expiresAt: Date
}

export class QueueFullError extends DomainError {
  readonly code = 'busy'
  override readonly status = 429
}

interface Waiter extends GrabRequest {
  resolve: (placed: GrabPlaced) => void
  reject: (error: unknown) => void
}

/** The hot row a batch locks: what a per-request decrement returns, plus what the batch checks itself. */
interface LockedSku extends Omit<TakenRow, 'session_item_id'> {
  available: number
  status: string
  starts_at: Date
  ends_at: Date
  brand_status: string
}

export interface GrabQueueStats {
  batches: number
  grabs: number
  largestBatch: number
  commitMs: number
  fallbacks: number
}

export class GrabQueue {
  private readonly queues = new Map<string, Waiter[]>()
  private readonly flushing = new Set<string>()
  private readonly counters: GrabQueueStats = { batches: 0, grabs: 0, largestBatch: 0, commitMs: 0, fallbacks: 0 }

  /**
   * @param db the committer's own small pool (a batch that waits for a connection behind page loads of the shared
   *   pool holds up every buyer in it).
   */
  constructor(readonly db: Db, private readonly options: { maxBatch?: number; maxWaiting?: number } = {}) {}

  stats(): GrabQueueStats {
    return { ...this.counters }
  }

  grab(request: GrabRequest): Promise<GrabPlaced> {
    const queue = this.queues.get(request.sessionItemSkuId) ?? []
    if (queue.length >= (this.options.maxWaiting ?? 5_000)) return Promise.reject(new QueueFullError('too many buyers at once, try again in a moment'))
    return new Promise((resolve, reject) => {
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
        const batch = queue.splice(0, this.options.maxBatch ?? 500)
        await this.run(skuId, batch)
      }
    } finally {
      this.flushing.delete(skuId)
      this.queues.delete(skuId)
    }
  }

  private async run(skuId: string, batch: Waiter[]) {
    const t0 = performance.now()
    let planned: Planned | undefined
    try {
      const results = await this.commitBatch(skuId, batch, (p) => { planned = p })
      this.counters.batches++
      this.counters.grabs += batch.length
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length)
      this.counters.commitMs += performance.now() - t0
      batch.forEach((w, i) => {
        const r = results[i]!
        if (r instanceof Error) w.reject(r)
        else w.resolve(r)
      })
    } catch (error) {
      await this.recover(batch, planned, error)
    }
  }

  /**
   * The batch failed. If COMMIT itself failed ambiguously (the batch may be on disk), look: when its checkouts
   * exist, answer as committed. Otherwise nothing was taken (rolled back): every waiter retries alone through
   * the per-request path, so only a request that fails on its own gets an error.
   */
  private async recover(batch: Waiter[], planned: Planned | undefined, error: unknown) {
    if (planned && planned.acceptedIds.length) {
      let found: number
      try {
        const r = await this.db.selectFrom('checkouts').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', planned.acceptedIds).executeTakeFirstOrThrow()
        found = Number(r.n)
      } catch {
        batch.forEach((w) => w.reject(error))
        return
      }
      if (found === planned.acceptedIds.length) {
        batch.forEach((w, i) => {
          const r = planned!.results[i]!
          if (r instanceof Error) w.reject(r)
          else w.resolve(r)
        })
        return
      }
    }
    this.counters.fallbacks += batch.length
    for (const w of batch) {
      try {
        w.resolve(await w.fallback())
      } catch (e) {
        w.reject(e)
      }
    }
  }

  /**
   * One transaction in three round trips: BEGIN + lock the SKU row + read the members' cap counters (pipelined);
   * allocate; one statement for the guarded decrement and every write; COMMIT.
   */
  private async commitBatch(skuId: string, batch: Waiter[], plan: (p: Planned) => void): Promise<(GrabPlaced | DomainError)[]> {
    const tiers = await loadVipTiers(this.db)
    const members = [...new Set(batch.map((w) => w.memberId))]
    return pipelinedTransaction(this.db, async (send) => {
      // What the members already hold is read AFTER the lock, in a statement of its own: under READ COMMITTED a
      // statement that waited for the lock still sees other tables as of its start, i.e. without the counts of the
      // batch (from another process) it waited for. Pipelined, it is still only run once the lock is held.
      const [rows, h] = await Promise.all([send<LockedSku>(sql`
        select k.id, k.available, k.sku_id, s.id as session_id, s.brand_id, p.id as product_id, i.base_price_minor, i.currency,
          i.per_member_cap, p.title, sk.size, sk.colour, s.status, s.starts_at, s.ends_at, b.status as brand_status
        from session_item_skus k
          join session_items i on i.id = k.session_item_id
          join clearance_sessions s on s.id = i.session_id
          join brands b on b.id = s.brand_id
          join products p on p.id = i.product_id
          join skus sk on sk.id = k.sku_id
        where k.id = ${skuId}
        for update of k`), send<{ member_id: string; taken: number }>(sql`
        select member_id, taken from member_sku_takes where session_item_sku_id = ${skuId} and member_id = any(${members}::uuid[])`)])
      const sku = rows[0]
      if (!sku) return batch.map(() => new UnknownItemError('this item is not for sale', { sessionItemSkuId: skuId }))
      const held = new Map<string, number>()
      if (sku.per_member_cap !== null) for (const r of h) held.set(r.member_id, r.taken)

      const { outcomes, taken } = allocateBatch(
        { available: sku.available, perMemberCap: sku.per_member_cap, sessionStatus: sku.status, startsAt: new Date(sku.starts_at), endsAt: new Date(sku.ends_at), brandStatus: sku.brand_status },
        held,
        batch,
      )
      const item = `${sku.title} ${sku.colour}/${sku.size}`
      const accepted: { w: Waiter; checkoutId: string; orderId: string; unitPriceMinor: number }[] = []
      const results = outcomes.map((o, i) => {
        const w = batch[i]!
        if (o.kind !== 'accepted') return refusal(o, item, sku.id, w.quantity)
        const a = { w, checkoutId: randomUUID(), orderId: randomUUID(), unitPriceMinor: memberUnitPrice(sku.base_price_minor, w.vipLevel, tiers) }
        accepted.push(a)
        return { checkoutId: a.checkoutId, orderIds: [a.orderId], totalMinor: a.unitPriceMinor * w.quantity, currency: sku.currency, expiresAt: w.expiresAt } satisfies GrabPlaced
      })
      plan({ acceptedIds: accepted.map((a) => a.checkoutId), results })
      if (!accepted.length) return results

      // Everything the batch writes in ONE statement (each round trip under the lock costs every buyer in the
      // batch): the decrement of the batch total (the row is locked, so it cannot miss; its condition stays as the
      // last guard against oversell, and nothing is inserted unless it took the stock), the checkouts, orders,
      // lines, cap counters, ONE expiry job for the batch's checkouts (due at the latest deadline: expiring a checkout
      // a few milliseconds late holds stock a little longer, never shorter), the batch's sale as ONE stock movement and
      // off the SKU's physical stock,
      // (catalog's table; the brand's chart sums units per hour), and the bought SKU out of the buyers' carts
      // (rows another transaction holds are skipped: only a checkout of the same member deletes them, and waiting
      // for it under the SKU lock could deadlock with it).
      const col = <T>(f: (a: (typeof accepted)[number]) => T) => accepted.map(f)
      const [wrote] = await send<{ took: number; physical: number; lines: number; jobs: number; moved: number }>(sql`
        with took as (
          update session_item_skus set available = available - ${taken}::int where id = ${skuId} and available >= ${taken}::int returning id
        ), b as (
          select u.* from took, unnest(
            ${col((a) => a.checkoutId)}::uuid[], ${col((a) => a.orderId)}::uuid[], ${col((a) => a.w.memberId)}::uuid[], ${col((a) => a.w.quantity)}::int[],
            ${col((a) => a.unitPriceMinor)}::int[], ${col((a) => a.w.address.id)}::uuid[], ${col((a) => JSON.stringify(a.w.address.shipTo))}::text[],
            ${col((a) => String(a.w.address.kind === 'customer'))}::text[], ${col((a) => a.w.expiresAt.toISOString())}::text[], ${col((a) => a.w.now.toISOString())}::text[]
          ) with ordinality as u(cid, oid, mid, qty, price, aid, ship, drop_ship, expires, at, n)
        ), c as (
          insert into checkouts (id, member_id, total_minor, currency, address_id, ship_to, drop_ship, expires_at, created_at)
          select cid, mid, qty * price, ${sku.currency}, aid, ship::jsonb, drop_ship::bool, expires::timestamptz, at::timestamptz from b order by n
          returning id
        ), o as (
          insert into orders (id, checkout_id, member_id, brand_id, goods_minor, currency, ship_to, drop_ship, created_at)
          select oid, cid, mid, ${sku.brand_id}, qty * price, ${sku.currency}, ship::jsonb, drop_ship::bool, at::timestamptz from b order by n
          returning id
        ), l as (
          insert into order_lines (order_id, session_id, session_item_sku_id, sku_id, product_id, title, size, colour, quantity, unit_price_minor)
          select oid, ${sku.session_id}, ${skuId}, ${sku.sku_id}, ${sku.product_id}, ${sku.title}, ${sku.size}, ${sku.colour}, qty, price from b order by n
          returning 1
        ), caps as (
          insert into member_sku_takes as t (member_id, session_item_sku_id, taken)
          select mid, ${skuId}, sum(qty)::int from b where ${sku.per_member_cap !== null}::bool group by mid
          on conflict (member_id, session_item_sku_id) do update set taken = t.taken + excluded.taken
          returning 1
        ), jobs as (
          select count(*)::int as n from (
            select graphile_worker.add_job('expire_checkout', json_build_object('checkoutIds', json_agg(cid order by n)), run_at => max(expires::timestamptz), max_attempts => 25)
            from b having count(*) > 0) j
        ), cart as (
          delete from cart_lines where ctid in (
            select ctid from cart_lines where session_item_sku_id = ${skuId} and member_id in (select mid from b) for update skip locked)
          returning 1
        ), moved as (
          insert into stock_movements (brand_id, session_id, session_item_sku_id, kind, quantity, created_at)
          select ${sku.brand_id}, ${sku.session_id}, ${skuId}, 'sale', -${taken}::int, max(at::timestamptz) from b having count(*) > 0
          returning 1
        ), physical as (
          update skus set stock_on_hand = stock_on_hand - ${taken}::int where id = ${sku.sku_id} and exists (select 1 from took)
          returning 1
        )
        select (select count(*) from took)::int as took, (select count(*) from physical)::int as physical, (select count(*) from l)::int as lines, (select n from jobs) as jobs, (select count(*) from moved)::int as moved`)
      if (wrote?.took !== 1 || wrote.physical !== 1 || wrote.lines !== accepted.length || wrote.jobs !== 1 || wrote.moved !== 1) throw new Error(`group commit: the batch did not write as planned (${JSON.stringify(wrote)})`)
      return results
    })
  }
}

type Send = <R>(query: RawBuilder<unknown>) => Promise<R[]>

/**
 * A transaction on one reserved postgres.js connection whose statements go out without waiting for the previous
 * answer (Kysely's transactions wait for each, and under the hot row's lock every round trip costs every buyer in
 * the batch). PostgreSQL still runs them in order, and after an error refuses everything until the rollback.
 */
export async function pipelinedTransaction<T>(db: Db, body: (send: Send) => Promise<T>): Promise<T> {
  const conn = await postgresClientOf(db).reserve()
  try {
    // Sent now (postgres.js sends a query when it is first awaited or executed, in that order), so BEGIN goes out
    // ahead of the body's first statements.
    const begin = conn.unsafe('begin').execute()
    const send: Send = async <R>(q: RawBuilder<unknown>) => {
      const { sql: text, parameters } = q.compile(db)
      return [...(await conn.unsafe(text, [...parameters] as postgres.ParameterOrJSON<never>[]))] as R[]
    }
    let result: T
    try {
      ;[, result] = await Promise.all([begin, body(send)])
    } catch (error) {
      await conn.unsafe('rollback').catch(() => {})
      throw error
    }
    await conn.unsafe('commit')
    return result
  } finally {
    conn.release()
  }
}

interface Planned {
  acceptedIds: string[]
  results: (GrabPlaced | DomainError)[]
}

function refusal(o: Exclude<BatchOutcome, { kind: 'accepted' }>, item: string, sessionItemSkuId: string, quantity: number): DomainError {
  switch (o.kind) {
    case 'closed':
      return new SessionClosedError(`${item}: the session is not live`, { sessionItemSkuId, item })
    case 'cap':
      return new CapExceededError(`${item}: at most ${o.cap} per member`, { sessionItemSkuId, item, cap: o.cap })
    case 'sold_out':
      return o.available <= 0
        ? new SoldOutError(`${item}: sold out`, { sessionItemSkuId, item, available: o.available })
        : new SoldOutError(`${item}: only ${o.available} left, ${quantity} requested`, { sessionItemSkuId, item, available: o.available })
  }
}

// ---- one queue per database handle (the app's shared pool gets a committer pool of its own) ----
const queues = new WeakMap<Db, GrabQueue>()

/** Sends single-SKU checkouts placed on `shared` through `queue` (the app registers one with its own pool). */
export function registerGrabQueue(shared: Db, queue: GrabQueue) {
  queues.set(shared, queue)
}

/** The queue for checkouts placed on `db`; null when switched off (GRAB_QUEUE=0: every checkout per request). */
export function grabQueueFor(db: Db): GrabQueue | null {
  if (process.env.GRAB_QUEUE === '0') return null
  let q = queues.get(db)
  if (!q) queues.set(db, (q = new GrabQueue(db)))
  return q
}
