import { isMainThread } from 'node:worker_threads'
import { createDb, type Db } from '#db/client'
import { GroupCommit, registerGroupCommit } from '#app/services/checkout/group-commit.server'
import { setting } from './env.server'

// One pool per process, kept across dev rebuilds.
declare global {
  var __marketplaceDb: Db | undefined
}

export function getDb(): Db {
  if (!global.__marketplaceDb) {
    const url = setting('DATABASE_URL')
    if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides one')
    global.__marketplaceDb = createDb(url, { max: setting('DB_POOL_MAX') })
    // Group commit of hot-SKU checkouts gets its own 2 connections: borrowing the shared pool queued each batch
    // behind a storm's session lookups (measured: batches of ~460 ms instead of ~13 ms). The checkouts' own reads
    // before a batch get one more connection, apart from the batches'.
    const committer = new GroupCommit(createDb(url, { max: 2 }), { reader: createDb(url, { max: 1 }) })
    registerGroupCommit(global.__marketplaceDb, committer)
    // Render threads (app/server/render-pool.ts) place no orders: their queue opens no connection unless used.
    if (isMainThread)
      committer.warm().catch((e: unknown) => console.warn('group commit: could not open its connections yet', e))
  }
  return global.__marketplaceDb
}
