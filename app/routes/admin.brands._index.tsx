import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { bpsToPercent } from '#app/domain/onboarding'
import { BrandFilterSchema } from '#app/schemas/onboarding'
import { brandList } from '#app/services/onboarding/brand-admin.server'
import { getDb } from '#app/utils/db.server'
import { parseQuery } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { AdminTabs, StatusPill, useTx } from '#app/components/onboarding'
import { pick } from '#app/components/pick'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const filter = parseQuery(request, BrandFilterSchema)
  return json({ filter, ...(await brandList(getDb(), filter)) })
}

export default function AdminBrands() {
  const { filter, counts, brands } = useLoaderData<typeof loader>()
  const { tx, when, lang } = useTx()
  return (
    <div className="page">
      <AdminTabs current="brands" />
      <h1>{tx('onboarding.admin.brands')}</h1>
      <Form method="get" className="filter-bar">
        <label>
          {tx('onboarding.admin.status')}
          <select name="status" defaultValue={filter.status}>
            <option value="all">{tx('onboarding.admin.all')}</option>
            {(['awaiting_deposit', 'live', 'suspended'] as const).map((s) => (
              <option key={s} value={s}>
                {tx(`onboarding.admin.brandStatus.${s}`)} ({counts[s]})
              </option>
            ))}
          </select>
        </label>
        <label>
          {tx('onboarding.admin.search')}
          <input type="search" name="q" defaultValue={filter.q ?? ''} />
        </label>
        <button type="submit" className="button">
          {tx('onboarding.admin.filter')}
        </button>
      </Form>
      {brands.length === 0 ? (
        <p className="empty">{tx('onboarding.admin.none')}</p>
      ) : (
        <table className="admin-table" data-testid="brands">
          <thead>
            <tr>
              <th>{tx('onboarding.admin.brand')}</th>
              <th>{tx('onboarding.admin.status')}</th>
              <th>{tx('onboarding.admin.commission')}</th>
              <th>{tx('onboarding.admin.deposit')}</th>
              <th>{tx('onboarding.admin.statusReason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {brands.map((b) => (
              <tr key={b.id}>
                <td>
                  <strong>{pick(lang, b.name, b.nameEn)}</strong> <span className="muted small">{b.slug}</span>
                </td>
                <td>
                  <StatusPill kind="brandStatus" status={b.status} />
                </td>
                <td className="num">{bpsToPercent(b.commissionBps)}%</td>
                <td>{b.depositPaidAt ? when(b.depositPaidAt) : tx('onboarding.admin.depositDue')}</td>
                <td className="small">{b.statusReason ?? ''}</td>
                <td>
                  <Link to={`/admin/brands/${b.id}`}>{tx('onboarding.admin.view')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
