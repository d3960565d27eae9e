import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SettlementTable } from '#app/components/settlement-table'
import { listSettlements } from '#app/services/orders/after-sales.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  return json({ rows: await listSettlements(getDb(), user.brand_id!) })
}

export default function BrandSettlements() {
  const { rows } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <div className="page">
      <h1>{t('orders.settlements.title')}</h1>
      <p>
        <a href="/settlements.csv" download>
          {t('orders.settlements.csv')}
        </a>{' '}
        · <a href="/brand/payouts">{t('payouts.nav.brand')}</a>
      </p>
      <SettlementTable rows={rows} showBrand={false} />
    </div>
  )
}
