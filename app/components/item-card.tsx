import { memo } from 'react'
import { useFastTranslation } from './use-fast-translation'
import type { StockState } from '#app/domain/stock'
import { MemberPriceLabel, type PriceViewer } from './member-price-label'
import { pick } from './pick'
import { Price } from './price'
import { StockBadge } from './stock-badge'
import { imageLoading, productImageUrl } from '#app/utils/images'

export interface ItemCardData {
  id: string
  productId: string
  title: string
  titleEn: string
  imageSeed: string
  imagePath?: string | null
  tagCut: boolean
  tagPriceMinor: number | null
  priceMinor: number | null
  currency: string
  stock: StockState
}

/**
 * `eager`: a card in the first screen, whose photo loads first. `viewer`: whose price label to show (the signed-in
 * user of the root loader when not given). Given, the card reads nothing from context but its language, so the
 * session page can keep its cards' markup per level and language. Memoised: a grid re-renders when stock is
 * polled, and a card whose item object did not change is skipped.
 */
export const ItemCard = memo(function ItemCard({
  item,
  eager = false,
  viewer,
}: {
  item: ItemCardData
  eager?: boolean
  viewer?: PriceViewer
}) {
  const { t, i18n } = useFastTranslation()
  return (
    <li className="item-card" data-testid="item-card">
      {/* A plain link: ItemGrid navigates in-app for all cards with one handler. */}
      <a href={`/products/${item.productId}`}>
        <div className="item-image">
          {/* The title follows in the same link: the picture needs no text of its own. */}
          <img src={productImageUrl(item, true)} alt="" width={300} height={400} {...imageLoading(eager)} />
          {item.tagCut && <span className="tag-cut">{t('product.tagCut')}</span>}
        </div>
        <h2>{pick(i18n.language, item.title, item.titleEn)}</h2>
      </a>
      <div className="item-prices">
        {item.priceMinor !== null ? (
          <span className="wholesale">
            <MemberPriceLabel viewer={viewer} /> <Price minor={item.priceMinor} currency={item.currency} />
          </span>
        ) : (
          <span className="muted">{t('product.signInForPrice')}</span>
        )}
        {item.tagPriceMinor !== null && (
          <span className="tag-price">
            <span className="label">{t('product.tagPrice')}</span>{' '}
            <Price minor={item.tagPriceMinor} currency={item.currency} className="strike" />
          </span>
        )}
      </div>
      <StockBadge stock={item.stock} />
    </li>
  )
})
