import { json, type ActionFunctionArgs } from '@remix-run/node'
import { checkoutApi } from '#app/services/checkout/api.server'
import { getDb } from '#app/utils/db.server'

export const loader = () => json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })

/**
 * POST /api/checkout (contract: app/services/checkout/api.server.ts). The server answers it on node:http before
 * Remix (app/server/checkout-transport.ts); this route is the same call for a Request (tests, a plain Remix host).
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, { status: 405 })
  const body: unknown = await request.json().catch(() => undefined)
  const reply = await checkoutApi(getDb(), {
    cookie: request.headers.get('Cookie'),
    idempotencyKey: request.headers.get('Idempotency-Key'),
    body,
    now: new Date(),
  })
  return json(reply.body, { status: reply.status })
}
