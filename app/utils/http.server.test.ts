import { describe, expect, it } from 'vitest'
import { isCrossSiteMutation } from './http.server'

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
