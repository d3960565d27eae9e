import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getUser } from '#app/utils/session.server'
import { action as logoutAction } from '#app/routes/logout'
import { createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The session page benchmark made getUser share in-flight lookups between the root and route loaders
// (each gets its own Request). Sharing must never outlive the query: a signed-out session is gone at once.
let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

describe('getUser across the loaders of one document request', () => {
  it('answers the same user to separate Request objects carrying one cookie, concurrently', async () => {
    const member = await createUser(t.db, { vipLevel: 3 })
    const cookie = await cookieFor(t.db, member.id)
    const [a, b] = await Promise.all([getUser(getRequest('/', cookie)), getUser(getRequest('/sessions/x', cookie))])
    expect(a?.id).toBe(member.id)
    expect(b?.id).toBe(member.id)
    expect(a?.vip_level).toBe(3)
  })

  it('keeps different sessions apart when looked up at the same time', async () => {
    const [m1, m2] = await Promise.all([createUser(t.db), createUser(t.db)])
    const [c1, c2] = await Promise.all([cookieFor(t.db, m1.id), cookieFor(t.db, m2.id)])
    const [a, b] = await Promise.all([getUser(getRequest('/', c1)), getUser(getRequest('/', c2))])
    expect(a?.id).toBe(m1.id)
    expect(b?.id).toBe(m2.id)
  })

  it('does not serve a signed-out session from a shared lookup', async () => {
    const member = await createUser(t.db)
    const cookie = await cookieFor(t.db, member.id)
    expect((await getUser(getRequest('/', cookie)))?.id).toBe(member.id)
    const res = await settle(() =>
      logoutAction({ request: formRequest('/logout', {}, { cookie }), params: {}, context: {} }),
    )
    expect(res.status).toBe(302)
    expect(await getUser(getRequest('/', cookie))).toBeNull()
  })
})
