import type { ServerResponse } from 'node:http'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { giveWay } from './give-way'

const response = (destroyed = false) => ({ destroyed }) as ServerResponse

describe('kept pages giving way', () => {
  let clock = 0
  let held = 0
  const sent: number[] = []
  const pacer = (options: { perTick?: number; maxQueued?: number } = {}) =>
    giveWay({
      perTick: options.perTick ?? 2,
      windowMs: 100,
      maxQueued: options.maxQueued ?? 100,
      held: () => held,
      now: () => clock,
    })
  const sendMany = (p: ReturnType<typeof pacer>, from: number, count: number) => {
    for (let i = from; i < from + count; i++) p.send(response(), () => sent.push(i))
  }

  beforeEach(() => {
    vi.useFakeTimers()
    clock = 0
    held = 0
    sent.length = 0
  })
  afterEach(() => vi.useRealTimers())

  it('sends kept pages at once when nothing else is in flight', () => {
    const p = pacer()
    sendMany(p, 0, 10)
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(p.stats()).toEqual({ queued: 0, paced: 0 })
  })

  it('sends them a few per tick, in order, while an order is in flight, and the rest at once when it is answered', () => {
    const p = pacer()
    held = 1
    sendMany(p, 0, 7)
    expect(sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1])
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1, 2, 3])
    held = 0
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(p.stats()).toEqual({ queued: 0, paced: 7 })
  })

  it('keeps giving way for a moment after another request arrived, then sends as they come again', () => {
    const p = pacer()
    p.other()
    clock = 99
    sendMany(p, 0, 3)
    expect(sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1])
    clock = 100
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1, 2])
    sendMany(p, 3, 1)
    expect(sent).toEqual([0, 1, 2, 3])
  })

  it('queues behind pages already waiting even when the other work is over, so the order of arrival holds', () => {
    const p = pacer({ perTick: 1 })
    held = 1
    sendMany(p, 0, 3)
    held = 0
    sendMany(p, 3, 1)
    expect(sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([0, 1, 2, 3])
  })

  it('sends at once past the bound of the queue, and nothing to a visitor who left', () => {
    const p = pacer({ perTick: 1, maxQueued: 2 })
    held = 1
    p.send(response(true), () => sent.push(-1))
    sendMany(p, 0, 2)
    expect(sent).toEqual([1])
    vi.advanceTimersByTime(1)
    // The visitor who left is skipped without using the tick's slot.
    expect(sent).toEqual([1, 0])
    expect(p.stats().queued).toBe(0)
  })

  it('never waits when pacing is off', () => {
    const p = pacer({ perTick: 0 })
    held = 1
    sendMany(p, 0, 3)
    expect(sent).toEqual([0, 1, 2])
  })
})
