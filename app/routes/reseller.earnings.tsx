import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Price } from '#app/components/price'
import { resellerEarnings } from '#app/services/customer-orders/earnings.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requestClock } from '#app/utils/clock.server'
import { localTitle } from '#app/utils/meta'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('customerOrders.reseller.earnings')) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json(await resellerEarnings(getDb(), user.id, requestClock(request)))
}

export default function ResellerEarnings() {
  const { balance, currency, history } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page reseller-page" data-testid="reseller-earnings">
      <div className="reseller-head">
        <h1>{t('customerOrders.reseller.earnings')}</h1>
        <Link to="/reseller/customers" className="button">
          {t('customerOrders.reseller.title')}
        </Link>
      </div>
      <dl className="balance">
        <div>
          <dt>{t('customerOrders.reseller.pending')}</dt>
          <dd data-testid="pending">
            <Price minor={balance.pendingMinor} currency={currency} className="price big" />
          </dd>
        </div>
        <div>
          <dt>{t('customerOrders.reseller.available')}</dt>
          <dd data-testid="available">
            <Price minor={balance.availableMinor} currency={currency} className="price big" />
          </dd>
        </div>
      </dl>
      <p className="muted small">{t('customerOrders.reseller.singleLevel')}</p>
      <p className="muted small">{t('customerOrders.reseller.releaseRule')}</p>
      <h2>{t('customerOrders.reseller.history')}</h2>
      {history.length === 0 ? (
        <p className="muted">{t('customerOrders.reseller.noEarnings')}</p>
      ) : (
        <ul className="plain earnings" data-testid="earnings-history">
          {history.map((h) => (
            <li key={h.id} data-testid="earning-row" data-kind={h.event}>
              <strong>{t(`customerOrders.reseller.event.${h.event}`)}</strong>{' '}
              {h.event === 'released' ? (
                <Price minor={h.availableMinor} currency={h.currency} />
              ) : (
                <Price minor={h.pendingMinor + h.availableMinor} currency={h.currency} />
              )}
              {h.customerName && <> · {h.customerName}</>}
              {h.session && <> · {h.session}</>}
              <br />
              <span className="muted small">{formatDateTime(h.at, i18n.language)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
