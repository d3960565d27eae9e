import { describe, expect, it } from 'vitest'
import { regionFor } from '#app/services/regions.server'
import { randomToken } from './random-tokens.server'

describe('randomToken', () => {
  it('gives distinct base64url tokens of the asked length across many refills of its pool', () => {
    const tokens = Array.from({ length: 2_000 }, () => randomToken(24))
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(new Set(tokens).size).toBe(tokens.length)
    expect(randomToken(18)).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect(() => randomToken(4097)).toThrow(RangeError)
  })
})

describe('regionFor, with the regions it resolved before', () => {
  it('gives a district again only under its own province and city', () => {
    const codes = { provinceCode: '310000', cityCode: '310100', districtCode: '310115' }
    expect(regionFor(codes)?.label).toBe('上海市 浦东新区')
    expect(regionFor(codes)?.label).toBe('上海市 浦东新区')
    expect(regionFor({ ...codes, provinceCode: '330000' })).toBeNull()
    expect(regionFor({ ...codes, cityCode: '330100' })).toBeNull()
    // Only the codes are kept: what else a form held is not part of the region handed to the next order.
    expect(regionFor({ ...codes, name: '王小姐' } as typeof codes)).not.toHaveProperty('name')
  })
})
