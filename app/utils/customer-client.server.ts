// The device a reseller's customer orders from: a long-lived `cid` cookie set by her pages (the limit on unpaid
// orders per client counts by it), else the client's address.
import { randomToken } from '#app/utils/random-tokens.server'

const CLIENT_ID = /(?:^|;\s*)cid=([A-Za-z0-9_-]{16,64})/

/** A Set-Cookie for a device that has no client id yet (null when it has one). */
export function customerClientCookie(request: Request): string | null {
  return customerClientCookieFor(request.headers.get('Cookie'))
}

/** `customerClientCookie` for a Cookie header. */
export function customerClientCookieFor(cookie: string | null): string | null {
  if (CLIENT_ID.test(cookie ?? '')) return null
  return `cid=${randomToken(18)}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`
}

/** The client a customer orders from: the long-lived cookie set by her pages, else her address. */
export function customerClientKey(cookie: string | null, addressKey: () => string): string {
  const m = CLIENT_ID.exec(cookie ?? '')
  return m ? `cid:${m[1]}` : `ip:${addressKey()}`.slice(0, 128)
}
