import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/utils/session.server'
import { uploadDir } from '#app/utils/uploads.server'

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** After-sale photos, for operators only (they are members' private evidence). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const rel = params['*'] ?? ''
  if (!/^after-sales\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.(jpg|png|webp)$/.test(rel)) throw new Response('Not found', { status: 404 })
  const bytes = await readFile(path.join(uploadDir(), rel)).catch(() => null)
  if (!bytes) throw new Response('Not found', { status: 404 })
  return new Response(bytes, { headers: { 'Content-Type': TYPES[rel.split('.').pop()!], 'Cache-Control': 'private, max-age=3600' } })
}
