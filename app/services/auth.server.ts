import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import type { Db } from '#db/client'
import {
  clearSignInFailures, deleteUserSession, findSessionUser, findUserByIdentifier, insertUserSession,
  recentSignInFailures, recordSignInFailure,
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

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>

export interface SignInInput {
  identifier: string
  password: string
  clientKey: string
  now: Date
}

/** Checks the throttle, then the password; returns a new session id for the cookie. */
export async function signIn(db: Db, input: SignInInput): Promise<{ sessionId: string; userId: string; role: Role; expiresAt: Date }> {
  const identifier = normaliseIdentifier(input.identifier)
  const keys = [`id:${identifier.value}`, `client:${input.clientKey}`]
  const since = new Date(input.now.getTime() - PLATFORM_RULES.signIn.windowMs)
  const failures = await recentSignInFailures(db, keys, since)
  for (const key of keys) {
    const blockedUntil = signInBlockedUntil(failures.filter((f) => f.throttle_key === key).map((f) => f.failed_at), input.now)
    if (blockedUntil) throw new TooManyAttemptsError('too many failed sign-ins', { retryAt: blockedUntil.toISOString() })
  }

  const user = await findUserByIdentifier(db, identifier)
  const ok = await argon2.verify(user?.password_hash ?? (await dummyHash), input.password)
  if (!user || !ok) {
    await recordSignInFailure(db, keys, input.now)
    throw new InvalidCredentialsError('wrong identifier or password')
  }
  await clearSignInFailures(db, keys[0])
  const sessionId = randomBytes(32).toString('base64url')
  const expiresAt = new Date(input.now.getTime() + SESSION_TTL_MS)
  await insertUserSession(db, { id: sessionId, userId: user.id, expiresAt })
  return { sessionId, userId: user.id, role: user.role as Role, expiresAt }
}

export function userForSession(db: Db, sessionId: string, now: Date) {
  return findSessionUser(db, sessionId, now)
}

export function signOut(db: Db, sessionId: string) {
  return deleteUserSession(db, sessionId)
}
