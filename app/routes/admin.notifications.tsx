import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { useTx } from '#app/components/onboarding'
import { NOTIFICATION_EVENT_NAMES } from '#app/domain/notification-events'
import { deliveryLog } from '#app/services/notifications/settings.server'
import { getDb } from '#app/utils/db.server'
import { parseQuery } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = () => [{ title: '通知发送记录 · Notification deliveries' }]

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const
const FilterSchema = z.object({
  status: z.enum(['all', ...STATUSES]).default('all'),
  event: z.enum(['', ...NOTIFICATION_EVENT_NAMES] as [string, ...string[]]).default(''),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const filter = parseQuery(request, FilterSchema)
  const log = await deliveryLog(getDb(), { status: filter.status, event: filter.event || undefined })
  return json({ filter, ...log })
}

export default function AdminNotifications() {
  const { filter, counts, rows } = useLoaderData<typeof loader>()
  const { tx, when } = useTx()
  return (
    <div className="page">
      <h1>{tx('notifications.admin.title')}</h1>
      <p className="delivery-counts">
        {STATUSES.map((s) => (
          <span key={s} className={`pill pill-${s}`} data-count={s}>
            {tx(`notifications.admin.statuses.${s}`)} {counts[s] ?? 0}
          </span>
        ))}
      </p>
      <Form method="get" className="filter-bar">
        <label>
          {tx('notifications.admin.status')}
          <select name="status" defaultValue={filter.status}>
            <option value="all">{tx('notifications.admin.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tx(`notifications.admin.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tx('notifications.admin.event')}
          <select name="event" defaultValue={filter.event}>
            <option value="">{tx('notifications.admin.all')}</option>
            {NOTIFICATION_EVENT_NAMES.map((e) => (
              <option key={e} value={e}>
                {tx(`notifications.events.${e}.name`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {tx('notifications.admin.filter')}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">{tx('notifications.admin.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table" data-testid="deliveries">
            <thead>
              <tr>
                <th>{tx('notifications.admin.event')}</th>
                <th>{tx('notifications.admin.channel')}</th>
                <th>{tx('notifications.admin.recipient')}</th>
                <th>{tx('notifications.admin.status')}</th>
                <th>{tx('notifications.admin.attempts')}</th>
                <th>{tx('notifications.admin.due')}</th>
                <th>{tx('notifications.admin.finished')}</th>
                <th>{tx('notifications.admin.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <td>
                    {tx(`notifications.events.${r.event}.name`)}
                    <br />
                    <code className="small muted">{r.event}</code>
                  </td>
                  <td>{tx(`notifications.channels.${r.channel}`)}</td>
                  <td>
                    {r.recipient}
                    <br />
                    <span className="muted small">{r.address}</span>
                  </td>
                  <td>
                    <span className={`pill pill-${r.status}`}>{tx(`notifications.admin.statuses.${r.status}`)}</span>
                  </td>
                  <td>{r.attempts}</td>
                  <td className="nowrap">{when(r.dueAt)}</td>
                  <td className="nowrap">{when(r.finishedAt)}</td>
                  <td className="small">{r.outcome ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
