import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ApplicationFilterSchema } from '#app/schemas/onboarding'
import { applicationList } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { parseQuery } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { AdminTabs, StatusPill, useTx } from '#app/components/onboarding'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const filter = parseQuery(request, ApplicationFilterSchema)
  return json({ filter, ...(await applicationList(getDb(), filter)) })
}

export default function AdminApplications() {
  const { filter, counts, applications } = useLoaderData<typeof loader>()
  const { tx, money, when } = useTx()
  return (
    <div className="page">
      <AdminTabs current="applications" />
      <h1>{tx('onboarding.admin.applications')}</h1>
      <Form method="get" className="filter-bar">
        <label>
          {tx('onboarding.admin.status')}
          <select name="status" defaultValue={filter.status}>
            {(['pending', 'approved', 'rejected'] as const).map((s) => (
              <option key={s} value={s}>
                {tx(`onboarding.admin.appStatus.${s}`)} ({counts[s]})
              </option>
            ))}
            <option value="all">{tx('onboarding.admin.all')}</option>
          </select>
        </label>
        <label>
          {tx('onboarding.admin.search')}
          <input
            type="search"
            name="q"
            defaultValue={filter.q ?? ''}
            placeholder={tx('onboarding.admin.searchPlaceholder')}
          />
        </label>
        <button type="submit" className="button">
          {tx('onboarding.admin.filter')}
        </button>
      </Form>
      {applications.length === 0 ? (
        <p className="empty">{tx('onboarding.admin.none')}</p>
      ) : (
        <table className="admin-table" data-testid="applications">
          <thead>
            <tr>
              <th>{tx('onboarding.admin.company')}</th>
              <th>{tx('onboarding.admin.contact')}</th>
              <th>{tx('onboarding.admin.sales')}</th>
              <th>{tx('onboarding.admin.stores')}</th>
              <th>{tx('onboarding.admin.categories')}</th>
              <th>{tx('onboarding.admin.status')}</th>
              <th>{tx('onboarding.admin.submittedAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {applications.map((a) => (
              <tr key={a.id}>
                <td>
                  <strong>{a.brandName ?? a.companyName}</strong>
                  <br />
                  <span className="muted small">{a.companyName}</span>
                </td>
                <td>{a.contactName}</td>
                <td className="num">{money(a.annualSalesMinor, a.currency)}</td>
                <td className="num">{a.offlineStores}</td>
                <td>{a.categories.map((c) => tx(`onboarding.categories.${c}`)).join(tx('onboarding.listSep'))}</td>
                <td>
                  <StatusPill kind="appStatus" status={a.status} />
                </td>
                <td>{when(a.createdAt)}</td>
                <td>
                  <Link to={`/admin/applications/${a.id}`}>{tx('onboarding.admin.view')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
