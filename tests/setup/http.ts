import { randomBytes } from 'node:crypto'
import type { Db } from '#db/client'
import { insertUserSession } from '#db/queries/users'
import { commitSession } from '#app/utils/session.server'

export const BASE = 'http://localhost:3000'

export function formRequest(
  path: string,
  fields: Record<string, string | string[]>,
  init: { cookie?: string; headers?: Record<string, string> } = {},
) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one)
  return new Request(BASE + path, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...init.headers,
    },
  })
}

export function getRequest(path: string, cookie?: string) {
  return new Request(BASE + path, { headers: cookie ? { Cookie: cookie } : {} })
}

/** A signed session cookie for a user, as the sign-in action would set it. */
export async function cookieFor(db: Db, userId: string): Promise<string> {
  const id = randomBytes(32).toString('base64url')
  await insertUserSession(db, { id, userId, expiresAt: new Date(Date.now() + 3_600_000) })
  return (await commitSession(id)).split(';')[0]
}

/** Runs a loader or action and returns the Response, whether it was returned or thrown. */
export async function settle(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await fn()
    if (result instanceof Response) return result
    return new Response(JSON.stringify(result), { status: 200 })
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}
