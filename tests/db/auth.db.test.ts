import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidCredentialsError, TooManyAttemptsError } from '#app/domain/errors'
import { signIn } from '#app/services/auth.server'
import { action as loginAction } from '#app/routes/login'
import { action as logoutAction } from '#app/routes/logout'
import { loader as adminLoader } from '#app/routes/admin._index'
import { loader as brandLoader } from '#app/routes/brand._index'
import { loader as accountLoader } from '#app/routes/account._index'
import { setFollow } from '#app/services/catalog/follows.server'
import { unreadCount } from '#app/services/notifications/inbox.server'
import { getUser } from '#app/utils/session.server'
import { createBrand, createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let member: Awaited<ReturnType<typeof createUser>>
let operator: Awaited<ReturnType<typeof createUser>>
let staff: Awaited<ReturnType<typeof createUser>>
const now = new Date('2026-11-23T10:00:00Z')

beforeAll(async () => {
  t = await createTestDatabase()
  member = await createUser(t.db, { email: 'Daigou@Example.com', phone: '13800138000', password: 'correct horse' })
  operator = await createUser(t.db, { role: 'operator', password: 'correct horse' })
  const brand = await createBrand(t.db)
  staff = await createUser(t.db, { role: 'brand_staff', brandId: brand.id, password: 'correct horse' })
})
afterAll(() => t.drop())

describe('signIn', () => {
  it('accepts an email in any case, or a phone number, with the right password', async () => {
    const a = await signIn(t.db, { identifier: 'daigou@example.COM', password: 'correct horse', clientKey: 'c1', now })
    const b = await signIn(t.db, { identifier: '138 0013 8000', password: 'correct horse', clientKey: 'c1', now })
    expect(a.userId).toBe(member.id)
    expect(b.userId).toBe(member.id)
    expect(a.sessionId).not.toBe(b.sessionId)
  })

  it('stores passwords as argon2id', async () => {
    const row = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^\$argon2id\$/)
  })

  it('refuses a wrong password and an unknown account alike', async () => {
    await expect(
      signIn(t.db, { identifier: 'daigou@example.com', password: 'nope', clientKey: 'c2', now }),
    ).rejects.toBeInstanceOf(InvalidCredentialsError)
    await expect(
      signIn(t.db, { identifier: 'ghost@example.com', password: 'nope', clientKey: 'c2', now }),
    ).rejects.toBeInstanceOf(InvalidCredentialsError)
  })

  it('throttles an account after five failures, even with the right password, until the window passes', async () => {
    const u = await createUser(t.db, { email: 'target@example.com', password: 'right' })
    for (let i = 0; i < 5; i++) {
      await expect(
        signIn(t.db, { identifier: 'target@example.com', password: 'wrong', clientKey: `ip${i}`, now }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError)
    }
    await expect(
      signIn(t.db, { identifier: 'target@example.com', password: 'right', clientKey: 'ip9', now }),
    ).rejects.toBeInstanceOf(TooManyAttemptsError)
    const later = new Date(now.getTime() + 16 * 60_000)
    expect(
      (await signIn(t.db, { identifier: 'target@example.com', password: 'right', clientKey: 'ip9', now: later }))
        .userId,
    ).toBe(u.id)
  })

  it('throttles one client guessing many accounts', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(
        signIn(t.db, { identifier: `nobody${i}@example.com`, password: 'x', clientKey: 'sprayer', now }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError)
    }
    await expect(
      signIn(t.db, { identifier: 'daigou@example.com', password: 'correct horse', clientKey: 'sprayer', now }),
    ).rejects.toBeInstanceOf(TooManyAttemptsError)
  })
})

