import type { LoaderFunctionArgs } from '@remix-run/node'
import { cachedShop, cachedShopHandle } from '#app/services/reseller/public-pages.server'
import { bagOptionsReply } from '#app/utils/bag-options-reply.server'
import { getDb } from '#app/utils/db.server'

// The colours and sizes of one live item of her shop, for the picker sheet (JSON; not a page).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const found = await cachedShopHandle(db, params.handle ?? '')
  if (found.status !== 'ok') return bagOptionsReply(request, undefined)
  const { bag } = await cachedShop(db, found.userId, new Date())
  return bagOptionsReply(request, bag[params.itemId ?? ''])
}
