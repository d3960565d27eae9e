import { createDb, type Db } from '#db/client'

// One pool per process, kept across dev rebuilds.
declare global {
  // eslint-disable-next-line no-var
  var __marketplaceDb: Db | undefined
}

export function getDb(): Db {
  if (!global.__marketplaceDb) {
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides one')
    global.__marketplaceDb = createDb(url, { max: Number(process.env.DB_POOL_MAX ?? 20) })
  }
  return global.__marketplaceDb
}
