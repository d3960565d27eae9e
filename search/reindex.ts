// `npm run search:reindex`: rebuilds the index from Postgres (DATABASE_URL, or the embedded database
// in .data/ the app uses). Against Meilisearch (MEILISEARCH_URL) this empties and refills the index.
// The embedded Orama index lives inside the app process and is rebuilt at every start-up; run
// against it, this builds a throwaway index and reports what the app would hold.
import { createDb } from '#db/client'
import { prepareDatabase } from '#app/server/database'
import { createSearchEngine } from './factory'
import { rebuildIndex } from './sync'

const started = Date.now()
const { url, embedded } = await prepareDatabase()
const db = createDb(url, { max: 2 })
const engine = createSearchEngine()
try {
  const n = await rebuildIndex(db, engine, new Date())
  console.log(`search:reindex: ${n} documents into ${engine.name} in ${Date.now() - started} ms`)
  if (engine.name === 'orama')
    console.log(
      '(embedded engine: the running app rebuilds its own in-memory index at start-up; restart it to rebuild.)',
    )
} finally {
  await db.destroy()
  await embedded?.stop()
}
