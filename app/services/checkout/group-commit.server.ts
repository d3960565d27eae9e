// Group commit: an in-process queue per SKU that only decides scheduling and batch size. Purchases of a SKU that
// arrive while a batch of that SKU commits wait and join the next batch; each batch is ONE transaction of the
// checkout pipeline (one hold of the SKU row's lock, one WAL flush) instead of one per buyer. Nobody hears
// "accepted" before COMMIT returned, so every 201 is durable. Correctness never depends on the queue: the
// pipeline locks the rows before deciding anything, so batches from several app processes serialise on them.
import type { Db } from '#db/client'
import type { DomainError } from '#app/domain/errors'
import { CheckoutBusyError } from '#app/domain/orders'
import { setting } from '#app/utils/env.server'
import { placePurchases, type Outcome, type Placed, type Plan, type Purchase } from './pipeline.server'
import { pipelinedTransaction } from './transaction.server'

interface Waiter {
  purchase: Purchase
  resolve: (placed: Placed) => void
  reject: (error: unknown) => void
}

export interface GroupCommitStats {
  batches: number
  grabs: number
  largestBatch: number
  commitMs: number
  fallbacks: number
}

export interface GroupCommitOptions {
  maxBatch?: number
  maxWaiting?: number
  /**
   * Multi-SKU purchases join the batches of their first SKU (id order); false: they commit alone. On by default:
   * measured faster (tests/bench/README.md, "opening").
   */
  multiSku?: boolean
}

export class GroupCommit {
  private readonly queues = new Map<string, Waiter[]>()
  private readonly flushing = new Set<string>()
  private readonly counters: GroupCommitStats = { batches: 0, grabs: 0, largestBatch: 0, commitMs: 0, fallbacks: 0 }

  /**
   * @param db the committer's own small pool (a batch that waits for a connection behind page loads of the shared
   *   pool holds up every buyer in it).
   */
  constructor(
    readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {}

  stats(): GroupCommitStats {
    return { ...this.counters }
  }

  /** Whether this purchase is batched (else it commits alone through the same pipeline). */
  takes(purchase: Purchase): boolean {
    return new Set(purchase.lines.map((l) => l.sessionItemSkuId)).size === 1 || this.options.multiSku !== false
  }

  place(purchase: Purchase): Promise<Placed> {
    const key = purchase.lines.map((l) => l.sessionItemSkuId).sort()[0]!
    const queue = this.queues.get(key) ?? []
    if (queue.length >= (this.options.maxWaiting ?? 5_000))
      return Promise.reject(new CheckoutBusyError('too many buyers at once, try again in a moment'))
    return new Promise((resolve, reject) => {
      queue.push({ purchase, resolve, reject })
      this.queues.set(key, queue)
      if (!this.flushing.has(key)) void this.flush(key)
    })
  }

  private async flush(key: string) {
    this.flushing.add(key)
    try {
      for (;;) {
        const queue = this.queues.get(key)
        if (!queue?.length) break
        await this.run(queue.splice(0, this.options.maxBatch ?? 500))
      }
    } finally {
      this.flushing.delete(key)
      this.queues.delete(key)
    }
  }

  private async run(batch: Waiter[]) {
    const t0 = performance.now()
    let plan: Plan | undefined
    try {
      const results = await pipelinedTransaction(this.db, (run) =>
        placePurchases(
          run,
          batch.map((w) => w.purchase),
          (p) => {
            plan = p
          },
        ),
      )
      this.counters.batches++
      this.counters.grabs += batch.length
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length)
      this.counters.commitMs += performance.now() - t0
      settle(batch, results)
    } catch (error) {
      await this.recover(batch, plan, error)
    }
  }

  /**
   * The batch failed. If COMMIT itself failed ambiguously (the batch may be on disk), look: when its checkouts
   * exist, answer as committed. Otherwise nothing was taken (rolled back): every purchase is retried alone
   * through the same pipeline, so only a purchase that fails on its own gets an error.
   */
  private async recover(batch: Waiter[], plan: Plan | undefined, error: unknown) {
    if (plan && plan.acceptedIds.length) {
      let found: number
      try {
        const r = await this.db
          .selectFrom('checkouts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', 'in', plan.acceptedIds)
          .executeTakeFirstOrThrow()
        found = Number(r.n)
      } catch {
        batch.forEach((w) => w.reject(error))
        return
      }
      if (found === plan.acceptedIds.length) return settle(batch, plan.results)
    }
    this.counters.fallbacks += batch.length
    for (const w of batch) {
      try {
        w.resolve(await placeAlone(this.db, w.purchase))
      } catch (e) {
        w.reject(e)
      }
    }
  }
}

function settle(batch: Waiter[], results: Outcome[]) {
  batch.forEach((w, i) => {
    const r = results[i]!
    if (r instanceof Error) w.reject(r)
    else w.resolve(r)
  })
}

/** One purchase in a transaction of its own (a batch of one): its checkout, or its refusal thrown. */
export async function placeAlone(db: Db, purchase: Purchase): Promise<Placed> {
  const [result] = await pipelinedTransaction(db, (run) => placePurchases(run, [purchase]))
  if (result instanceof Error) throw result as DomainError
  return result!
}

// ---- one queue per database handle (the app's shared pool gets a committer pool of its own) ----
const queues = new WeakMap<Db, GroupCommit>()

/** Sends purchases placed on `shared` through `queue` (the app registers one with its own pool). */
export function registerGroupCommit(shared: Db, queue: GroupCommit) {
  queues.set(shared, queue)
}

/** The queue for purchases placed on `db`; null when switched off (GRAB_QUEUE=0: every purchase commits alone). */
export function groupCommitFor(db: Db): GroupCommit | null {
  if (setting('GRAB_QUEUE') === '0') return null
  let q = queues.get(db)
  if (!q) queues.set(db, (q = new GroupCommit(db)))
  return q
}

/** Places a purchase: batched with others when the queue takes it, else alone; the same pipeline either way. */
export function submitPurchase(db: Db, purchase: Purchase): Promise<Placed> {
  const queue = groupCommitFor(db)
  return queue?.takes(purchase) ? queue.place(purchase) : placeAlone(db, purchase)
}
