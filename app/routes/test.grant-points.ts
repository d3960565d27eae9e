import { randomUUID } from 'node:crypto'
import { json, type ActionFunctionArgs } from '@remix-run/node'
import { GrantPointsSchema } from '#app/schemas/membership'
import { testGrantPoints } from '#app/services/membership.server'
import { getDb } from '#app/utils/db.server'
import { env } from '#app/utils/env.server'

// Browser tests only: grants growth points through the ledger functions. Any other NODE_ENV: 404.
// (env() reads the real process environment; the build inlines `process.env.NODE_ENV` as production.)
function testOnly() {
  if (env().NODE_ENV !== 'test') throw new Response('Not found', { status: 404 })
}

export async function loader() {
  testOnly()
  throw new Response('Method not allowed', { status: 405 })
}

export async function action({ request }: ActionFunctionArgs) {
  testOnly()
  const body = request.headers.get('content-type')?.includes('application/json')
    ? await request.json().catch(() => null)
    : await request.formData().then((f) => Object.fromEntries(f), () => null)
  const parsed = GrantPointsSchema.safeParse(body)
  if (!parsed.success) return json({ fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 })
  const result = await testGrantPoints(getDb(), { ...parsed.data, orderId: randomUUID(), now: parsed.data.at ? new Date(parsed.data.at) : new Date() })
  if (!result) return json({ error: 'no such member' }, { status: 404 })
  return json(result)
}
