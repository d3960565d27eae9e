import { describe, expect, it } from 'vitest'
import { homeFor, landingAfterSignIn, safeRedirect } from './roles'

describe('roles', () => {
  it('lands each role on its console', () => {
    expect(homeFor('operator')).toBe('/admin')
    expect(homeFor('brand_staff')).toBe('/brand')
    expect(homeFor('member')).toBe('/account')
  })

  it.each([
    ['/sessions/1', '/sessions/1'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\\evil', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/ /evil.example', '/'],
    ['/account\r\nSet-Cookie: x=1', '/'],
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
    ['/orders?x=1#top', '/orders?x=1#top'],
    ['/\u0000evil', '/'],
    [undefined, '/'],
  ])('safeRedirect(%s) = %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected)
  })

  it('lands staff and operators on their console after sign-in, members on the sessions, unless a page asked', () => {
    expect(landingAfterSignIn('brand_staff', '')).toBe('/brand')
    expect(landingAfterSignIn('operator', undefined)).toBe('/admin')
    expect(landingAfterSignIn('member', '')).toBe('/')
    expect(landingAfterSignIn('brand_staff', '/brand/orders')).toBe('/brand/orders')
    expect(landingAfterSignIn('operator', '//evil.example')).toBe('/admin')
  })
})
