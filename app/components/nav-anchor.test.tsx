import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { NavAnchor } from './nav-anchor'

const html = (to: string, here: string, options: { end?: boolean; className?: string } = {}) =>
  renderToString(
    <NavAnchor to={to} here={here} {...options}>
      x
    </NavAnchor>,
  )

describe("the header's links", () => {
  it("are active on their own page and, without `end`, on the pages under it, as NavLink's are", () => {
    expect(html('/cart', '/cart')).toBe('<a href="/cart" class="active" aria-current="page">x</a>')
    expect(html('/orders', '/orders/123')).toContain('aria-current="page"')
    expect(html('/orders', '/Orders')).toContain('class="active"')
    expect(html('/orders', '/ordersx')).toBe('<a href="/orders">x</a>')
    expect(html('/account', '/account/levels', { end: true, className: 'console-link' })).toBe(
      '<a href="/account" class="console-link">x</a>',
    )
    expect(html('/', '/sessions/1', { end: true })).toBe('<a href="/">x</a>')
    expect(html('/', '/', { end: true, className: 'console-link' })).toBe(
      '<a href="/" class="console-link active" aria-current="page">x</a>',
    )
  })
})
