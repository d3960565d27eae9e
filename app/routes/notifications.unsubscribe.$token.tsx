import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTx } from '#app/components/onboarding'
import { unsubscribe, unsubscribeTarget } from '#app/services/notifications/settings.server'
import { getDb } from '#app/utils/db.server'

export const meta: MetaFunction = () => [{ title: '退订 · Unsubscribe' }, { name: 'robots', content: 'noindex' }]

// The signed token is the authority: whoever holds the e-mail can stop it, without signing in.
// GET asks to confirm (link scanners follow links); POST unsubscribes — also the one-click POST of
// mail clients (RFC 8058, body `List-Unsubscribe=One-Click`).
export async function loader({ params }: LoaderFunctionArgs) {
  const target = unsubscribeTarget(params.token ?? '')
  if (!target) throw new Response('Not found', { status: 404 })
  return json({ event: target.event }, { headers: { 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' } })
}

export async function action({ params }: ActionFunctionArgs) {
  const done = await unsubscribe(getDb(), params.token ?? '', new Date())
  if (!done) throw new Response('Not found', { status: 404 })
  return json({ done: true as const, event: done.event })
}

export default function Unsubscribe() {
  const { event } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { tx } = useTx()
  const name = tx(`notifications.events.${event}.name`)
  return (
    <div className="page narrow">
      <h1>{tx('notifications.unsubscribe.title')}</h1>
      {result?.done ? (
        <p role="status">{tx('notifications.unsubscribe.done', { event: name })}</p>
      ) : (
        <Form method="post">
          <p>{tx('notifications.unsubscribe.confirm', { event: name })}</p>
          <button type="submit" className="button">
            {tx('notifications.unsubscribe.button')}
          </button>
        </Form>
      )}
    </div>
  )
}
