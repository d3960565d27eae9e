import { parseWithZod } from '@conform-to/zod'
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { safeRedirect } from '#app/domain/roles'
import { ReminderSchema } from '#app/schemas/notifications'
import { requestReminder, requestRestock } from '#app/services/notifications/settings.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

// Members ask to be reminded when an upcoming session (or one item of it) opens, or when a sold-out size is back.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const submission = parseWithZod(await request.formData().catch(() => new FormData()), { schema: ReminderSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const v = submission.value
  const now = new Date()
  const ok =
    v.intent === 'restock'
      ? await requestRestock(getDb(), { userId: user.id, sessionItemSkuId: v.sessionItemSkuId, now })
      : await requestReminder(getDb(), {
          userId: user.id,
          sessionId: v.sessionId,
          itemId: v.itemId ?? null,
          on: v.intent === 'remind',
          now,
        })
  if (!ok) throw new Response('Not found', { status: 404 })
  return redirect(safeRedirect(v.redirectTo, '/notifications/settings'))
}

export async function loader() {
  throw new Response('Not found', { status: 404 })
}
