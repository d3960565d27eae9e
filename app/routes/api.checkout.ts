import { json, type ActionFunctionArgs } from '@remix-run/node'
import { checkoutApi, type CheckoutApiReply } from '#app/services/checkout-api.server'
import { getDb } from '#app/utils/db.server'

export const loader = () => json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })

/**
 * POST /api/checkout — JSON { addressId, lines: [{ sessionItemSkuId, quantity }] }, session cookie auth.
 * 201 { checkoutId, orderIds, totalMinor, currency, expiresAt } · 400 { fieldErrors } · 401/403 · 409 { error: { code, message, item } }.
 * In production the Express server answers POST /api/checkout itself before Remix (app/server/checkout-fast-path.ts)
 * through `handleCheckoutApi` below; both go through checkoutApi (app/services/checkout-api.server.ts).
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, { status: 405 })
  const body: unknown = await request.json().catch(() => undefined)
  const reply = await handleCheckoutApi({ cookie: request.headers.get('Cookie'), body })
  return json(reply.body, { status: reply.status })
}

/** Exported for the Express fast path, which reaches it through the server build (one module graph, one pool, one queue). */
export function handleCheckoutApi(input: { cookie: string | null; body: unknown }): Promise<CheckoutApiReply> {
  return checkoutApi(getDb(), { ...input, now: new Date() })
}