describe('sign-in and sign-out routes', () => {
  it('answers malformed input with 400 and field messages, never 500', async () => {
    const forms: Record<string, string>[] = [
      {},
      { identifier: '' },
      { identifier: 'a@b.c' },
      { password: 'x' },
      { identifier: 'x'.repeat(500), password: 'y' },
    ]
    for (const fields of forms) {
      const res = await settle(() => loginAction({ request: formRequest('/login', fields), params: {}, context: {} }))
      expect(res.status).toBe(400)
      const body = await res.json()
      expect(Object.keys(body.result.error).length).toBeGreaterThan(0)
    }
  })

  it('answers wrong credentials with 401 and a form message', async () => {
    const res = await settle(() =>
      loginAction({
        request: formRequest(
          '/login',
          { identifier: 'daigou@example.com', password: 'bad' },
          { headers: { 'x-client-address': 'r1' } },
        ),
        params: {},
        context: {},
      }),
    )
    expect(res.status).toBe(401)
    expect((await res.json()).result.error['']).toEqual(['signIn.invalid'])
  })

  it('sets an httpOnly SameSite=Lax session cookie and redirects to a safe place', async () => {
    const res = await settle(() =>
      loginAction({
        request: formRequest(
          '/login',
          { identifier: 'daigou@example.com', password: 'correct horse', redirectTo: '//evil.example' },
          { headers: { 'x-client-address': 'r2' } },
        ),
        params: {},
        context: {},
      }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    const cookie = res.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/__session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('sign-out deletes the session so the cookie stops working', async () => {
    const cookie = await cookieFor(t.db, member.id)
    expect(
      (await settle(() => accountLoader({ request: getRequest('/account', cookie), params: {}, context: {} }))).status,
    ).toBe(200)
    await logoutAction({ request: formRequest('/logout', {}, { cookie }), params: {}, context: {} })
    const after = await settle(() =>
      accountLoader({ request: getRequest('/account', cookie), params: {}, context: {} }),
    )
    expect(after.status).toBe(302)
  })
})

describe('role checks', () => {
  const cases = [
    ['/admin', adminLoader, 'operator'],
    ['/brand', brandLoader, 'brand_staff'],
    ['/account', accountLoader, 'member'],
  ] as const

  it.each(cases)('%s sends signed-out visitors to sign in', async (path, loader) => {
    const res = await settle(() => loader({ request: getRequest(path), params: {}, context: {} }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(path)}`)
  })

  it.each(cases)('%s answers only its role', async (path, loader, role) => {
    for (const user of [member, operator, staff]) {
      const res = await settle(async () =>
        loader({ request: getRequest(path, await cookieFor(t.db, user.id)), params: {}, context: {} }),
      )
      expect(res.status).toBe(user.role === role ? 200 : 403)
    }
  })
})

describe("a signed-in page's user", () => {
  it('carries her unread count as the inbox counts it and, a member, the brands she follows', async () => {
    const reader = await createUser(t.db)
    const [followed, other] = [await createBrand(t.db), await createBrand(t.db)]
    const notify = (n: number, showAt: Date, readAt: Date | null = null) =>
      t.db
        .insertInto('notifications')
        .values(
          Array.from({ length: n }, (_, i) => ({
            event: 'session_open',
            recipient_id: reader.id,
            dedupe_key: `k-${showAt.getTime()}-${readAt ? 'r' : 'u'}-${i}`,
            category: 'marketing' as const,
            show_at: showAt,
            read_at: readAt,
          })),
        )
        .execute()
    const userOf = async (id: string) => {
      const cookie = await cookieFor(t.db, id)
      return getUser(getRequest('/', cookie))
    }
    const past = new Date(Date.now() - 60_000)
    await notify(3, past)
    await notify(2, past, past) // read
    await notify(4, new Date(Date.now() + 3_600_000)) // not shown yet
    const before = (await userOf(reader.id))!
    expect(before.unread).toBe(3)
    expect(before.unread).toBe(await unreadCount(t.db, reader.id, new Date()))
    expect(before.followed_brand_ids).toEqual([])
    expect(await setFollow(t.db, reader.id, followed.id, true, new Date())).toBe(true)
    await notify(120, new Date(Date.now() - 1_000))
    const after = (await userOf(reader.id))!
    // Counted up to 100, as the badge's "99+" needs.
    expect(after.unread).toBe(100)
    expect(after.unread).toBe(await unreadCount(t.db, reader.id, new Date()))
    expect(after.followed_brand_ids).toEqual([followed.id])
    expect(after.followed_brand_ids).not.toContain(other.id)
    // Staff and operators follow no brand.
    expect((await userOf(staff.id))!.followed_brand_ids).toEqual([])
    expect((await userOf(operator.id))!.unread).toBe(0)
  })
})
