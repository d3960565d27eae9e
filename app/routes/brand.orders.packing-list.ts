import type { LoaderFunctionArgs } from '@remix-run/node'
import { packingListCsv } from '#app/services/orders/orders.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

/** The brand's packing list (orders to ship), without prices: drop-ship parcels never carry them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  return new Response(await packingListCsv(getDb(), user.brand_id!), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="packing-list.csv"',
    },
  })
}
