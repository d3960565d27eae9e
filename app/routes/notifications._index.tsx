import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { useTx } from '#app/components/onboarding'
import { inbox, markAllRead, markRead } from '#app/services/notifications/inbox.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { getLocale } from '#app/utils/locale.server'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = () => [{ title: '消息 · Inbox' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const items = await inbox(getDb(), user.id, await getLocale(request), new Date())
  return json({ items }, { headers: { 'Cache-Control': 'private, no-store' } })
}

const ReadSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.string().uuid() }),
  z.object({ intent: z.literal('read-all') }),
])

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData().catch(() => new FormData()), { schema: ReadSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  if (submission.value.intent === 'read-all') await markAllRead(getDb(), user.id, new Date())
  else if (!(await markRead(getDb(), user.id, submission.value.id, new Date())))
    throw new Response('Not found', { status: 404 })
  return redirect('/notifications')
}

export default function Inbox() {
  const { items } = useLoaderData<typeof loader>()
  const { tx, when } = useTx()
  const unread = items.filter((i) => !i.read).length
  return (
    <div className="page narrow inbox-page">
      <div className="inbox-head">
        <h1>{tx('notifications.inbox.title')}</h1>
        <Link to="/notifications/settings" className="button small">
          {tx('notifications.inbox.settings')}
        </Link>
      </div>
      {unread > 0 && (
        <Form method="post" className="inbox-actions">
          <span className="muted small">{tx('notifications.nav.unread', { count: unread })}</span>
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="button small">
            {tx('notifications.inbox.markAll')}
          </button>
        </Form>
      )}
      {items.length === 0 ? (
        <p className="empty">{tx('notifications.inbox.empty')}</p>
      ) : (
        <ul className="inbox-list" aria-label={tx('notifications.inbox.title')}>
          {items.map((n) => (
            <li key={n.id} className={n.read ? 'inbox-item read' : 'inbox-item unread'} data-event={n.event}>
              <a href={`/notifications/${n.id}`} className="inbox-link">
                <strong>
                  {!n.read && <span className="dot" aria-label={tx('notifications.inbox.unread')} />}
                  {n.title}
                </strong>
                <span className="inbox-body">{n.body}</span>
              </a>
              <div className="inbox-foot">
                <time className="muted small" dateTime={n.at}>
                  {when(n.at)}
                </time>
                {!n.read && (
                  <Form method="post" className="inbox-mark">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="link-button small">
                      {tx('notifications.inbox.markRead')}
                    </button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
