import { sql } from 'kysely'
import { getDb } from '#app/utils/db.server'

// Resource route: the database answers, or the app is not healthy.
export async function loader() {
  try {
    await sql`select 1`.execute(getDb())
    return Response.json({ status: 'ok', database: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
  } catch {
    return Response.json({ status: 'error', database: 'unreachable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
  }
}
