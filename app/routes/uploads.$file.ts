import type { LoaderFunctionArgs } from '@remix-run/node'
import { readUpload } from '#app/services/catalog/uploads.server'

// Stored photos by their generated name only (UUID + .webp): no paths, no user-chosen names.
export async function loader({ params }: LoaderFunctionArgs) {
  const bytes = await readUpload(params.file ?? '')
  if (!bytes) throw new Response('Not found', { status: 404 })
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'image/webp',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
