// Group commit: an in-process queue that only decides scheduling and batch size. Purchases that arrive while a
// batch commits wait and join the next batch, whatever SKUs they buy; each batch is ONE transaction of the checkout
// pipeline (one hold of the SKU rows' locks, one WAL flush) instead of one per buyer. Nobody hears "accepted"
// before COMMIT returned, so every 201 is durable. Correctness never depends on the queue: the pipeline locks the
// rows before deciding anything, so batches from several app processes serialise on them.
import type { Db } from '#db/client'
import { countCheckouts, openConnection } from '#db/queries/checkout'
import type { DomainError } from '#app/domain/errors'
import { CheckoutBusyError } from '#app/domain/orders'
import { setting } from '#app/utils/env.server'
import { placePurchases, type Outcome, type Placed, type Plan, type Purchase } from './pipeline.server'
import { checkoutStep } from './timeline.server'
import { pipelinedTransaction } from './transaction.server'
import { stockChanged } from '../catalog/kept-reads.server'

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
   * Multi-SKU purchases join the batches like single-SKU ones; false: they commit alone. On by default: measured
   * faster (tests/bench/README.md, "opening").
   */
  multiSku?: boolean
  /**
   * The pool of the checkout's own reads before a batch (session, member, address); default: the committer's. A
   * connection of its own: a batch takes an idle connection only, so on a pool shared with the reads it waited
   * behind them (measured at a session opening: a batch's connection came 100–400 ms late while 500 requests'
   * reads went out).
   */
  reader?: Db
}

export class GroupCommit {
  // One queue for every SKU, one batch in flight. Queues per SKU made a session opening (carts of 1–3 of 20 hot
  // SKUs) commit ~50 small batches that shared rows, so each waited for the others' locks and for a connection:
  // ~15 purchases per 50 ms instead of ~150. One batch of everything waiting takes each row's lock once.
  private readonly queue: Waiter[] = []
  /** Purchases waiting per first SKU (id order): `maxWaiting` bounds each SKU's queue, as it did per SKU. */
  private readonly waitingBySku = new Map<string, number>()
  private flushing = false
  private readonly counters: GroupCommitStats = { batches: 0, grabs: 0, largestBatch: 0, commitMs: 0, fallbacks: 0 }

  /**
   * @param db the committer's own small pool (a batch that waits for a connection behind page loads of the shared
   *   pool holds up every buyer in it).
   */
  constructor(
    readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {}

  /** Where the checkout's reads before its batch go. */
  get reader(): Db {
    return this.options.reader ?? this.db
  }

  /**
   * Opens the committer's connections now (at start-up), so the first batch of a storm does not wait for them:
   * measured at a session opening, the first batch's connection took 0.1–2.3 s under load.
   */
  async warm(connections = 2): Promise<void> {
    await Promise.all([
      ...Array.from({ length: connections }, () => openConnection(this.db)),
      this.options.reader ? openConnection(this.options.reader) : null,
    ])
  }

  stats(): GroupCommitStats {
    return { ...this.counters }
  }

  /** Whether this purchase is batched (else it commits alone through the same pipeline). */
  takes(purchase: Purchase): boolean {
    return new Set(purchase.lines.map((l) => l.sessionItemSkuId)).size === 1 || this.options.multiSku !== false
  }

  place(purchase: Purchase): Promise<Placed> {
    const key = firstSku(purchase)
    const waiting = this.waitingBySku.get(key) ?? 0
    if (waiting >= (this.options.maxWaiting ?? 5_000))
      return Promise.reject(new CheckoutBusyError('too many buyers at once, try again in a moment'))
    this.waitingBySku.set(key, waiting + 1)
    return new Promise((resolve, reject) => {
      this.queue.push({ purchase, resolve, reject })
      if (!this.flushing) void this.flush()
    })
  }

  private async flush() {
    this.flushing = true
    try {
      // An idle queue waits one turn of the event loop before its first batch, so the buyers whose requests
      // arrived in the same turn (a storm's first instant) share it rather than queue behind a batch of one.
      await new Promise((resolve) => setImmediate(resolve))
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500)
        for (const w of batch) {
          const key = firstSku(w.purchase)
          const left = (this.waitingBySku.get(key) ?? 1) - 1
          if (left > 0) this.waitingBySku.set(key, left)
          else this.waitingBySku.delete(key)
        }
        await this.run(batch)
      }
    } finally {
      this.flushing = false
    }
  }

  private async run(batch: Waiter[]) {
    const t0 = performance.now()
    checkoutStep('batch', batch.length)
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
      checkoutStep('committed', batch.length)
      this.counters.batches++
      this.counters.grabs += batch.length
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length)
      this.counters.commitMs += performance.now() - t0
      stockChanged()
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
        found = await countCheckouts(this.db, plan.acceptedIds)
      } catch {
        batch.forEach((w) => w.reject(error))
        return
      }
      if (found === plan.acceptedIds.length) {
        stockChanged()
        return settle(batch, plan.results)
      }
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

const firstSku = (purchase: Purchase) => purchase.lines.map((l) => l.sessionItemSkuId).sort()[0]!

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
  stockChanged()
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
