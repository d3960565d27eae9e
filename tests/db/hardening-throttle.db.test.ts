import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidCredentialsError, TooManyAttemptsError } from '#app/domain/errors'
import { action as registerAction } from '#app/routes/register'
import { signIn } from '#app/services/auth.server'
import { clientKey } from '#app/utils/http.server'
import { createUser } from '#tests/fixtures/factories'
import { formRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// Throttles count each attempt before the expensive check, so a burst cannot slip past the counter; they
// key on the guesser (the client address the server vouches for), never on a header the client sets.

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.drop())

describe('sign-in throttle under a burst', () => {
  it('checks at most five passwords of 150 concurrent attempts, and the right one inside the burst does not sign in', async () => {
    await createUser(t.db, { email: 'burst@example.com', password: 'the right one' })
    const now = new Date()
    const attempts = Array.from({ length: 150 }, (_, i) =>
      signIn(t.db, {
        identifier: 'burst@example.com',
        password: i === 120 ? 'the right one' : `wrong ${i}`,
        clientKey: `burst-${i}`,
        now,
      }).then(
        () => 'signed-in' as const,
        (e: unknown) =>
          e instanceof InvalidCredentialsError ? 'wrong' : e instanceof TooManyAttemptsError ? 'throttled' : String(e),
      ),
    )
    const outcomes = await Promise.all(attempts)
    expect(outcomes.filter((o) => o === 'wrong').length).toBeLessThanOrEqual(5)
    expect(outcomes.filter((o) => o === 'throttled').length).toBeGreaterThanOrEqual(144)
    expect(outcomes[120]).not.toBe('signed-in')
    expect(outcomes.every((o) => ['wrong', 'throttled', 'signed-in'].includes(o))).toBe(true)
  }, 60_000)

  it('the client key is the address the server recorded, never X-Forwarded-For from the client', () => {
    const request = new Request('http://localhost/login', {
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-client-address': '198.51.100.7' },
    })
    expect(clientKey(request)).toBe('198.51.100.7')
    expect(clientKey(new Request('http://localhost/login', { headers: { 'x-forwarded-for': '203.0.113.9' } }))).toBe(
      'unknown',
    )
  })
})

describe('invitation code throttle', () => {
  const register = (code: string, client: string, identifier: string) =>
    settle(() =>
      registerAction({
        request: formRequest(
          '/register',
          { code, identifier, password: 'long enough', displayName: 'Lily' },
          { headers: { 'x-client-address': client } },
        ),
        params: {},
        context: {},
      }),
    )

  it('twenty wrong guesses sharing a prefix, from many clients, do not lock out the valid code', async () => {
    await t.db
      .insertInto('invitation_codes')
      .values({ code: 'SPRING26', kind: 'campaign' } as never)
      .execute()
    for (let i = 0; i < 20; i++)
      expect((await register(`SPRI${String(i).padStart(4, '0')}`, `guesser-${i}`, `g${i}@example.com`)).status).toBe(
        422,
      )
    const ok = await register('SPRING26', 'honest-client', 'honest@example.com')
    expect(ok.status).toBe(302)
  })

  it('one client guessing many codes is throttled, whatever X-Forwarded-For it sends', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const request = formRequest(
        '/register',
        { code: `ZZ${i}QQQQ`, identifier: `z${i}@example.com`, password: 'long enough', displayName: 'Z' },
        { headers: { 'x-client-address': 'one-guesser', 'x-forwarded-for': `10.0.0.${i}` } },
      )
      statuses.push((await settle(() => registerAction({ request, params: {}, context: {} }))).status)
    }
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})
