import { useFastTranslation } from './use-fast-translation'
import type { StockState } from '#app/domain/stock'

export function StockBadge({ stock }: { stock: StockState }) {
  const { t } = useFastTranslation()
  if (stock.kind === 'sold_out') return <span className="stock sold-out">{t('product.soldOut')}</span>
  if (stock.kind === 'low') {
    return (
      <span className="stock low">
        {stock.left === undefined ? t('orders.buy.fewLeft') : t('product.lowStock', { count: stock.left })}
      </span>
    )
  }
  return <span className="stock in">{t('product.inStock')}</span>
}
