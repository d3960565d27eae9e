import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTx } from '#app/components/onboarding'
import { devMailbox } from '#app/services/notifications/settings.server'
import { getDb } from '#app/utils/db.server'
import { setting } from '#app/utils/env.server'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = () => [{ title: '开发邮箱 · Dev mailbox' }, { name: 'robots', content: 'noindex' }]

// Without SMTP_URL the e-mails land here instead of leaving the machine. Never in production; operators only.
export async function loader({ request }: LoaderFunctionArgs) {
  if (setting('NODE_ENV') === 'production') throw new Response('Not found', { status: 404 })
  await requireUser(request, ['operator'])
  return json({ mails: await devMailbox(getDb()) }, { headers: { 'Cache-Control': 'no-store' } })
}

export default function DevMailbox() {
  const { mails } = useLoaderData<typeof loader>()
  const { tx, when } = useTx()
  return (
    <div className="page narrow">
      <h1>{tx('notifications.mailbox.title')}</h1>
      <p className="muted">{tx('notifications.mailbox.intro')}</p>
      {mails.length === 0 ? (
        <p className="empty">{tx('notifications.mailbox.none')}</p>
      ) : (
        mails.map((m) => (
          <article key={m.id} className="card mail">
            <h2 className="mail-subject">{m.subject}</h2>
            <p className="muted small">
              {tx('notifications.mailbox.to')}: {m.to} · {when(m.at)}
            </p>
            <pre className="mail-text">{m.text}</pre>
          </article>
        ))
      )}
    </div>
  )
}
