import { parseWithZod } from '@conform-to/zod'
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { safeRedirect } from '#app/domain/roles'
import { setFollow } from '#app/services/catalog/follows.server'
import { requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

const FollowSchema = z.object({ intent: z.enum(['follow', 'unfollow']), redirectTo: z.string().optional() })

// Members follow or unfollow a brand; the form posts back to the page it came from.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const brandId = requireUuid(params.brandId)
  const submission = parseWithZod(await request.formData().catch(() => new FormData()), { schema: FollowSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const ok = await setFollow(getDb(), user.id, brandId, submission.value.intent === 'follow', new Date())
  if (!ok) throw new Response('Not found', { status: 404 })
  return redirect(safeRedirect(submission.value.redirectTo, '/'))
}

export async function loader() {
  throw new Response('Not found', { status: 404 })
}
