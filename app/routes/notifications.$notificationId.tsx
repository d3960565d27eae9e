import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { openNotification } from '#app/services/notifications/inbox.server'
import { requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

// Opening a notification (inbox, e-mail or push link): marked read, then on to the thing it is about.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = requireUuid(params.notificationId)
  const link = await openNotification(getDb(), user.id, id, new Date())
  if (!link) throw new Response('Not found', { status: 404 })
  return redirect(link)
}
