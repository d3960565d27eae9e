import { useFastTranslation } from './use-fast-translation'
import { formatMoney, type Currency } from '#app/domain/money'

export function Price({ minor, currency, className }: { minor: number; currency: string; className?: string }) {
  const { i18n } = useFastTranslation()
  return (
    <span className={className ?? 'price'}>
      {formatMoney({ amountMinor: minor, currency: currency as Currency }, i18n.language)}
    </span>
  )
}
