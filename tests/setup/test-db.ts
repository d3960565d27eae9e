import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import { createDb, type Db } from '#db/client'

export interface TestDatabase {
  db: Db
  url: string
  name: string
  drop(): Promise<void>
}

/**
 * A fresh database cloned from the migrated template, and DATABASE_URL pointed at it so
 * loaders and actions called in this test file use it too.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const prefix = inject('pgUrlPrefix')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = postgres(`${prefix}postgres`, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}" template cm_template`)
  await admin.end()
  const url = `${prefix}${name}`
  process.env.DATABASE_URL = url
  const db = createDb(url, { max: 10 })
  return {
    db,
    url,
    name,
    async drop() {
      await db.destroy()
      const { getDb } = await import('#app/utils/db.server')
      if (global.__marketplaceDb)
        await getDb()
          .destroy()
          .catch(() => {})
      global.__marketplaceDb = undefined
      const a = postgres(`${prefix}postgres`, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists "${name}" with (force)`)
      await a.end()
    },
  }
}
