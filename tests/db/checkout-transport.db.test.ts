import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleCheckout } from '#app/entry.server'
import { action as remixCheckout } from '#app/routes/api.checkout'
import { checkoutFirst, checkoutTransport, refuseCrossSite } from '#app/server/checkout-transport'
import { findSessionUsersWithAddresses } from '#db/queries/orders'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// POST /api/checkout is answered on node:http before Express and Remix in production (app/server/http.ts), by the
// server entry's handleCheckout. This runs that exact listener on an ephemeral port and the Remix route side by
// side: same statuses, same JSON bodies.
let t: TestDatabase
let server: Server
let origin = ''
const ids: Record<string, string> = {}
const cookies: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestDatabase()
  const now = Date.now()
  const brand = await createBrand(t.db)
  const live = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now - 3_600_000) })
  const soon = await createSession(t.db, { brandId: brand.id, startsAt: new Date(now + 3_600_000) })
  const p = await createProduct(t.db, { brandId: brand.id, title: '快路径衬衫', sizes: ['S', 'M'] })
  const q = await createProduct(t.db, { brandId: brand.id, title: '预告商品' })
  const item = await addSessionItem(t.db, {
    sessionId: live.id,
    productId: p.product.id,
    skuIds: p.skus.map((s) => s.id),
    basePriceMinor: 10000,
    quantity: 10,
    perMemberCap: 6,
  })
  const later = await addSessionItem(t.db, {
    sessionId: soon.id,
    productId: q.product.id,
    skuIds: q.skus.map((s) => s.id),
    basePriceMinor: 5000,
    quantity: 5,
  })
  const sis = await t.db.selectFrom('session_item_skus').select(['id', 'session_item_id']).orderBy('id').execute()
  const mine = sis.filter((s) => s.session_item_id === item.id)
  ids.hot = mine[0]!.id
  ids.other = mine[1]!.id
  ids.closed = sis.find((s) => s.session_item_id === later.id)!.id
  const vip = await createUser(t.db, { vipLevel: 3 })
  const member = await createUser(t.db)
  const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id })
  const addr = (memberId: string) =>
    t.db
      .insertInto('addresses')
      .values({
        member_id: memberId,
        kind: 'own',
        recipient: '李四',
        phone: '13900000000',
        region: '上海',
        line: '世纪大道 1 号',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ids.vipAddress = (await addr(vip.id)).id
  ids.memberAddress = (await addr(member.id)).id
  ids.archived = (await addr(vip.id)).id
  await t.db.updateTable('addresses').set({ archived_at: new Date() }).where('id', '=', ids.archived).execute()
  for (const [k, u] of Object.entries({ vip, member, staff })) cookies[k] = await cookieFor(t.db, u.id)
  cookies.expired = await cookieFor(t.db, member.id)
  await t.db
    .updateTable('user_sessions')
    .set({ expires_at: new Date(now - 1000) })
    .where('user_id', '=', member.id)
    .execute()
  cookies.member = await cookieFor(t.db, member.id)

  // As app/server/main.ts: node:http answers POST /api/checkout itself, everything else goes to Express.
  const app = express()
  app.use(refuseCrossSite)
  app.all('*', (_req, res) => {
    res.status(599).send('fell through to Remix')
  })
  server = createServer(checkoutFirst(checkoutTransport(handleCheckout), app))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await t?.drop()
})

type Call = { cookie?: string; body: unknown; headers?: Record<string, string> }
const raw = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body))

