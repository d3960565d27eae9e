import { describe, expect, it } from 'vitest'
import { publicAvailability, shortageDetails, stockFor, stockState } from './stock'

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

  it('the same state for a page and its refresh; counts only for members and only when few are left', () => {
    expect(stockFor(3, 'member')).toEqual({ kind: 'low', left: 3 })
    expect(stockFor(3, 'public')).toEqual({ kind: 'low' })
    expect(stockFor(33, 'public')).toEqual({ kind: 'in_stock' })
    expect(stockFor(0, 'public')).toEqual({ kind: 'sold_out' })
    expect(shortageDetails(33, 'member')).toEqual({})
    expect(shortageDetails(2, 'member')).toEqual({ left: 2 })
    expect(shortageDetails(2, 'public')).toEqual({})
  })
})
