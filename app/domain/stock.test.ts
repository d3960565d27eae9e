import { describe, expect, it } from 'vitest'
import { publicAvailability, stockState } from './stock'

describe('stock state', () => {
  it.each([
    [0, { kind: 'sold_out' }],
    [1, { kind: 'low', left: 1 }],
    [10, { kind: 'low', left: 10 }],
    [11, { kind: 'in_stock' }],
  ])('%i available → %o', (available, state) => {
    expect(stockState(available)).toEqual(state)
  })

  it('public pages see availability, never counts', () => {
    expect(publicAvailability(3)).toBe('in_stock')
    expect(publicAvailability(0)).toBe('sold_out')
  })
})
