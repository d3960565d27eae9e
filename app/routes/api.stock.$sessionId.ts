import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { stockSnapshot } from '#app/services/orders/cart.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse, UUID } from '#app/utils/http.server'
import { getUser } from '#app/utils/session.server'

/** GET /api/stock/<sessionId>: stock states per item and per SKU, polled by session and product pages. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const user = await getUser(request)
  const snapshot = await stockSnapshot(getDb(), params.sessionId!, !!user)
  invariantResponse(snapshot)
  return json(snapshot, { headers: { 'Cache-Control': 'no-store' } })
}
