import { createCookie, redirect } from '@remix-run/node'
import { LRUCache } from 'lru-cache'
import type { Role } from '#db/schema'
import { signOut, userForSession, type SessionUser } from '#app/services/auth.server'
import { getDb } from './db.server'
import { sessionSecret, setting } from './env.server'

export const sessionCookie = createCookie('__session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure: setting('NODE_ENV') === 'production' && setting('INSECURE_COOKIES') !== '1',
  secrets: [sessionSecret()],
  maxAge: 30 * 24 * 60 * 60,
})

// Signed session cookie value → the session id it verified to. HMAC verification is deterministic for a fixed
// secret, so a repeat of the same value needs no new check; whether the session is still valid is asked of the
// database every time. Only values that verified are kept (one per live session: junk never takes memory), keyed
// by the session cookie alone (not the whole Cookie header), and the cache is bounded by entries and by bytes.
const VERIFIED_MAX = 10_000
const VERIFIED_MAX_BYTES = 2 * 1024 * 1024
const verified = new LRUCache<string, string>({
  max: VERIFIED_MAX,
  maxSize: VERIFIED_MAX_BYTES,
  sizeCalculation: (id, value) => id.length + value.length,
})

/** The first value of the session cookie in a Cookie header (as the cookie parser picks it), or null. */
function sessionCookieValue(header: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === sessionCookie.name) return part.slice(eq + 1).trim() || null
  }
  return null
}

/**
 * The app's one cookie authentication: the session id a Cookie header's signed session cookie carries, or null
 * (absent, forged or not a session). Every request path (Remix loaders and actions, the checkout transport) asks this.
 */
export async function sessionIdFromCookie(header: string | null): Promise<string | null> {
  const raw = header ? sessionCookieValue(header) : null
  if (!raw) return null
  const hit = verified.get(raw)
  if (hit !== undefined) return hit
  const value: unknown = await sessionCookie.parse(`${sessionCookie.name}=${raw}`)
  if (typeof value !== 'string' || value.length === 0) return null
  verified.set(raw, value)
  return value
}

/** How many verified cookies are kept and their bytes, against the bounds (for tests of the bound). */
export function verifiedCookieCache() {
  return { entries: verified.size, bytes: verified.calculatedSize, max: VERIFIED_MAX, maxBytes: VERIFIED_MAX_BYTES }
}

const sessionIdFrom = (request: Request) => sessionIdFromCookie(request.headers.get('Cookie'))

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
    const forget = () => {
      inFlight.delete(id)
    }
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
