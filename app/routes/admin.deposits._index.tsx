import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { listDepositBrands } from '#app/services/payouts/deposits.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  return json({ brands: await listDepositBrands(getDb()) })
}

export default function AdminDeposits() {
  const { brands } = useLoaderData<typeof loader>()
  const { t, i18n } = useFastTranslation()
  return (
    <div className="page">
      <h1>{t('payouts.deposits.title')}</h1>
      <nav className="tabs">
        <Link to="/admin/payouts">{t('payouts.nav.admin')}</Link>{' '}
        <Link to="/admin/ledger">{t('payouts.nav.ledger')}</Link>
      </nav>
      <p className="muted">{t('payouts.deposits.intro')}</p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('payouts.deposits.brand')}</th>
              <th>{t('payouts.deposits.status')}</th>
              <th>{t('payouts.deposits.held')}</th>
              <th>{t('payouts.deposits.payable')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {brands.map((b) => (
              <tr key={b.id}>
                <td>{pick(i18n.language, b.name, b.nameEn)}</td>
                <td>{t(`onboarding.admin.brandStatus.${b.status}`)}</td>
                <td>
                  <Price minor={b.heldMinor} currency={b.currency} />
                </td>
                <td>
                  <Price minor={b.payableMinor} currency={b.currency} />
                </td>
                <td>
                  <Link to={`/admin/deposits/${b.id}`} aria-label={`${t('payouts.deposits.manage')} ${b.name}`}>
                    {t('payouts.deposits.manage')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
