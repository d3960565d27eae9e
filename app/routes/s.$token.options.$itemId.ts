import type { LoaderFunctionArgs } from '@remix-run/node'
import { cachedShare } from '#app/services/reseller/public-pages.server'
import { bagOptionsReply } from '#app/utils/bag-options-reply.server'
import { getDb } from '#app/utils/db.server'

// The colours and sizes of one item of a share link, for the picker sheet (JSON; not a page, not a view).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lookup, bag } = await cachedShare(getDb(), params.token ?? '', new Date())
  return bagOptionsReply(request, lookup.status === 'ok' ? bag[params.itemId ?? ''] : undefined)
}
