import { describe, expect, it } from 'vitest'
import { allocateBatch, liveAt, type BatchSku } from './grab-batch'

const now = new Date('2026-11-30T02:00:00Z')
const sku = (over: Partial<BatchSku> = {}): BatchSku => ({
  available: 5, perMemberCap: null, sessionStatus: 'scheduled', brandStatus: 'live',
  startsAt: new Date('2026-11-30T01:00:00Z'), endsAt: new Date('2026-11-30T03:00:00Z'), ...over,
})

describe('allocateBatch', () => {
  it('allocates in arrival order until the stock runs short, then names what is left', () => {
    const r = allocateBatch(sku({ available: 5 }), new Map(), [
      { memberId: 'a', quantity: 2, now }, { memberId: 'b', quantity: 2, now }, { memberId: 'c', quantity: 2, now }, { memberId: 'd', quantity: 1, now },
    ])
    expect(r.outcomes).toEqual([{ kind: 'accepted' }, { kind: 'accepted' }, { kind: 'sold_out', available: 1 }, { kind: 'accepted' }])
    expect(r.taken).toBe(5)
  })

  it('counts units already held and earlier in the batch against the cap', () => {
    const r = allocateBatch(sku({ available: 100, perMemberCap: 3 }), new Map([['a', 2]]), [
      { memberId: 'a', quantity: 1, now }, { memberId: 'a', quantity: 1, now }, { memberId: 'b', quantity: 3, now }, { memberId: 'b', quantity: 1, now },
    ])
    expect(r.outcomes.map((o) => o.kind)).toEqual(['accepted', 'cap', 'accepted', 'cap'])
    expect(r.taken).toBe(4)
  })

  it('refuses every request when the session is not live at its own now', () => {
    const late = new Date('2026-11-30T03:00:00Z')
    const r = allocateBatch(sku(), new Map(), [{ memberId: 'a', quantity: 1, now }, { memberId: 'b', quantity: 1, now: late }])
    expect(r.outcomes.map((o) => o.kind)).toEqual(['accepted', 'closed'])
    expect(liveAt(sku({ brandStatus: 'suspended' }), now)).toBe(false)
    expect(liveAt(sku({ sessionStatus: 'cancelled' }), now)).toBe(false)
    expect(r.taken).toBe(1)
  })
})
