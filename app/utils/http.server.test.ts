import { describe, expect, it } from 'vitest'
import { isCrossSiteMutation, isPageVisit, lineQuantities } from './http.server'

describe('Origin check on mutations', () => {
  it.each([
    ['GET', 'https://evil.example', 'shop.example', false],
    ['POST', 'https://shop.example', 'shop.example', false],
    ['POST', 'http://localhost:3000', 'localhost:3000', false],
    ['POST', 'https://evil.example', 'shop.example', true],
    ['POST', 'http://localhost:3001', 'localhost:3000', true],
    ['DELETE', 'null', 'shop.example', true],
    ['POST', 'not a url', 'shop.example', true],
    ['POST', null, 'shop.example', false],
  ])('%s from %s to %s refused: %s', (method, origin, host, refused) => {
    expect(isCrossSiteMutation(method, { origin, host })).toBe(refused)
  })
})

describe('lineQuantities', () => {
  const id = '3f2a1c4e-1111-4222-8333-944455556666'
  const form = (entries: [string, string][]) => {
    const f = new FormData()
    for (const [k, v] of entries) f.append(k, v)
    return f
  }
  it('keeps lines above 0, refuses bad numbers or ids and an all-zero choice, and is undefined without fields', () => {
    expect(lineQuantities(form([['reason', 'x']]))).toBeUndefined()
    expect(
      lineQuantities(
        form([
          [`qty:${id}`, '2'],
          [`qty:${id.replace('3f', '4f')}`, '0'],
        ]),
      ),
    ).toEqual([{ orderLineId: id, quantity: 2 }])
    expect(lineQuantities(form([[`qty:${id}`, '0']]))).toBeNull()
    expect(lineQuantities(form([[`qty:${id}`, '1.5']]))).toBeNull()
    expect(lineQuantities(form([[`qty:${id}`, '-1']]))).toBeNull()
    expect(lineQuantities(form([['qty:nope', '1']]))).toBeNull()
  })
})

describe('isPageVisit', () => {
  it('counts a plain GET, not the GET copy Remix makes of a form POST to render the page after its action', () => {
    expect(isPageVisit(new Request('http://x/s/t'))).toBe(true)
    expect(
      isPageVisit(new Request('http://x/s/t', { headers: { 'content-type': 'application/x-www-form-urlencoded' } })),
    ).toBe(false)
    expect(
      isPageVisit(new Request('http://x/s/t', { headers: { 'content-type': 'multipart/form-data; boundary=x' } })),
    ).toBe(false)
    expect(isPageVisit(new Request('http://x/s/t', { method: 'POST', body: 'a=1' }))).toBe(false)
  })
})
