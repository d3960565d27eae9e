import { describe, expect, it } from 'vitest'
import { indexTokens, queryTokens, typoTolerance } from './tokenizer'

describe('CJK tokenizer', () => {
  it('indexes Chinese runs as characters and bigrams, and Latin as words', () => {
    expect(indexTokens('羊毛大衣 Wool Coat')).toEqual(
      expect.arrayContaining(['羊', '羊毛', '毛大', '大衣', 'wool', 'coat']),
    )
  })

  it('turns a Chinese query into the bigrams of its words', () => {
    const q = queryTokens('羊毛大衣')
    expect(q).toContain('羊毛')
    expect(q).toContain('大衣')
    const idx = new Set(indexTokens('羊毛双排扣大衣'))
    expect(q.every((t) => idx.has(t))).toBe(true)
    expect(queryTokens('毛衣').every((t) => idx.has(t))).toBe(false)
  })

  it('keeps a single character query as itself and splits mixed scripts', () => {
    expect(queryTokens('裙')).toEqual(['裙'])
    expect(queryTokens('Nike运动鞋')).toEqual(expect.arrayContaining(['nike', '运动']))
  })

  it('allows one typo only for long Latin words and never for Chinese', () => {
    expect(typoTolerance('cashmre')).toBe(1)
    expect(typoTolerance('coat')).toBe(0)
    expect(typoTolerance('羊毛大衣')).toBe(0)
  })
})
