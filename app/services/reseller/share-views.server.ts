// Share-link views are counted in memory and written once a second, one statement per link: a link that goes
// viral would otherwise make every view a durable write to the same row, and every view would wait on that
// row's lock. A crash loses at most the last second's views. Her own pages write what is pending before reading.
import type { Db } from '#db/client'
import { addShareViews } from '#db/queries/reseller'

const FLUSH_EVERY_MS = 1_000
const pending = new Map<string, number>()
let timer: NodeJS.Timeout | null = null
let writing: Promise<void> = Promise.resolve()

export function countShareViewSoon(db: Db, linkId: string) {
  pending.set(linkId, (pending.get(linkId) ?? 0) + 1)
  timer ??= setTimeout(() => {
    timer = null
    flushShareViews(db).catch((e: unknown) => console.warn('[share-views] could not write views', (e as Error).message))
  }, FLUSH_EVERY_MS)
  timer.unref()
}

/** Writes the views counted so far (after any write already under way). */
export function flushShareViews(db: Db): Promise<void> {
  const batch = [...pending]
  pending.clear()
  writing = writing
    .catch(() => {})
    .then(async () => {
      for (const [linkId, views] of batch) await addShareViews(db, linkId, views)
    })
  return writing
}
