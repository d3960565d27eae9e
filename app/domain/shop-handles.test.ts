import { describe, expect, it } from 'vitest'
import {
  handleProblem,
  InvalidHandleError,
  normalizeHandle,
  RESERVED_HANDLES,
  suggestHandle,
  validateHandle,
} from './shop-handles'

describe('shop handles', () => {
  it.each([
    ['lily', null],
    ['lily-hz', null],
    ['l1ly2026', null],
    ['abc', null],
    ['a'.repeat(30), null],
    ['ab', 'too_short'],
    ['a'.repeat(31), 'too_long'],
    ['lily_hz', 'characters'],
    ['莉莉', 'characters'],
    ['lily hz', 'characters'],
    ['1lily', 'shape'],
    ['-lily', 'shape'],
    ['lily-', 'shape'],
    ['lily--hz', 'shape'],
    ['admin', 'reserved'],
    ['shop', 'reserved'],
    ['login', 'reserved'],
    ['official', 'reserved'],
  ] as const)('%s → %s', (handle, problem) => {
    expect(handleProblem(handle)).toBe(problem)
  })

  it('normalises what was typed before judging it', () => {
    expect(normalizeHandle('  Lily-HZ ')).toBe('lily-hz')
    expect(validateHandle(' Lily-HZ')).toBe('lily-hz')
  })

  it('refuses with the problem named, and every reserved word is refused', () => {
    expect(() => validateHandle('Admin')).toThrow(InvalidHandleError)
    try {
      validateHandle('x')
    } catch (e) {
      expect((e as InvalidHandleError).details).toEqual({ problem: 'too_short' })
    }
    for (const word of RESERVED_HANDLES)
      if (word.length >= 3 && /^[a-z]/.test(word)) expect(handleProblem(word)).toBe('reserved')
  })

  it('suggests an acceptable handle from an e-mail or name, or nothing', () => {
    expect(suggestHandle('Lily.HZ@demo.cm')).toBe('lily-hz')
    expect(suggestHandle('vip3@demo.cm')).toBe('vip3')
    expect(suggestHandle('shop@x.cm')).toBe('shop-shop')
    expect(suggestHandle('杭州')).toBeNull()
    for (const s of ['a', '__', 'Ab', 'x'.repeat(60)]) {
      const got = suggestHandle(s)
      if (got) expect(handleProblem(got)).toBeNull()
    }
  })
})
