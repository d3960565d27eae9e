import { useTranslation } from 'react-i18next'

export function OrderStatus({ status, late }: { status: string; late?: boolean }) {
  const { t } = useTranslation()
  return (
    <span className={`order-status status-${status}`}>
      {t(`orders.status.${status}` as 'orders.status.paid')}
      {late && <span className="late-flag"> · {t('orders.orders.late')}</span>}
    </span>
  )
}
