import { describe, expect, it } from 'vitest'
import { movePhoto } from './product-photos'

describe('movePhoto', () => {
  const order = ['a', 'b', 'c', 'd']
  it.each([
    ['c', 'first', ['c', 'a', 'b', 'd']],
    ['c', 'earlier', ['a', 'c', 'b', 'd']],
    ['a', 'earlier', ['a', 'b', 'c', 'd']],
    ['b', 'later', ['a', 'c', 'b', 'd']],
    ['d', 'later', ['a', 'b', 'c', 'd']],
    ['b', 'remove', ['a', 'c', 'd']],
    ['x', 'first', ['a', 'b', 'c', 'd']],
  ] as const)('%s %s → %j', (photo, move, expected) => {
    expect(movePhoto(order, photo, move)).toEqual(expected)
  })
})
