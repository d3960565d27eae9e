/**
 * Keeps a DataLoader to one read in flight and lets the next batch gather until it is answered (`schedule` is the
 * loader's batchScheduleFn, `read` wraps its batch function). Batches that became due meanwhile all wait: a batch
 * that reaches the loader's maxBatchSize starts another while the first is still waiting, so there may be several,
 * and each must be dispatched once the read ends or its callers are never answered.
 */
export function readGate() {
  let reading = 0
  const waiting: Array<() => void> = []
  return {
    schedule(dispatch: () => void) {
      if (reading) waiting.push(dispatch)
      else setImmediate(dispatch)
    },
    async read<T>(run: () => Promise<T>): Promise<T> {
      reading++
      try {
        return await run()
      } finally {
        reading--
        for (const dispatch of waiting.splice(0)) setImmediate(dispatch)
      }
    },
  }
}
