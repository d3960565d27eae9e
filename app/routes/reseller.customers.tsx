import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { optionLabel } from '#app/components/option-label'
import { OrderStatus } from '#app/components/order-status'
import { Price } from '#app/components/price'
import { resellerCustomerPage } from '#app/services/customer-orders/reseller-view.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { localTitle } from '#app/utils/meta'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('customerOrders.reseller.title')) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json(await resellerCustomerPage(getDb(), user.id, new Date()))
}

export default function ResellerCustomers() {
  const { orders, customers, links, alerts } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page reseller-page" data-testid="reseller-customers">
      <div className="reseller-head">
        <h1>{t('customerOrders.reseller.title')}</h1>
        <Link to="/reseller/earnings" className="button">
          {t('customerOrders.reseller.earnings')}
        </Link>
      </div>
      {alerts.length > 0 && (
        <section className="alerts" aria-labelledby="alerts-title">
          <h2 id="alerts-title">{t('customerOrders.reseller.alerts')}</h2>
          <ul>
            {alerts.map((a) => (
              <li key={a.itemId} className="form-error" data-testid="price-alert">
                {t('customerOrders.reseller.alertText', {
                  title: a.title,
                  n: a.refused,
                  why: t(
                    `customerOrders.reseller.alertWhy.${a.reason}` as 'customerOrders.reseller.alertWhy.below_own_price',
                  ),
                  price: new Intl.NumberFormat(i18n.language, { style: 'currency', currency: a.currency }).format(
                    a.retailPriceMinor / 100,
                  ),
                })}{' '}
                <Link to={`/reseller/sessions/${a.sessionId}`}>→</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {orders.length === 0 ? (
        <p className="muted">{t('customerOrders.reseller.none')}</p>
      ) : (
        <ul className="customer-orders">
          {orders.map((o) => (
            <li key={o.id} className="card" data-testid="customer-order-row">
              <p>
                <strong>{o.name}</strong> · {o.phone} ·{' '}
                <span className={`state state-${o.state}`}>
                  {t(`customerOrders.reseller.state.${o.state}` as 'customerOrders.reseller.state.paid')}
                </span>
                <span className="muted small"> · {formatDateTime(o.createdAt, i18n.language)}</span>
              </p>
              <ul className="plain">
                {o.lines.map((l) => (
                  <li key={l.id}>
                    {l.title} · {optionLabel(i18n.language, l.colour, l.colourEn)}/
                    {optionLabel(i18n.language, l.size, l.sizeEn)} × {l.quantity}
                    {l.refundedQuantity > 0 && <span className="muted"> (−{l.refundedQuantity})</span>}
                    {' · '}
                    {t('customerOrders.reseller.markup')} <Price minor={l.markupMinor} currency={o.currency} />
                  </li>
                ))}
              </ul>
              <p>
                {t('customerOrders.reseller.total')} <Price minor={o.totalMinor} currency={o.currency} />
                {o.state === 'paid' && (
                  <>
                    {' '}
                    · <span data-testid="order-points">{t('customerOrders.reseller.points', { n: o.points })}</span>
                  </>
                )}
                {o.parcels.map((p) => (
                  <span key={p.id}>
                    {' '}
                    · <OrderStatus status={p.status} />
                    {p.trackingNo && (
                      <>
                        {' '}
                        {p.carrier} {p.trackingNo}
                      </>
                    )}
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('customerOrders.reseller.customers')}</h2>
      <div className="table-scroll">
        <table className="data-table" data-testid="customer-list">
          <thead>
            <tr>
              <th>{t('customerOrders.reseller.customer')}</th>
              <th>{t('customerOrders.reseller.orders')}</th>
              <th>{t('customerOrders.reseller.paid')}</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.phone + c.name}>
                <td>
                  {c.name}
                  <br />
                  <span className="muted small">{c.phone}</span>
                </td>
                <td>{c.orders}</td>
                <td>
                  <Price minor={c.paidMinor} currency={c.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('customerOrders.reseller.links')}</h2>
      <ul className="plain" data-testid="link-conversion">
        {links.map((l) => (
          <li key={l.id}>
            <Link to={`/reseller/links/${l.id}`}>{l.sessionTitle}</Link> · {t('customerOrders.reseller.views')}{' '}
            {l.views} → {t('customerOrders.reseller.ordersCount')} {l.orders}
            <ul className="plain small muted">
              {l.items.map((i) => (
                <li key={i.id}>
                  {i.title}: {t('customerOrders.reseller.views')} {i.views} → {t('customerOrders.reseller.units')}{' '}
                  {i.units}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  )
}
