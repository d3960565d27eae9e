import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { OrderStatus } from '#app/components/order-status'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { SettlementTable } from '#app/components/settlement-table'
import { listSettlements } from '#app/services/orders/after-sales.server'
import { listAllOrders } from '#app/services/orders/orders.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const now = new Date()
  const [late, all, settlements] = await Promise.all([
    listAllOrders(getDb(), 'late', now),
    listAllOrders(getDb(), 'all', now),
    listSettlements(getDb(), null),
  ])
  return json({ late, all: all.slice(0, 100), settlements })
}

export default function AdminOrders() {
  const { late, all, settlements } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const table = (rows: typeof all) => (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t('orders.orders.order')}</th>
          <th>{t('orders.orders.brand')}</th>
          <th>{t('orders.orders.amount')}</th>
          <th>{t('orders.orders.status')}</th>
          <th>{t('orders.orders.shipBy')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((o) => (
          <tr key={o.id} className={o.late ? 'late' : ''}>
            <td>
              <code>{o.id.slice(0, 8)}</code>
            </td>
            <td>{pick(i18n.language, o.brandName, o.brandNameEn)}</td>
            <td>
              <Price minor={o.goodsMinor} currency={o.currency} />
            </td>
            <td>
              <OrderStatus status={o.status} late={o.late} />
            </td>
            <td>{o.shipByAt ? formatDateTime(o.shipByAt, i18n.language) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
  return (
    <div className="page">
      <h1>{t('orders.admin.ordersTitle')}</h1>
      <nav className="tabs">
        <Link to="/admin/after-sales">{t('orders.nav.afterSales')}</Link>{' '}
        <a href="/settlements.csv">{t('orders.settlements.csv')}</a>{' '}
        <Link to="/admin/payouts">{t('payouts.nav.admin')}</Link>{' '}
        <Link to="/admin/ledger">{t('payouts.nav.ledger')}</Link>{' '}
        <Link to="/admin/deposits">{t('payouts.nav.deposits')}</Link>
      </nav>
      <h2>{t('orders.admin.lateTitle')}</h2>
      {late.length ? table(late) : <p className="empty">{t('orders.admin.noLate')}</p>}
      <h2>{t('orders.settlements.title')}</h2>
      <SettlementTable rows={settlements} showBrand />
      <h2>{t('orders.admin.allOrders')}</h2>
      {table(all)}
    </div>
  )
}
