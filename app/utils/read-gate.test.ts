import DataLoader from 'dataloader'
import { describe, expect, it } from 'vitest'
import { readGate } from './read-gate'

describe('readGate', () => {
  it('answers every caller when more keys than one batch holds arrive while a read is in flight', async () => {
    const gate = readGate()
    const batches: number[] = []
    let release!: () => void
    const firstHeld = new Promise<void>((r) => (release = r))
    const loader = new DataLoader<number, number>(
      (keys) =>
        gate.read(async () => {
          batches.push(keys.length)
          if (batches.length === 1) await firstHeld
          return keys.map((k) => k * 2)
        }),
      { cache: false, batchScheduleFn: gate.schedule, maxBatchSize: 500 },
    )
    const first = loader.load(0)
    await new Promise((r) => setImmediate(r))
    expect(batches).toEqual([1])
    // 1,200 callers while the first read is held: three batches fill behind it.
    const rest = Promise.all(Array.from({ length: 1200 }, (_, i) => loader.load(i + 1)))
    await new Promise((r) => setImmediate(r))
    expect(batches).toEqual([1])
    release()
    const answers = await rest
    expect(await first).toBe(0)
    expect(answers).toEqual(Array.from({ length: 1200 }, (_, i) => (i + 1) * 2))
    expect(batches).toEqual([1, 500, 500, 200])
  })

  it('dispatches at once when no read is in flight', async () => {
    const gate = readGate()
    const loader = new DataLoader<number, number>((keys) => gate.read(async () => keys.map((k) => k + 1)), {
      cache: false,
      batchScheduleFn: gate.schedule,
    })
    expect(await Promise.all([loader.load(1), loader.load(2)])).toEqual([2, 3])
  })
})
