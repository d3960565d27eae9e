import { useTranslation } from 'react-i18next'
import { Price } from './price'
import { formatDateTime } from '#app/utils/format'

export interface SettlementRow {
  id: string
  sessionTitle: string
  brandName: string
  startsAt: string
  paidMinor: number
  refundedMinor: number
  commissionBps: number
  commissionMinor: number
  payableMinor: number
  currency: string
  orderCount: number
}

export function SettlementTable({ rows, showBrand }: { rows: SettlementRow[]; showBrand: boolean }) {
  const { t, i18n } = useTranslation()
  if (!rows.length) return <p className="empty">{t('orders.settlements.none')}</p>
  return (
    <table className="data-table">
      <thead>
        <tr>
          {showBrand && <th>{t('orders.settlements.brand')}</th>}
          <th>{t('orders.settlements.session')}</th>
          <th>{t('orders.settlements.orders')}</th>
          <th>{t('orders.settlements.paid')}</th>
          <th>{t('orders.settlements.refunds')}</th>
          <th>{t('orders.settlements.commission')}</th>
          <th>{t('orders.settlements.payable')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            {showBrand && <td>{r.brandName}</td>}
            <td>
              {r.sessionTitle}
              <br />
              <span className="muted">{formatDateTime(r.startsAt, i18n.language)}</span>
            </td>
            <td>{r.orderCount}</td>
            <td>
              <Price minor={r.paidMinor} currency={r.currency} />
            </td>
            <td>
              <Price minor={r.refundedMinor} currency={r.currency} />
            </td>
            <td>
              <Price minor={r.commissionMinor} currency={r.currency} />{' '}
              <span className="muted">({r.commissionBps / 100}%)</span>
            </td>
            <td>
              <strong>
                <Price minor={r.payableMinor} currency={r.currency} />
              </strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
