import { sql } from 'kysely'
import { getDb } from '#app/utils/db.server'

// Resource route: the database answers, or the app is not healthy. X-Process-Id names the process that
// answered (several share the port when WEB_CONCURRENCY > 1).
export async function loader() {
  try {
    await sql`select 1`.execute(getDb())
    return Response.json(
      { status: 'ok', database: 'ok' },
      { headers: { 'Cache-Control': 'no-store', 'X-Process-Id': String(process.pid) } },
    )
  } catch {
    return Response.json(
      { status: 'error', database: 'unreachable' },
      { status: 503, headers: { 'Cache-Control': 'no-store', 'X-Process-Id': String(process.pid) } },
    )
  }
}
