import { json, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { safeRedirect } from '#app/domain/roles'
import { setFollow } from '#app/services/catalog/follows.server'
import { requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

const FollowSchema = z.object({ intent: z.enum(['follow', 'unfollow']), redirectTo: z.string().optional() })

// Members follow or unfollow a brand; the form posts back to the page it came from.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const brandId = requireUuid(params.brandId)
  const form = await request.formData().catch(() => null)
  const parsed = FollowSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) return json({ fieldErrors: parsed.error.flatten().fieldErrors }, { status: 400 })
  const ok = await setFollow(getDb(), user.id, brandId, parsed.data.intent === 'follow', new Date())
  if (!ok) throw new Response('Not found', { status: 404 })
  return redirect(safeRedirect(parsed.data.redirectTo, '/'))
}

export async function loader() {
  throw new Response('Not found', { status: 404 })
}
