import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AuditFilterSchema } from '#app/schemas/onboarding'
import { auditPage } from '#app/services/onboarding/audit.server'
import { getDb } from '#app/utils/db.server'
import { parseQuery } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { AdminTabs, useTx } from '#app/components/onboarding'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const f = parseQuery(request, AuditFilterSchema)
  const page = await auditPage(getDb(), {
    action: f.action || undefined,
    targetType: f.targetType || undefined,
    targetId: f.targetId || undefined,
    actor: f.actor || undefined,
    page: f.page,
  })
  return json({ filter: f, ...page })
}

function targetHref(type: string, id: string) {
  return type === 'brand' ? `/admin/brands/${id}` : type === 'brand_application' ? `/admin/applications/${id}` : null
}

export default function AdminAudit() {
  const { filter, entries, hasMore, actions } = useLoaderData<typeof loader>()
  const { tx, when } = useTx()
  const qs = (page: number) => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries({ ...filter, page })) if (v !== undefined && v !== '') p.set(k, String(v))
    return `?${p}`
  }
  return (
    <div className="page">
      <AdminTabs current="audit" />
      <h1>{tx('onboarding.admin.auditTitle')}</h1>
      <Form method="get" className="filter-bar">
        <label>
          {tx('onboarding.admin.action')}
          <select name="action" defaultValue={filter.action ?? ''}>
            <option value="">{tx('onboarding.admin.all')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {tx(`onboarding.admin.actions.${a.replace('.', '_')}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tx('onboarding.admin.target')}
          <select name="targetType" defaultValue={filter.targetType ?? ''}>
            <option value="">{tx('onboarding.admin.all')}</option>
            {(['brand_application', 'brand', 'user'] as const).map((t) => (
              <option key={t} value={t}>
                {tx(`onboarding.admin.targetType.${t}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tx('onboarding.admin.actorFilter')}
          <input type="search" name="actor" defaultValue={filter.actor ?? ''} />
        </label>
        <label>
          {tx('onboarding.admin.targetIdFilter')}
          <input type="search" name="targetId" defaultValue={filter.targetId ?? ''} />
        </label>
        <button type="submit" className="button">
          {tx('onboarding.admin.filter')}
        </button>
      </Form>
      {entries.length === 0 ? (
        <p className="empty">{tx('onboarding.admin.none')}</p>
      ) : (
        <table className="admin-table" data-testid="audit">
          <thead>
            <tr>
              <th>{tx('onboarding.admin.when')}</th>
              <th>{tx('onboarding.admin.actor')}</th>
              <th>{tx('onboarding.admin.action')}</th>
              <th>{tx('onboarding.admin.target')}</th>
              <th>{tx('onboarding.admin.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const href = targetHref(e.targetType, e.targetId)
              return (
                <tr key={e.id} data-action={e.action}>
                  <td className="nowrap">{when(e.createdAt)}</td>
                  <td>
                    {e.actorName ?? tx('onboarding.admin.system')}
                    {e.actorEmail ? (
                      <>
                        <br />
                        <span className="muted small">{e.actorEmail}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {tx(`onboarding.admin.actions.${e.action.replace('.', '_')}`)}
                    <br />
                    <code className="small muted">{e.action}</code>
                  </td>
                  <td>
                    {tx(`onboarding.admin.targetType.${e.targetType}`)}
                    <br />
                    {href ? (
                      <Link to={href} className="small">
                        <code>{e.targetId.slice(0, 8)}</code>
                      </Link>
                    ) : (
                      <code className="small">{e.targetId.slice(0, 8)}</code>
                    )}
                  </td>
                  <td>
                    <dl className="details">
                      {Object.entries(e.details).map(([k, v]) => (
                        <div key={k}>
                          <dt>{k}</dt>
                          <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <p className="pager">
        {filter.page > 1 ? <Link to={qs(filter.page - 1)}>← {tx('onboarding.admin.prev')}</Link> : null}
        {hasMore ? <Link to={qs(filter.page + 1)}>{tx('onboarding.admin.more')} →</Link> : null}
      </p>
    </div>
  )
}
