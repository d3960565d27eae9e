import { describe, expect, it } from 'vitest'
import { allocate, refusalError, type Claim, type Refusal, type SkuOnSale } from './checkout'
import { sellingAt } from './clearance-sessions'

const now = new Date('2026-11-30T02:00:00Z')
const sku = (
  over: Partial<Omit<SkuOnSale, 'session'>> & { session?: Partial<SkuOnSale['session']> } = {},
): SkuOnSale => ({
  id: 'k1',
  available: 5,
  perMemberCap: null,
  currency: 'CNY',
  ...over,
  session: {
    status: 'scheduled',
    brandStatus: 'live',
    startsAt: new Date('2026-11-30T01:00:00Z'),
    endsAt: new Date('2026-11-30T03:00:00Z'),
    ...over.session,
  },
})
const skus = (...list: SkuOnSale[]) => new Map(list.map((s) => [s.id, s]))
const claim = (capKey: string, quantity: number, at = now, id = 'k1'): Claim => ({
  capKey,
  holder: null,
  limits: null,
  lines: [{ sessionItemSkuId: id, quantity }],
  now: at,
})

describe('allocate', () => {
  it('allocates in arrival order until the stock runs short, then names what is left', () => {
    const r = allocate(skus(sku({ available: 5 })), new Map(), new Map(), [
      claim('a', 2),
      claim('b', 2),
      claim('c', 2),
      claim('d', 1),
    ])
    expect(r.outcomes).toEqual([
      { kind: 'accepted' },
      { kind: 'accepted' },
      { kind: 'sold_out', sessionItemSkuId: 'k1', available: 1, requested: 2 },
      { kind: 'accepted' },
    ])
    expect(r.taken).toEqual(new Map([['k1', 5]]))
  })

  it('counts units already held and earlier in the batch against the cap', () => {
    const r = allocate(skus(sku({ available: 100, perMemberCap: 3 })), new Map([['a k1', 2]]), new Map(), [
      claim('a', 1),
      claim('a', 1),
      claim('b', 3),
      claim('b', 1),
    ])
    expect(r.outcomes.map((o) => o.kind)).toEqual(['accepted', 'cap', 'accepted', 'cap'])
    expect(r.taken.get('k1')).toBe(4)
  })

  it('refuses every request when the session is not live at its own now', () => {
    const late = new Date('2026-11-30T03:00:00Z')
    const r = allocate(skus(sku()), new Map(), new Map(), [claim('a', 1), claim('b', 1, late)])
    expect(r.outcomes.map((o) => o.kind)).toEqual(['accepted', 'closed'])
    expect(r.taken.get('k1')).toBe(1)
  })

  it('places a purchase of several SKUs whole or not at all, and refuses an unknown SKU', () => {
    const r = allocate(skus(sku({ id: 'k1', available: 3 }), sku({ id: 'k2', available: 1 })), new Map(), new Map(), [
      {
        capKey: 'a',
        holder: null,
        limits: null,
        now,
        lines: [
          { sessionItemSkuId: 'k1', quantity: 2 },
          { sessionItemSkuId: 'k2', quantity: 1 },
        ],
      },
      {
        capKey: 'b',
        holder: null,
        limits: null,
        now,
        lines: [
          { sessionItemSkuId: 'k1', quantity: 1 },
          { sessionItemSkuId: 'k2', quantity: 1 },
        ],
      },
      claim('c', 1),
      claim('d', 1, now, 'k9'),
    ])
    expect(r.outcomes).toEqual([
      { kind: 'accepted' },
      { kind: 'sold_out', sessionItemSkuId: 'k2', available: 0, requested: 1 },
      { kind: 'accepted' },
      { kind: 'unknown', sessionItemSkuId: 'k9' },
    ])
    // b's refusal took nothing of k1: c got the last unit.
    expect(r.taken).toEqual(
      new Map([
        ['k1', 3],
        ['k2', 1],
      ]),
    )
  })

  it('refuses a purchase over several currencies', () => {
    const r = allocate(skus(sku({ id: 'k1' }), sku({ id: 'k2', currency: 'USD' })), new Map(), new Map(), [
      {
        capKey: 'a',
        holder: null,
        limits: null,
        now,
        lines: [
          { sessionItemSkuId: 'k1', quantity: 1 },
          { sessionItemSkuId: 'k2', quantity: 1 },
        ],
      },
    ])
    expect(r.outcomes).toEqual([{ kind: 'mixed_currency' }])
    expect(r.taken.size).toBe(0)
  })

  it('limits open holds per holder: checkouts and units, counting held ones and earlier ones in the batch', () => {
    const limits = { maxCheckouts: 2, maxUnits: 5 }
    const held = new Map([['m', { checkouts: 1, units: 1 }]])
    const mine = (quantity: number, holder: string | null = 'm'): Claim => ({ ...claim('m', quantity), holder, limits })
    const r = allocate(skus(sku({ available: 100 })), new Map(), held, [
      mine(5),
      mine(4),
      mine(1),
      { ...claim('n', 6), holder: 'n', limits },
      mine(9, null),
    ])
    expect(r.outcomes).toEqual([
      { kind: 'hold_limit', limit: 'units', max: 5, held: 1 },
      { kind: 'accepted' },
      { kind: 'hold_limit', limit: 'checkouts', max: 2, held: 2 },
      { kind: 'hold_limit', limit: 'units', max: 5, held: 0 },
      { kind: 'accepted' },
    ])
    expect(r.taken.get('k1')).toBe(13)
  })

  it('limits open orders per mobile number and per client, counting held ones and earlier ones in the batch', () => {
    const held = new Map([['phone:a', { checkouts: 1, units: 0 }]])
    const customer = (phone: string, client: string): Claim => ({
      ...claim(`mobile:${phone}`, 1),
      openOrders: [
        { holder: `phone:${phone}`, per: 'phone', max: 2 },
        { holder: `client:${client}`, per: 'client', max: 2 },
      ],
    })
    const r = allocate(skus(sku({ available: 1 }), sku({ id: 'k2', available: 100 })), new Map(), held, [
      { ...customer('b', 'x'), lines: [{ sessionItemSkuId: 'k1', quantity: 2 }] },
      customer('a', 'x'),
      { ...customer('a', 'y'), lines: [{ sessionItemSkuId: 'k2', quantity: 1 }] },
      { ...customer('c', 'x'), lines: [{ sessionItemSkuId: 'k2', quantity: 1 }] },
      { ...customer('d', 'x'), lines: [{ sessionItemSkuId: 'k2', quantity: 1 }] },
    ])
    // Sold out does not count as an open order; a's second one reaches its number's limit; x's third its client's.
    expect(r.outcomes).toEqual([
      { kind: 'sold_out', sessionItemSkuId: 'k1', available: 1, requested: 2 },
      { kind: 'accepted' },
      { kind: 'open_orders', per: 'phone', max: 2 },
      { kind: 'accepted' },
      { kind: 'open_orders', per: 'client', max: 2 },
    ])
    const e = refusalError(r.outcomes[2] as Refusal, () => '')
    expect(e).toMatchObject({ code: 'too_many_open_orders', status: 429, details: { limit: 2 } })
  })
})

