import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { commitSession, sessionIdFromCookie, verifiedCookieCache } from '#app/utils/session.server'

// The app's one cookie authentication keeps the session cookies it verified (HMAC is deterministic, so a repeat
// needs no new check), keyed by the session cookie alone and bounded, so junk headers cannot grow it.
const signed = async (id: string) => (await commitSession(id)).split(';')[0]!

describe('sessionIdFromCookie', () => {
  it('reads the session id from a signed cookie among others, and refuses forged, unsigned or absent ones', async () => {
    const id = randomBytes(32).toString('base64url')
    const cookie = await signed(id)
    expect(await sessionIdFromCookie(cookie)).toBe(id)
    expect(await sessionIdFromCookie(`theme=dark; ${cookie}; lang=en`)).toBe(id)
    expect(await sessionIdFromCookie(`${cookie.slice(0, -3)}xyz`)).toBeNull()
    expect(await sessionIdFromCookie(`__session=${id}`)).toBeNull()
    expect(await sessionIdFromCookie('theme=dark')).toBeNull()
    expect(await sessionIdFromCookie('')).toBeNull()
    expect(await sessionIdFromCookie(null)).toBeNull()
  })

  it('keeps one entry per verified session whatever else the header carries, and none for junk', async () => {
    const id = randomBytes(32).toString('base64url')
    const cookie = await signed(id)
    await sessionIdFromCookie(cookie)
    const before = verifiedCookieCache().entries
    for (let i = 0; i < 500; i++) {
      // The same session with ever-different other cookies: no new entry.
      expect(await sessionIdFromCookie(`junk${i}=${'x'.repeat(4000)}; ${cookie}`)).toBe(id)
      // Unauthenticated junk of every shape: never kept.
      expect(await sessionIdFromCookie(`__session=${randomBytes(2000).toString('base64url')}.${i}`)).toBeNull()
      expect(await sessionIdFromCookie(`other=${'y'.repeat(8000)}${i}`)).toBeNull()
    }
    expect(verifiedCookieCache().entries).toBe(before)
  })

  it('is bounded: more verified sessions than it keeps stay within its entry and byte limits, and still verify', async () => {
    const { max, maxBytes } = verifiedCookieCache()
    const ids: string[] = []
    for (let i = 0; i < max + 200; i++) {
      const id = randomBytes(32).toString('base64url')
      ids.push(id)
      expect(await sessionIdFromCookie(await signed(id))).toBe(id)
    }
    const after = verifiedCookieCache()
    expect(after.entries).toBeLessThanOrEqual(max)
    expect(after.bytes).toBeLessThanOrEqual(maxBytes)
    // The oldest were dropped, not trusted blindly: they verify again.
    expect(await sessionIdFromCookie(await signed(ids[0]!))).toBe(ids[0])
  })
})
