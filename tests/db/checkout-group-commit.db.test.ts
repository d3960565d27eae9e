import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '#db/client'
import { CapExceededError, CheckoutBusyError, SoldOutError } from '#app/domain/orders'
import { DEFAULT_VIP_TIERS } from '#app/domain/pricing'
import { GroupCommit, registerGroupCommit } from '#app/services/checkout/group-commit.server'
import { memberBuyer, placeCheckout } from '#app/services/checkout/member-checkout.server'
import { CHECKOUT_STEPS_CHANNEL } from '#app/services/checkout/timeline.server'
import { pipelinedTransaction } from '#app/services/checkout/transaction.server'
import { noPlacements, writePlacements } from '#db/queries/checkout'
import { resetOrderIntegrations } from '#app/services/orders/integrations.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Group commit of single-SKU checkouts (app/services/checkout/group-commit.server.ts): the same books as the per-request
// path, with many buyers per transaction, across several processes, and when a batch fails.
let t: TestDatabase
const pools: Db[] = []
const pool = (max: number) => {
  const db = createDb(t.url, { max })
  pools.push(db)
  return db
}
/** A stand-in for one app process: a shared pool whose single-SKU checkouts go through its own queue and committer pool. */
function appProcess() {
  const shared = pool(20)
  const queue = new GroupCommit(pool(2))
  registerGroupCommit(shared, queue)
  return { shared, queue }
}