async function viaExpress(c: Call) {
  const res = await fetch(`${origin}/api/checkout`, {
    method: 'POST',
    body: raw(c.body),
    headers: { 'Content-Type': 'application/json', ...(c.cookie ? { Cookie: c.cookie } : {}), ...c.headers },
  })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(),
  }
}
async function viaRemix(c: Call) {
  const request = new Request(BASE + '/api/checkout', {
    method: 'POST',
    body: raw(c.body),
    headers: { 'Content-Type': 'application/json', ...(c.cookie ? { Cookie: c.cookie } : {}), ...c.headers },
  })
  const res = await settle(() => remixCheckout({ request, params: {}, context: {} }))
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() }
}
/** Both paths, same input: the same status and JSON; returns the Express reply. */
async function both(c: Call) {
  const [e, r] = [await viaExpress(c), await viaRemix(c)]
  expect(e.status).toBe(r.status)
  expect(e.type).toMatch(/^application\/json/)
  if (e.status === 201) {
    expect(Object.keys(e.body).sort()).toEqual(Object.keys(r.body).sort())
    expect({ ...e.body, checkoutId: 0, orderIds: 0, expiresAt: 0 }).toEqual({
      ...r.body,
      checkoutId: 0,
      orderIds: 0,
      expiresAt: 0,
    })
  } else {
    expect(e.body).toEqual(r.body)
  }
  return e
}
const line = (sessionItemSkuId: string, quantity = 1) => [{ sessionItemSkuId, quantity }]

