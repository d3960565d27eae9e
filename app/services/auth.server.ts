import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import type { Db } from '#db/client'
import {
  clearSignInFailures,
  deleteUserSession,
  findSessionViewer,
  findUserByIdentifier,
  forgetThrottleAttempt,
  insertUserSession,
  takeThrottleAttempt,
} from '#db/queries/users'
import { InvalidCredentialsError, TooManyAttemptsError } from '#app/domain/errors'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { normaliseIdentifier, signInBlockedUntil } from '#app/domain/sign-in'
import type { Role } from '#app/domain/roles'

const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
// Verifying against a throwaway hash keeps unknown accounts as slow as known ones.
const dummyHash = argon2.hash('not-a-real-password', { type: argon2.argon2id })

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id })
}

/** A signed-in user as pages see her: who she is, her unread count and (a member) the brands she follows. */
export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionViewer>>>

export interface SignInInput {
  identifier: string
  password: string
  clientKey: string
  now: Date
}

/**
 * Counts the attempt against the identifier and the client first (atomically: a burst gets no more than the
 * limit through), then checks the password; a right password takes its attempt back and clears the account's
 * failures. Returns a new session id for the cookie.
 */
export async function signIn(
  db: Db,
  input: SignInInput,
): Promise<{ sessionId: string; userId: string; role: Role; expiresAt: Date }> {
  const identifier = normaliseIdentifier(input.identifier)
  const rule = PLATFORM_RULES.signIn
  const keys = [`id:${identifier.value}`, `client:${input.clientKey}`]
  const attempt = await takeThrottleAttempt(
    db,
    keys.map((key) => ({ key, ...rule })),
    input.now,
  )
  if (attempt.blocked.length) {
    const until = attempt.blocked.map(
      (b) => signInBlockedUntil(b.failures, input.now, rule)?.getTime() ?? input.now.getTime() + rule.windowMs,
    )
    throw new TooManyAttemptsError('too many failed sign-ins', { retryAt: new Date(Math.max(...until)).toISOString() })
  }

  const user = await findUserByIdentifier(db, identifier)
  const ok = await argon2.verify(user?.password_hash ?? (await dummyHash), input.password)
  if (!user || !ok) throw new InvalidCredentialsError('wrong identifier or password')
  await forgetThrottleAttempt(db, attempt.ids)
  await clearSignInFailures(db, keys[0]!)
  const sessionId = randomBytes(32).toString('base64url')
  const expiresAt = new Date(input.now.getTime() + SESSION_TTL_MS)
  await insertUserSession(db, { id: sessionId, userId: user.id, expiresAt })
  return { sessionId, userId: user.id, role: user.role as Role, expiresAt }
}

export function userForSession(db: Db, sessionId: string, now: Date) {
  return findSessionViewer(db, sessionId, now)
}

export function signOut(db: Db, sessionId: string) {
  return deleteUserSession(db, sessionId)
}