async function member(db: Db) {
  const user = await createUser(db)
  const address = await db
    .insertInto('addresses')
    .values({
      member_id: user.id,
      kind: 'own',
      recipient: '李四',
      phone: '13900000000',
      region: '上海 浦东',
      line: '世纪大道 1 号',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: user.id, addressId: address.id }
}

async function hotSku(units: number, cap: number | null) {
  const brandId = (await createBrand(t.db)).id
  const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
  const { product, skus } = await createProduct(t.db, { brandId, sizes: ['S'], colours: ['红色'], title: '真丝衬衫' })
  const item = await addSessionItem(t.db, {
    sessionId: session.id,
    productId: product.id,
    skuIds: [skus[0].id],
    basePriceMinor: 20000,
    quantity: units,
    perMemberCap: cap,
  })
  return (
    await t.db
      .selectFrom('session_item_skus')
      .select('id')
      .where('session_item_id', '=', item.id)
      .executeTakeFirstOrThrow()
  ).id
}

const grab = (db: Db, m: { id: string; addressId: string }, sisId: string, quantity = 1) =>
  placeCheckout(db, {
    memberId: m.id,
    vipLevel: 0,
    lines: [{ sessionItemSkuId: sisId, quantity }],
    addressId: m.addressId,
    now: new Date(),
  })

/**
 * Stock, order lines, cap counters, checkouts, expiry jobs, sale movements and the SKU's stock on hand (the
 * allocation, as hotSku puts it on the shelf) must all agree.
 */
async function books(sisId: string) {
  const sku = await t.db
    .selectFrom('session_item_skus as x')
    .innerJoin('skus as k', 'k.id', 'x.sku_id')
    .select(['x.allocated', 'x.available', 'k.stock_on_hand as onHand'])
    .where('x.id', '=', sisId)
    .executeTakeFirstOrThrow()
  const byMember = await sql<{ member_id: string; n: number; checkouts: number; taken: number | null }>`
    select o.member_id, sum(l.quantity)::int as n, count(distinct o.checkout_id)::int as checkouts,
      (select taken from member_sku_takes t where t.member_id = o.member_id and t.session_item_sku_id = ${sisId}) as taken
    from order_lines l join orders o on o.id = l.order_id where l.session_item_sku_id = ${sisId} group by o.member_id`.execute(
    t.db,
  )
  // Checkouts covered by a pending expiry job (a batch's job lists all of its checkouts).
  const jobs = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id,
      jsonb_array_elements_text(j.payload::jsonb -> 'checkoutIds') as c(id)
    where k.identifier = 'expire_checkout'
      and c.id in (select o.checkout_id::text from orders o join order_lines l on l.order_id = o.id where l.session_item_sku_id = ${sisId})`.execute(
    t.db,
  )
  const moved = await sql<{
    n: number
  }>`select coalesce(-sum(quantity), 0)::int as n from stock_movements where session_item_sku_id = ${sisId} and kind = 'sale'`.execute(
    t.db,
  )
  const sold = byMember.rows.reduce((s, r) => s + r.n, 0)
  return {
    sku,
    sold,
    byMember: new Map(byMember.rows.map((r) => [r.member_id, r])),
    checkouts: byMember.rows.reduce((s, r) => s + r.checkouts, 0),
    jobs: jobs.rows[0]!.n,
    moved: moved.rows[0]!.n,
  }
}

beforeAll(async () => {
  t = await createTestDatabase()
})

/** Makes the database refuse stock movements of one SKU when `condition` holds: a real failure inside the batch's statement. */
async function failMovements(sisId: string, condition: string, message: string) {
  const name = `fail_movements_${sisId.replace(/-/g, '')}`
  await sql
    .raw(
      `
    create function ${name}() returns trigger language plpgsql as $$
    begin
      if new.session_item_sku_id = '${sisId}' and (${condition}) then raise exception '${message}'; end if;
      return new;
    end $$;
    create trigger ${name} before insert on stock_movements for each row execute function ${name}();`,
    )
    .execute(t.db)
}
afterEach(() => {
  resetOrderIntegrations()
  delete process.env.GRAB_QUEUE
})
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()))
  await t.drop()
})

describe('group commit of single-SKU checkouts', () => {
  it('allocates one batch in arrival order: caps and a short stock refuse only the requests they concern', async () => {
    const queue = new GroupCommit(pool(2))
    const sisId = await hotSku(7, 2)
    const [a, b, c, d] = await Promise.all([member(t.db), member(t.db), member(t.db), member(t.db)])
    // Straight into the queue, so arrival order is call order (placeCheckout reads the address first).
    const grab = (_: unknown, m: { id: string; addressId: string }, sessionItemSkuId: string, quantity = 1) =>
      queue.place({
        buyer: memberBuyer({ id: m.id, vipLevel: 0 }, DEFAULT_VIP_TIERS),
        lines: [{ sessionItemSkuId, quantity }],
        now: new Date(),
        expiresAt: new Date(Date.now() + 900_000),
        addressId: m.addressId,
        dropShip: false,
        shipTo: { recipient: '李四', phone: '13900000000', region: '上海 浦东', line: '世纪大道 1 号', kind: 'own' },
      })
    const shared = null
    await t.db
      .insertInto('cart_lines')
      .values([{ member_id: a.id, session_item_sku_id: sisId, quantity: 1 }])
      .execute()
    // The first grab starts a batch alone; everything after it arrives while it commits and forms the next one.
    const results = await Promise.allSettled([
      grab(shared, a, sisId),
      grab(shared, a, sisId),
      grab(shared, a, sisId), // a: third passes the cap of 2
      grab(shared, b, sisId, 2), // b: 2 → 3 left
      grab(shared, c, sisId, 2), // c: 2 → 1 left
      grab(shared, d, sisId, 2), // d: only 1 left
      grab(shared, d, sisId, 1), // d: the last unit
      grab(shared, c, sisId, 1), // c: sold out (stock is checked before the cap)
    ])
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ])
    const reason = (i: number) => (results[i] as PromiseRejectedResult).reason
    expect(reason(2)).toBeInstanceOf(CapExceededError)
    expect(reason(5)).toBeInstanceOf(SoldOutError)
    expect(reason(5).message).toBe('真丝衬衫 红色/S: only 1 left, 2 requested')
    expect(reason(7).message).toBe('真丝衬衫 红色/S: sold out')
    const stats = queue.stats()
    expect(stats.grabs).toBe(8)
    expect(stats.batches).toBeLessThan(8)
    expect(stats.largestBatch).toBeGreaterThan(1)
    const placed = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof grab>>>).value)
    expect(placed.map((p) => p.totalMinor)).toEqual([20000, 20000, 40000, 40000, 20000])
    const ledger = await books(sisId)
    expect(ledger.sku.available).toBe(0)
    expect(ledger.sold).toBe(7)
    expect(ledger.sku.onHand).toBe(0)
    expect(ledger.moved).toBe(7)
    expect(ledger.checkouts).toBe(5)
    expect(ledger.jobs).toBe(5)
    for (const [id, n] of [
      [a.id, 2],
      [b.id, 2],
      [c.id, 2],
      [d.id, 1],
    ] as const) {
      expect(ledger.byMember.get(id)).toMatchObject({ n, taken: n })
    }
    expect(
      await t.db.selectFrom('cart_lines').select('member_id').where('session_item_sku_id', '=', sisId).execute(),
    ).toEqual([])
    // Every accepted checkout's id came back to its caller and is on the books with its expiry job.
    const ids = await t.db
      .selectFrom('checkouts')
      .select('id')
      .where(
        'id',
        'in',
        placed.map((p) => p.checkoutId),
      )
      .execute()
    expect(ids).toHaveLength(5)
    // One expiry job per batch, due at its latest checkout's deadline (never before any of them).
    const jobs = await sql<{ run_at: Date; latest: Date; n: number }>`
      select j.run_at, max(c.expires_at) as latest, count(*)::int as n
      from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id,
        jsonb_array_elements_text(j.payload::jsonb -> 'checkoutIds') as e(id) join checkouts c on c.id = e.id::uuid
      where k.identifier = 'expire_checkout' and c.id in (${sql.join(placed.map((p) => p.checkoutId))})
      group by j.id, j.run_at`.execute(t.db)
    expect(jobs.rows.length).toBeLessThan(5)
    expect(jobs.rows.reduce((sum, j) => sum + j.n, 0)).toBe(5)
    for (const j of jobs.rows) expect(j.run_at.getTime()).toBe(j.latest.getTime())
  })

  it('publishes each batch’s steps on the timeline channel, in order, with the clock and the batch’s size', async () => {
    const sisId = await hotSku(10, null)
    const buyers = await Promise.all(Array.from({ length: 3 }, () => member(t.db)))
    const { shared } = appProcess()
    const steps: { step: string; n: number; at: number }[] = []
    const listen = (m: unknown) => steps.push(m as (typeof steps)[number])
    subscribe(CHECKOUT_STEPS_CHANNEL, listen)
    try {
      const before = Date.now()
      await Promise.all(buyers.map((b) => grab(shared, b, sisId)))
      // One batch as a rule; however the buyers were split, each batch goes through the four steps in order.
      const batches = steps.filter((s) => s.step === 'batch').map((s) => s.n)
      expect(batches.reduce((a, b) => a + b, 0)).toBe(3)
      expect(steps.map((s) => `${s.step} ${s.n}`)).toEqual(
        batches.flatMap((n) => ['batch', 'locked', 'write', 'committed'].map((step) => `${step} ${n}`)),
      )
      expect(
        steps.every((s, i) => s.at >= before - 1 && s.at <= Date.now() + 1 && s.at >= (steps[i - 1]?.at ?? 0)),
      ).toBe(true)
    } finally {
      unsubscribe(CHECKOUT_STEPS_CHANNEL, listen)
    }
  })

  it('two app processes (two queues, two committer pools) on one SKU: exactly the stock, caps held', async () => {
    const p1 = appProcess()
    const p2 = appProcess()
    const sisId = await hotSku(50, 3)
    const buyers = await Promise.all(Array.from({ length: 40 }, () => member(t.db)))
    const results = await Promise.allSettled(
      buyers.flatMap((m, i) =>
        Array.from({ length: 5 }, (_, k) => grab((i + k) % 2 ? p1.shared : p2.shared, m, sisId)),
      ),
    )
    const ok = results.filter((r) => r.status === 'fulfilled')
    expect(ok).toHaveLength(50)
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => {
          const e = (r as PromiseRejectedResult).reason
          return e instanceof SoldOutError || e instanceof CapExceededError
        }),
    ).toBe(true)
    expect(p1.queue.stats().batches).toBeGreaterThan(0)
    expect(p2.queue.stats().batches).toBeGreaterThan(0)
    expect(p1.queue.stats().batches + p2.queue.stats().batches).toBeLessThan(200)
    const ledger = await books(sisId)
    expect(ledger.sku.available).toBe(0)
    expect(ledger.sold).toBe(50)
    expect(ledger.sku.onHand).toBe(0)
    expect(ledger.jobs).toBe(50)
    for (const row of ledger.byMember.values()) {
      expect(row.n).toBeLessThanOrEqual(3)
      expect(row.taken).toBe(row.n)
    }
  })

  it('a batch that fails rolls back whole and its requests retry one by one: nothing lost, nothing taken twice', async () => {
    const { shared, queue } = appProcess()
    const sisId = await hotSku(30, null)
    const buyers = await Promise.all(Array.from({ length: 40 }, () => member(t.db)))
    // Fails any sale movement of more than one unit (each buyer takes one): every multi-buyer batch fails in its
    // one statement, after the decrement in it.
    await failMovements(sisId, 'new.quantity < -1', 'injected failure in a batch')
    const results = await Promise.allSettled(buyers.map((m) => grab(shared, m, sisId)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30)
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof SoldOutError),
    ).toBe(true)
    expect(queue.stats().fallbacks).toBeGreaterThan(0)
    const ledger = await books(sisId)
    expect(ledger.sku.available).toBe(0)
    expect(ledger.sold).toBe(30)
    expect(ledger.sku.onHand).toBe(0)
    expect(ledger.moved).toBe(30)
    expect(ledger.jobs).toBe(30)
  })

  it('a request that fails on its own too gets the error, and takes no stock', async () => {
    const { shared } = appProcess()
    const sisId = await hotSku(10, null)
    const buyers = await Promise.all(Array.from({ length: 4 }, () => member(t.db)))
    await failMovements(sisId, 'true', 'movements unavailable')
    const results = await Promise.allSettled(buyers.map((m) => grab(shared, m, sisId)))
    expect(
      results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'movements unavailable'),
    ).toBe(true)
    const ledger = await books(sisId)
    expect(ledger.sku.available).toBe(10)
    expect(ledger.sold).toBe(0)
    expect(ledger.sku.onHand).toBe(10)
    expect(ledger.jobs).toBe(0)
  })

  it('with GRAB_QUEUE=0 every checkout takes the per-request path, with the same books under 100 racers', async () => {
    process.env.GRAB_QUEUE = '0'
    const { shared, queue } = appProcess()
    const sisId = await hotSku(25, 2)
    const buyers = await Promise.all(Array.from({ length: 50 }, () => member(t.db)))
    const results = await Promise.allSettled(buyers.flatMap((m) => [grab(shared, m, sisId), grab(shared, m, sisId)]))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25)
    expect(queue.stats().grabs).toBe(0)
    const ledger = await books(sisId)
    expect(ledger.sku.available).toBe(0)
    expect(ledger.sold).toBe(25)
    expect(ledger.sku.onHand).toBe(0)
    expect(ledger.jobs).toBe(25)
  })
})

describe('stock on hand under concurrent checkouts', () => {
  it('two live sessions selling the same SKUs, batched and multi-line, crosswise: each sale leaves the shelf once, no deadlock', async () => {
    const p1 = appProcess()
    const p2 = appProcess()
    const brandId = (await createBrand(t.db)).id
    const { product, skus } = await createProduct(t.db, {
      brandId,
      sizes: ['S', 'M'],
      colours: ['蓝色'],
      title: '牛仔裤',
    })
    const sessionSkus = async () => {
      const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
      const item = await addSessionItem(t.db, {
        sessionId: session.id,
        productId: product.id,
        skuIds: skus.map((k) => k.id),
        basePriceMinor: 10000,
        quantity: 12,
      })
      return t.db
        .selectFrom('session_item_skus')
        .select(['id', 'sku_id'])
        .where('session_item_id', '=', item.id)
        .orderBy('sku_id')
        .execute()
    }
    const a = await sessionSkus()
    const b = await sessionSkus()
    const shelf = () =>
      t.db
        .selectFrom('skus')
        .select(['id', 'stock_on_hand'])
        .where('product_id', '=', product.id)
        .orderBy('id')
        .execute()
    expect((await shelf()).map((k) => k.stock_on_hand)).toEqual([24, 24])
    const buyers = await Promise.all(Array.from({ length: 30 }, () => member(t.db)))
    // Every buyer sends a two-line checkout (its lines in opposite orders across the sessions) and two single grabs.
    const results = await Promise.allSettled(
      buyers.flatMap((m, i) => {
        const db = i % 2 ? p1.shared : p2.shared
        const now = new Date()
        const two = (x: { id: string }[], reversed: boolean) =>
          placeCheckout(db, {
            memberId: m.id,
            vipLevel: 0,
            addressId: m.addressId,
            now,
            lines: (reversed ? [...x].reverse() : x).map((k) => ({ sessionItemSkuId: k.id, quantity: 1 })),
          })
        return [two(i % 2 ? a : b, i % 3 === 0), grab(db, m, a[i % 2]!.id), grab(db, m, b[(i + 1) % 2]!.id)]
      }),
    )
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
    expect(failed.every((e) => e instanceof SoldOutError)).toBe(true)
    // Sold per catalog SKU, from the order lines; the shelf lost exactly that, and no session sold past its stock.
    const sold = await sql<{ sku_id: string; n: number }>`
      select sku_id, coalesce(sum(quantity), 0)::int as n from order_lines where product_id = ${product.id} group by sku_id order by sku_id`.execute(
      t.db,
    )
    const rows = await shelf()
    expect(sold.rows.reduce((s, r) => s + r.n, 0)).toBe(48)
    expect(rows.map((k) => k.stock_on_hand)).toEqual(
      rows.map((k) => 24 - (sold.rows.find((r) => r.sku_id === k.id)?.n ?? 0)),
    )
    expect(rows.map((k) => k.stock_on_hand)).toEqual([0, 0])
    const left = await t.db
      .selectFrom('session_item_skus')
      .select('available')
      .where(
        'id',
        'in',
        [...a, ...b].map((k) => k.id),
      )
      .execute()
    expect(left.map((k) => k.available)).toEqual([0, 0, 0, 0])
  })
})

describe('the batch transaction (pipelined statements on one connection)', () => {
  it('sends BEGIN first: every statement runs in one transaction, even those sent together', async () => {
    const db = pool(1)
    const ids = await pipelinedTransaction(db, async (send) => {
      const [a, b] = await Promise.all([
        send<{ x: string }>(sql`select txid_current()::text as x`),
        send<{ x: string }>(sql`select txid_current()::text as x`),
      ])
      const [c] = await send<{ x: string }>(sql`select txid_current()::text as x`)
      return [a[0]!.x, b[0]!.x, c!.x]
    })
    expect(new Set(ids).size).toBe(1)
  })

  it('commits what the body wrote, and rolls back everything when a statement fails', async () => {
    const db = pool(1)
    await sql`create table if not exists pipelined_probe (n int primary key)`.execute(t.db)
    await pipelinedTransaction(db, (send) => send(sql`insert into pipelined_probe values (1)`))
    await expect(
      pipelinedTransaction(db, (send) =>
        Promise.all([
          send(sql`insert into pipelined_probe values (2)`),
          send(sql`insert into pipelined_probe values (1)`),
          send(sql`insert into pipelined_probe values (3)`),
        ]),
      ),
    ).rejects.toThrow(/duplicate key/)
    const rows = await sql<{ n: number }>`select n from pipelined_probe order by n`.execute(t.db)
    expect(rows.rows.map((r) => r.n)).toEqual([1])
    // The connection went back to the pool in a usable state.
    await pipelinedTransaction(db, (send) => send(sql`insert into pipelined_probe values (4)`))
    expect((await sql<{ n: number }>`select count(*)::int as n from pipelined_probe`.execute(t.db)).rows[0]!.n).toBe(2)
  })
})

describe('the batch transaction: COMMIT right behind the last statement', () => {
  it('commits what the last statement wrote; a last statement that fails commits nothing before it either', async () => {
    const db = pool(1)
    await sql`create table if not exists pipelined_last (n int primary key)`.execute(t.db)
    await pipelinedTransaction(db, (send) => send(sql`insert into pipelined_last values (1)`, { last: true }))
    await expect(
      pipelinedTransaction(db, async (send) => {
        await send(sql`insert into pipelined_last values (2)`)
        return send(sql`insert into pipelined_last values (1)`, { last: true })
      }),
    ).rejects.toThrow(/duplicate key/)
    await expect(
      pipelinedTransaction(db, async (send) => {
        await send(sql`select 1`, { last: true })
        return send(sql`insert into pipelined_last values (3)`)
      }),
    ).rejects.toThrow(/after the transaction/)
    expect((await sql<{ n: number }>`select n from pipelined_last order by n`.execute(t.db)).rows).toEqual([{ n: 1 }])
    // The connection went back to the pool outside any transaction.
    await pipelinedTransaction(db, (send) => send(sql`insert into pipelined_last values (4)`))
    expect((await sql<{ n: number }>`select count(*)::int as n from pipelined_last`.execute(t.db)).rows[0]!.n).toBe(2)
  })

  it('the write fails, and writes nothing, when a decrement misses its stock', async () => {
    const sisId = await hotSku(2, null)
    const { sku_id: skuId } = await t.db
      .selectFrom('session_item_skus')
      .select('sku_id')
      .where('id', '=', sisId)
      .executeTakeFirstOrThrow()
    const m = await member(t.db)
    const answer = { memberId: m.id, key: 'k-missed', fingerprint: 'f', checkoutId: null, status: 409, answer: '{}' }
    await expect(
      pipelinedTransaction(pool(1), (send) =>
        send(
          writePlacements({
            ...noPlacements(),
            takes: [{ sessionItemSkuId: sisId, skuId, quantity: 3 }],
            answers: [answer],
          }),
          { last: true },
        ),
      ),
    ).rejects.toThrow(/did not write as planned/)
    const kept = await t.db
      .selectFrom('checkout_idempotency_keys')
      .select('key')
      .where('member_id', '=', m.id)
      .execute()
    expect(kept).toEqual([])
    const row = await t.db
      .selectFrom('session_item_skus')
      .select('available')
      .where('id', '=', sisId)
      .executeTakeFirst()
    expect(row?.available).toBe(2)
  })
})

describe('multi-SKU purchases in group commit', () => {
  it('overlapping carts batched under different first SKUs, in two processes at once: exact books, no deadlock', async () => {
    const brandId = (await createBrand(t.db)).id
    const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
    const { product, skus } = await createProduct(t.db, {
      brandId,
      sizes: ['S', 'M', 'L', 'XL'],
      colours: ['白色'],
      title: '棉衬衫',
    })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((k) => k.id),
      basePriceMinor: 10000,
      quantity: 40,
    })
    const ids = (
      await t.db
        .selectFrom('session_item_skus')
        .select('id')
        .where('session_item_id', '=', item.id)
        .orderBy('id')
        .execute()
    ).map((r) => r.id)
    // Two app processes whose queues batch multi-SKU carts by their first SKU (id order).
    const processes = [0, 1].map(() => {
      const shared = pool(10)
      const queue = new GroupCommit(pool(2), { multiSku: true })
      registerGroupCommit(shared, queue)
      return { shared, queue }
    })
    const deadlocks = async () =>
      (
        await sql<{
          n: number
        }>`select deadlocks::int as n from pg_stat_database where datname = current_database()`.execute(t.db)
      ).rows[0]!.n
    const before = await deadlocks()
    // Carts whose first SKUs differ but whose SKUs overlap, so batches keyed A, B and C lock rows in common; each in
    // both line orders.
    const carts = [
      [0, 2],
      [1, 2],
      [1, 3],
      [0, 3],
      [2, 3],
      [0, 1, 2, 3],
    ]
    const buyers = await Promise.all(Array.from({ length: 36 }, () => member(t.db)))
    const results = await Promise.allSettled(
      buyers.map((m, i) => {
        const cart = carts[i % carts.length]!.map((k) => ids[k]!)
        return placeCheckout(processes[i % 2]!.shared, {
          memberId: m.id,
          vipLevel: 0,
          addressId: m.addressId,
          now: new Date(),
          lines: (i % 4 < 2 ? cart : [...cart].reverse()).map((id) => ({ sessionItemSkuId: id, quantity: 2 })),
        })
      }),
    )
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
    expect(failed.every((e) => e instanceof SoldOutError)).toBe(true)
    // They were batched (not committed alone), no batch failed and had to be retried, and no deadlock was detected.
    const stats = processes.map((p) => p.queue.stats())
    expect(stats.reduce((s, x) => s + x.grabs, 0)).toBe(36)
    expect(stats.every((x) => x.fallbacks === 0)).toBe(true)
    expect(await deadlocks()).toBe(before)
    for (const id of ids) {
      const b = await books(id)
      expect(b.sold).toBe(b.sku.allocated - b.sku.available)
      expect(b.sku.available).toBeGreaterThanOrEqual(0)
      expect(b.moved).toBe(b.sold)
    }
    const accepted = results.filter((r) => r.status === 'fulfilled').length
    expect(accepted).toBeGreaterThan(0)
  })

  it('carts of different SKUs that arrive together share one batch: each row locked once, exact books', async () => {
    const brandId = (await createBrand(t.db)).id
    const session = await createSession(t.db, { brandId, startsAt: new Date(Date.now() - 3_600_000) })
    const { product, skus } = await createProduct(t.db, {
      brandId,
      sizes: ['S', 'M', 'L', 'XL', 'XXL'],
      colours: ['黑色'],
      title: '羊毛大衣',
    })
    const item = await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: skus.map((k) => k.id),
      basePriceMinor: 10000,
      quantity: 6,
    })
    const ids = (
      await t.db
        .selectFrom('session_item_skus')
        .select('id')
        .where('session_item_id', '=', item.id)
        .orderBy('id')
        .execute()
    ).map((r) => r.id)
    const queue = new GroupCommit(pool(2))
    // The opening of a session: every buyer's first SKU differs from the next one's, all in the same instant.
    const buyers = await Promise.all(Array.from({ length: 25 }, () => member(t.db)))
    const carts = buyers.map((_, i) => [ids[i % 5]!, ids[(i + 2) % 5]!])
    const results = await Promise.allSettled(
      buyers.map((m, i) =>
        queue.place({
          buyer: memberBuyer({ id: m.id, vipLevel: 0 }, DEFAULT_VIP_TIERS),
          lines: carts[i]!.map((id) => ({ sessionItemSkuId: id, quantity: 1 })),
          now: new Date(),
          expiresAt: new Date(Date.now() + 900_000),
          addressId: m.addressId,
          dropShip: false,
          shipTo: { recipient: '李四', phone: '13900000000', region: '上海 浦东', line: '世纪大道 1 号', kind: 'own' },
        }),
      ),
    )
    expect(queue.stats()).toMatchObject({ batches: 1, grabs: 25, largestBatch: 25, fallbacks: 0 })
    // 5 SKUs × 6 units, each cart 2 of them: the first 15 carts in arrival order take all 30 units.
    expect(results.map((r) => r.status)).toEqual([
      ...Array<string>(15).fill('fulfilled'),
      ...Array<string>(10).fill('rejected'),
    ])
    for (const r of results.slice(15)) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SoldOutError)
    for (const id of ids) {
      const b = await books(id)
      expect(b.sku.available).toBe(0)
      expect(b.sold).toBe(6)
      expect(b.moved).toBe(6)
    }
  })

  it('bounds the buyers waiting per SKU: past maxWaiting a purchase of that SKU is refused at once, others still wait', async () => {
    const [hot, other] = [await hotSku(100, null), await hotSku(100, null)]
    const queue = new GroupCommit(pool(2), { maxWaiting: 3 })
    const buyers = await Promise.all(Array.from({ length: 5 }, () => member(t.db)))
    const buy = (m: { id: string; addressId: string }, sisId: string) =>
      queue.place({
        buyer: memberBuyer({ id: m.id, vipLevel: 0 }, DEFAULT_VIP_TIERS),
        lines: [{ sessionItemSkuId: sisId, quantity: 1 }],
        now: new Date(),
        expiresAt: new Date(Date.now() + 900_000),
        addressId: m.addressId,
        dropShip: false,
        shipTo: { recipient: '李四', phone: '13900000000', region: '上海 浦东', line: '世纪大道 1 号', kind: 'own' },
      })
    const results = await Promise.allSettled([
      buy(buyers[0]!, hot),
      buy(buyers[1]!, hot),
      buy(buyers[2]!, hot),
      buy(buyers[3]!, hot), // a fourth waiting for the hot SKU
      buy(buyers[4]!, other),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(CheckoutBusyError)
    // Once the batch has left the queue, the SKU takes buyers again.
    await expect(buy(buyers[3]!, hot)).resolves.toMatchObject({ currency: 'CNY' })
  })
})