describe('POST /api/checkout through the node:http transport', () => {
  it('answers 401 and 403 before reading the body, as the Remix route does', async () => {
    const valid = { addressId: ids.vipAddress, lines: line(ids.hot) }
    expect((await both({ body: valid })).body).toEqual({ error: 'unauthorized' })
    expect((await both({ body: 'not json' })).status).toBe(401)
    expect((await both({ cookie: cookies.expired, body: valid })).body).toEqual({ error: 'unauthorized' })
    expect((await both({ cookie: cookies.expired, body: {} })).status).toBe(401)
    expect((await both({ cookie: '__session=forged.signature', body: valid })).status).toBe(401)
    expect((await both({ cookie: cookies.staff, body: valid })).body).toEqual({ error: 'forbidden' })
    expect((await both({ cookie: cookies.staff, body: 'not json' })).status).toBe(403)
  })

  it('refuses a cross-site POST before anything else (403 text), and passes same-origin ones', async () => {
    const e = await viaExpress({
      cookie: cookies.vip,
      body: { addressId: ids.vipAddress, lines: line(ids.hot) },
      headers: { Origin: 'https://evil.example' },
    })
    expect(e).toMatchObject({ status: 403, body: 'Cross-site request refused' })
    const same = await viaExpress({ cookie: cookies.vip, body: {}, headers: { Origin: origin } })
    expect(same.status).toBe(400)
  })

  it('validates the body with the same field messages (400)', async () => {
    const notJson = await both({ cookie: cookies.vip, body: 'not json' })
    expect(notJson.status).toBe(400)
    const bad = await both({
      cookie: cookies.vip,
      body: { addressId: 'x', lines: [{ sessionItemSkuId: ids.hot, quantity: 0 }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.fieldErrors.addressId).toEqual(['orders.errors.invalid'])
    expect((await both({ cookie: cookies.vip, body: { addressId: ids.vipAddress, lines: [] } })).status).toBe(400)
  })

  it('places grabs (201) with the member price and the same refusals: address, closed session, cap, sold out', async () => {
    const placed = await both({ cookie: cookies.vip, body: { addressId: ids.vipAddress, lines: line(ids.hot, 2) } })
    expect(placed.status).toBe(201)
    expect(placed.body).toMatchObject({ totalMinor: 2 * 9200, currency: 'CNY' })
    expect(placed.body.orderIds).toHaveLength(1)
    expect(new Date(placed.body.expiresAt).getTime()).toBeGreaterThan(Date.now())
    const orders = await t.db
      .selectFrom('orders')
      .select(['id', 'member_id'])
      .where('checkout_id', '=', placed.body.checkoutId)
      .execute()
    expect(orders.map((o) => o.id)).toEqual(placed.body.orderIds)
    // Another member's address, or an archived one: the same refusal on both paths.
    const stolen = await both({ cookie: cookies.vip, body: { addressId: ids.memberAddress, lines: line(ids.hot) } })
    expect(stolen.body.error.code).toBe('address_not_found')
    expect(
      (await both({ cookie: cookies.vip, body: { addressId: ids.archived, lines: line(ids.hot) } })).body.error.code,
    ).toBe('address_not_found')
    const closed = await both({ cookie: cookies.vip, body: { addressId: ids.vipAddress, lines: line(ids.closed) } })
    expect(closed.status).toBe(409)
    expect(closed.body.error.code).toBe('session_closed')
    // Cap 6: the VIP holds 4 after both paths took 2 each; 3 more is over the cap on either path.
    const capped = await both({ cookie: cookies.vip, body: { addressId: ids.vipAddress, lines: line(ids.hot, 3) } })
    expect(capped.status).toBe(409)
    expect(capped.body.error.code).toBe('cap_exceeded')
    // 10 units, 4 taken: the member takes 6 (3 + 3), then both paths hear "sold out".
    expect(
      (await both({ cookie: cookies.member, body: { addressId: ids.memberAddress, lines: line(ids.hot, 3) } })).status,
    ).toBe(201)
    const sold = await both({ cookie: cookies.member, body: { addressId: ids.memberAddress, lines: line(ids.hot, 1) } })
    expect(sold.status).toBe(409)
    expect(sold.body.error.code).toBe('sold_out')
    const stock = await t.db
      .selectFrom('session_item_skus')
      .select('available')
      .where('id', '=', ids.hot)
      .executeTakeFirstOrThrow()
    expect(stock.available).toBe(0)
  })

  it('answers requests that arrive together (one shared session read) each with its own result', async () => {
    const valid = { addressId: ids.vipAddress, lines: line(ids.other) }
    const replies = await Promise.all([
      viaExpress({ cookie: cookies.vip, body: valid }),
      viaExpress({ cookie: cookies.expired, body: valid }),
      viaExpress({ cookie: cookies.vip, body: { addressId: ids.memberAddress, lines: line(ids.other) } }),
      viaExpress({ cookie: cookies.staff, body: valid }),
      viaExpress({ cookie: cookies.member, body: { addressId: ids.memberAddress, lines: line(ids.other) } }),
    ])
    expect(replies.map((r) => r.status)).toEqual([201, 401, 422, 403, 201])
    expect(replies[2]!.body.error.code).toBe('address_not_found')
  })

  it('reads many sessions in one statement, in the order asked', async () => {
    const sessions = await t.db
      .selectFrom('user_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 'u.vip_level', 's.expires_at'])
      .execute()
    const live = sessions.filter((s) => s.expires_at > new Date())
    const vipSession = live.find((s) => s.vip_level === 3)!.id
    const found = await findSessionUsersWithAddresses(
      t.db,
      [
        { sessionId: 'unknown-session', addressId: ids.vipAddress },
        { sessionId: vipSession, addressId: ids.vipAddress },
        { sessionId: vipSession, addressId: ids.memberAddress },
        { sessionId: vipSession, addressId: ids.archived },
      ],
      new Date(),
    )
    expect(found[0]).toBeUndefined()
    expect(found[1]).toMatchObject({
      user: { vip_level: 3, role: 'member' },
      address: { id: ids.vipAddress, recipient: '李四' },
    })
    expect(found[2]).toMatchObject({ user: { vip_level: 3 }, address: null })
    expect(found[3]).toMatchObject({ user: { vip_level: 3 }, address: null })
    const expired = sessions.find((s) => s.expires_at <= new Date())!.id
    expect(
      await findSessionUsersWithAddresses(t.db, [{ sessionId: expired, addressId: ids.memberAddress }], new Date()),
    ).toEqual([undefined])
  })

  it('leaves other methods and paths to Remix', async () => {
    expect((await fetch(`${origin}/api/checkout`)).status).toBe(599)
    expect((await fetch(`${origin}/api/checkout-other`, { method: 'POST', body: '{}' })).status).toBe(599)
  })
})
