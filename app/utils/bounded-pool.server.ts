// A bounded pool for heavy work (poster renders): at most `concurrency` tasks run, at most `maxQueue` wait,
// and past that a task is refused at once rather than queued behind work nobody will wait for.

export class PoolFullError extends Error {
  constructor() {
    super('too many tasks waiting')
  }
}

export interface BoundedPool {
  run<T>(task: () => Promise<T>): Promise<T>
  readonly running: number
  readonly waiting: number
}

export function createBoundedPool(options: { concurrency: number; maxQueue: number }): BoundedPool {
  let running = 0
  const queue: Array<() => void> = []
  const next = () => {
    if (running >= options.concurrency) return
    const start = queue.shift()
    if (start) start()
  }
  return {
    get running() {
      return running
    },
    get waiting() {
      return queue.length
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= options.concurrency && queue.length >= options.maxQueue) return Promise.reject(new PoolFullError())
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          running++
          task()
            .then(resolve, reject)
            .finally(() => {
              running--
              next()
            })
        })
        next()
      })
    },
  }
}
