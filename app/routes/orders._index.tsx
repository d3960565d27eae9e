import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { OrderStatus } from '#app/components/order-status'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { listMemberOrders } from '#app/services/orders/orders.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('orders.orders.title')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json({ orders: await listMemberOrders(getDb(), user.id, new Date()) })
}

export default function Orders() {
  const { orders } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page">
      <h1>{t('orders.orders.title')}</h1>
      {!orders.length ? (
        <p className="empty">{t('orders.orders.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('orders.orders.order')}</th>
              <th>{t('orders.orders.brand')}</th>
              <th>{t('orders.orders.units')}</th>
              <th>{t('orders.orders.amount')}</th>
              <th>{t('orders.orders.status')}</th>
              <th>{t('orders.orders.placedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{o.id.slice(0, 8)}</Link>
                </td>
                <td data-label={t('orders.orders.brand')}>{pick(i18n.language, o.brandName, o.brandNameEn)}</td>
                <td data-label={t('orders.orders.units')}>{o.units}</td>
                <td data-label={t('orders.orders.amount')}>
                  <Price minor={o.goodsMinor} currency={o.currency} />
                </td>
                <td data-label={t('orders.orders.status')}>
                  <OrderStatus status={o.status} />
                </td>
                <td data-label={t('orders.orders.placedAt')}>{formatDateTime(o.createdAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
