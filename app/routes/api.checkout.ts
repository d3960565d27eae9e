import { json, type ActionFunctionArgs } from '@remix-run/node'
import { DomainError } from '#app/domain/errors'
import { CheckoutApiSchema } from '#app/schemas/orders'
import { placeCheckout } from '#app/services/checkout.server'
import { getDb } from '#app/utils/db.server'
import { getUser } from '#app/utils/session.server'

export const loader = () => json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'POST' } })

/**
 * POST /api/checkout — JSON { addressId, lines: [{ sessionItemSkuId, quantity }] }, session cookie auth.
 * 201 { checkoutId, orderIds, totalMinor, currency, expiresAt } · 400 { fieldErrors } · 401/403 · 409 { error: { code, message, item } }.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, { status: 405 })
  const user = await getUser(request)
  if (!user) return json({ error: 'unauthorized' }, { status: 401 })
  if (user.role !== 'member') return json({ error: 'forbidden' }, { status: 403 })
  const body = await request.json().catch(() => undefined)
  const parsed = CheckoutApiSchema.safeParse(body)
  if (!parsed.success) return json({ fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 })
  try {
    const placed = await placeCheckout(getDb(), { memberId: user.id, vipLevel: user.vip_level, ...parsed.data, now: new Date() })
    return json({ ...placed, expiresAt: placed.expiresAt.toISOString() }, { status: 201 })
  } catch (e) {
    if (e instanceof DomainError) return json({ error: { code: e.code, message: e.message, ...e.details } }, { status: e.status })
    throw e
  }
}