describe('sellingAt: the one rule for "can this be bought now"', () => {
  const session = sku().session
  it('is the live window of a scheduled session of a live brand', () => {
    expect(sellingAt(session, now)).toBe(true)
    expect(sellingAt(session, session.startsAt)).toBe(true)
    expect(sellingAt(session, session.endsAt)).toBe(false)
    expect(sellingAt(session, new Date(session.startsAt.getTime() - 1))).toBe(false)
    expect(sellingAt({ ...session, brandStatus: 'suspended' }, now)).toBe(false)
    expect(sellingAt({ ...session, status: 'cancelled' }, now)).toBe(false)
    expect(sellingAt({ ...session, status: 'draft' }, now)).toBe(false)
  })
})

describe('refusalError', () => {
  const name = () => '真丝衬衫 红色/S'
  it('names the item and keeps stable codes', () => {
    expect(refusalError({ kind: 'sold_out', sessionItemSkuId: 'k1', available: 0, requested: 1 }, name)).toMatchObject({
      code: 'sold_out',
      status: 409,
      message: '真丝衬衫 红色/S: sold out',
    })
    expect(refusalError({ kind: 'sold_out', sessionItemSkuId: 'k1', available: 1, requested: 2 }, name).message).toBe(
      '真丝衬衫 红色/S: only 1 left, 2 requested',
    )
  })

  it('tells how many are left only when few are (the threshold members see counts under)', () => {
    const few = refusalError({ kind: 'sold_out', sessionItemSkuId: 'k1', available: 10, requested: 11 }, name)
    expect(few).toMatchObject({ message: '真丝衬衫 红色/S: only 10 left, 11 requested', details: { left: 10 } })
    const many = refusalError({ kind: 'sold_out', sessionItemSkuId: 'k1', available: 33, requested: 34 }, name)
    expect(many.message).toBe('真丝衬衫 红色/S: not enough left for 34')
    expect(many.details).toEqual({ sessionItemSkuId: 'k1', item: '真丝衬衫 红色/S' })
    expect(refusalError({ kind: 'closed', sessionItemSkuId: 'k1' }, name).details).not.toHaveProperty('available')
    expect(refusalError({ kind: 'cap', sessionItemSkuId: 'k1', cap: 2 }, name)).toMatchObject({
      code: 'cap_exceeded',
      details: { cap: 2, item: '真丝衬衫 红色/S' },
    })
    expect(refusalError({ kind: 'closed', sessionItemSkuId: 'k1' }, name)).toMatchObject({
      code: 'session_closed',
      details: { sessionItemSkuId: 'k1', item: '真丝衬衫 红色/S' },
    })
    expect(refusalError({ kind: 'unknown', sessionItemSkuId: 'k1' }, name).code).toBe('unknown_item')
    expect(refusalError({ kind: 'hold_limit', limit: 'units', max: 5, held: 4 }, name)).toMatchObject({
      code: 'hold_limit',
      status: 409,
      details: { limit: 'units', max: 5, held: 4 },
    })
  })
})
