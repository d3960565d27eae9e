import type { ReactNode } from 'react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { CopyButton } from './copy-button'
import { LanguageSwitch } from './language-switch'
import { preloadPicker } from './offer-sheet'
import { pick } from './pick'
import { Price } from './price'
import { imageLoading, productImageUrl } from '#app/utils/images'

/**
 * The frame of a reseller's own pages (her shop /shop/<handle> and her share lists /s/<token>). These pages are
 * hers, not the platform's: her name, avatar and contact, no platform navigation and no link to wholesale pages
 * (routes that use it set `handle: { storefront: true }`, which drops the site header in root.tsx).
 *
 * Customer ordering plugs in through two slots:
 * - `bag` (here): the customer's bag and checkout button, fixed to the bottom of the screen; the page leaves room.
 * - `onChoose` (on OfferCard): a 选购 button that opens the page's one picker sheet (`useOfferSheet`) for the
 *   item; `onPrepare` starts loading the picker and the item's options when it is pressed. Pages pass it only for items that can be bought (`buyable` and in stock); OfferCard never shows it
 *   otherwise.
 */
export function Storefront({
  reseller,
  children,
  bag,
}: {
  reseller: StorefrontReseller
  children: ReactNode
  bag?: ReactNode
}) {
  // Without a bag her customers order by messaging her: her contact stays under the thumb instead.
  const bar = bag ?? (reseller.wechatId || reseller.phone ? <ContactBar reseller={reseller} /> : null)
  return (
    <div className={`storefront${bar ? ' has-bag' : ''}${bar && !bag ? ' has-contact-bar' : ''}`}>
      <header className="storefront-head">
        <Avatar name={reseller.name} />
        <div className="storefront-who">
          <p className="storefront-name" data-testid="storefront-name">
            {reseller.name}
          </p>
          <ResellerContact reseller={reseller} compact />
        </div>
        <LanguageSwitch />
      </header>
      {children}
      <footer className="storefront-foot" data-testid="share-contact">
        <ResellerContact reseller={reseller} />
      </footer>
      {bar && (
        <div className="storefront-bag" data-testid={bag ? 'storefront-bag' : 'contact-bar'}>
          {bar}
        </div>
      )}
    </div>
  )
}

/** "To order, add me on WeChat": one tap copies her WeChat ID (WeChat cannot open a chat from a link), or calls her. */
function ContactBar({ reseller }: { reseller: StorefrontReseller }) {
  const { t } = useFastTranslation()
  return (
    <div className="contact-bar">
      <p className="contact-bar-text">{t('shop.public.orderBar')}</p>
      {reseller.phone && (
        <a className="button" href={`tel:${reseller.phone}`}>
          {t('shop.public.call')}
        </a>
      )}
      {reseller.wechatId && (
        <CopyButton text={reseller.wechatId} label={t('shop.public.copyWechat')} className="button primary" />
      )}
    </div>
  )
}

export interface StorefrontReseller {
  name: string
  wechatId: string | null
  phone: string | null
}

/** A round avatar with her initial, coloured from her name (no upload needed, nothing fetched). */
export function Avatar({ name }: { name: string }) {
  let h = 0
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360
  const initial = [...name.replace(/^[\s\p{P}]+/u, '')][0]?.toUpperCase() ?? '·'
  return (
    <span className="avatar" aria-hidden style={{ background: `hsl(${h} 55% 45%)` }}>
      {initial}
    </span>
  )
}

export function ResellerContact({ reseller, compact = false }: { reseller: StorefrontReseller; compact?: boolean }) {
  const { t } = useFastTranslation()
  // The footer names her even without a contact: the customer reached the page through her.
  if (compact && !reseller.wechatId && !reseller.phone) return null
  return (
    <div className={compact ? 'contact compact' : 'contact'}>
      {!compact && <h2>{t('reseller.share.contact', { name: reseller.name })}</h2>}
      {reseller.wechatId && (
        <p>
          <span className="label">{t('shop.public.wechat')}</span>{' '}
          <strong data-testid="wechat-id">{reseller.wechatId}</strong>{' '}
          <CopyButton text={reseller.wechatId} label={t('shop.public.copyWechat')} />
        </p>
      )}
      {reseller.phone && !compact && (
        <p>
          <span className="label">{t('shop.public.phone')}</span> <a href={`tel:${reseller.phone}`}>{reseller.phone}</a>
        </p>
      )}
    </div>
  )
}

export interface OfferCardItem {
  id: string
  title: string
  titleEn: string
  imageSeed: string
  imagePath?: string | null
  tagCut: boolean
  priceMinor: number
  currency: string
  availability: 'in_stock' | 'sold_out'
  sizesLeft: string[]
  sizesLeftEn: string[]
  buyable: boolean
}

/**
 * One item as her customers see it, compact enough for two to a row on a phone: the photo, the title (two lines at
 * most), her price, the sizes still in stock, or sold out; unavailable when its price broke a floor. `eager`: a card
 * in the first screen, its photo loads first; `heading`: the level that follows the page's.
 */
export function OfferCard({
  item,
  onChoose,
  onPrepare = preloadPicker,
  eager = false,
  heading: Heading = 'h3',
}: {
  item: OfferCardItem
  onChoose?: () => void
  /** Called when the 选购 button is pressed, before its click: the picker and the item's options start loading. */
  onPrepare?: () => void
  eager?: boolean
  heading?: 'h2' | 'h3'
}) {
  const { t, i18n } = useFastTranslation()
  const title = pick(i18n.language, item.title, item.titleEn)
  const sizes = i18n.language.startsWith('en') ? item.sizesLeftEn : item.sizesLeft
  const inStock = item.availability === 'in_stock'
  return (
    <li
      className={`offer${item.buyable ? '' : ' unbuyable'}${item.buyable && !inStock ? ' sold-out' : ''}`}
      data-testid="offer"
      data-item-id={item.id}
    >
      <div className="offer-image">
        <img src={productImageUrl(item, true)} alt={title} width={300} height={400} {...imageLoading(eager)} />
        {item.tagCut && <span className="tag-cut">{t('shop.public.tagCut')}</span>}
        {item.buyable && !inStock && (
          <span className="offer-sold-out" data-testid="availability">
            {t('shop.public.soldOut')}
          </span>
        )}
      </div>
      <div className="offer-body">
        <Heading>{title}</Heading>
        {item.buyable ? (
          <div className="offer-buy">
            <p className="offer-price">
              <Price minor={item.priceMinor} currency={item.currency} className="price big" />
            </p>
            {inStock && onChoose && (
              <button
                type="button"
                className="button offer-choose"
                aria-label={t('shop.public.chooseLabel', { item: title })}
                onClick={onChoose}
                onPointerDown={onPrepare}
              >
                {t('shop.public.choose')}
              </button>
            )}
          </div>
        ) : (
          <p className="offer-unavailable" data-testid="unavailable">
            {t('shop.public.unavailable')}
          </p>
        )}
        {item.buyable && inStock && (
          <p className="offer-sizes">
            <span className="sr-only" data-testid="availability">
              {t('shop.public.inStock')} ·{' '}
            </span>
            {sizes.length > 0 && (
              <>
                <span className="label">{t('shop.public.sizes')}</span> {sizes.join(' / ')}
              </>
            )}
          </p>
        )}
      </div>
    </li>
  )
}
