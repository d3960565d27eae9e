import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/utils/session.server'
import { mimeForUpload, readUploadFile } from '#app/utils/uploads.server'

const AFTER_SALE_PHOTO = /^after-sales\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.(jpg|png|webp)$/

/** After-sale photos, for operators only (they are members' private evidence). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const rel = params['*'] ?? ''
  const bytes = await readUploadFile(rel, AFTER_SALE_PHOTO)
  if (!bytes) throw new Response('Not found', { status: 404 })
  return new Response(new Uint8Array(bytes), {
    headers: { 'Content-Type': mimeForUpload(rel), 'Cache-Control': 'private, max-age=3600' },
  })
}
