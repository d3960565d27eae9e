import { createCookie, redirect } from '@remix-run/node'
import type { Role } from '#db/schema'
import { signOut, userForSession, type SessionUser } from '#app/services/auth.server'
import { getDb } from './db.server'
import { sessionSecret } from './env.server'

export const sessionCookie = createCookie('__session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure: process.env.NODE_ENV === 'production' && process.env.INSECURE_COOKIES !== '1',
  secrets: [sessionSecret()],
  maxAge: 30 * 24 * 60 * 60,
})

async function sessionIdFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : null
}

// One lookup per request even when root and a route both ask.
const cache = new WeakMap<Request, Promise<SessionUser | null>>()
// Remix hands each loader of a document request its own Request object, so the cache above misses between the
// root and route loaders, which run at the same time. Lookups of one session id that are still in flight are
// shared instead: nothing is kept once the query has answered, so a sign-out is never served stale.
const inFlight = new Map<string, Promise<SessionUser | null>>()

function lookUp(id: string): Promise<SessionUser | null> {
  let pending = inFlight.get(id)
  if (!pending) {
    pending = userForSession(getDb(), id, new Date()).then((u) => u ?? null)
    inFlight.set(id, pending)
    const forget = () => { inFlight.delete(id) }
    pending.then(forget, forget)
  }
  return pending
}

export function getUser(request: Request): Promise<SessionUser | null> {
  let pending = cache.get(request)
  if (!pending) {
    pending = sessionIdFrom(request).then((id) => (id ? lookUp(id) : null))
    cache.set(request, pending)
  }
  return pending
}

/** Signed-out visitors go to sign-in and come back; a signed-in user with the wrong role gets 403. */
export async function requireUser(request: Request, roles?: Role[]): Promise<SessionUser> {
  const user = await getUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  if (roles && !roles.includes(user.role)) {
    throw new Response('Forbidden', { status: 403 })
  }
  return user
}

export async function commitSession(sessionId: string): Promise<string> {
  return sessionCookie.serialize(sessionId)
}

export async function destroySession(request: Request): Promise<string> {
  const id = await sessionIdFrom(request)
  if (id) await signOut(getDb(), id)
  return sessionCookie.serialize('', { maxAge: 0 })
}
