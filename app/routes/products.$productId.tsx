import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { Countdown } from '#app/components/countdown'
import { MemberPriceLabel, PriceLadder } from '#app/components/member-price-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { StockBadge } from '#app/components/stock-badge'
import { productPage } from '#app/services/catalog/storefront.server'
import { BuyBox, useBuyBoxStock } from '#app/components/buy-box'
import { buyBox } from '#app/services/orders/cart.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse, UUID } from '#app/utils/http.server'
import { getUser } from '#app/utils/session.server'
import { FollowButton } from '#app/components/catalog/follow-button'
import { imageLoading, photoSrcSet, productPhotoSources } from '#app/utils/images'
import { localTitle } from '#app/utils/meta'
import { optionLabel } from '#app/components/option-label'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: localTitle(matches, (_t, locale) => data && pick(locale, data.product.title, data.product.titleEn)) },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  invariantResponse(UUID.test(params.productId ?? ''))
  const user = await getUser(request)
  const viewer = user && { role: user.role, vipLevel: user.vip_level }
  const now = new Date()
  const [page, buy] = await Promise.all([
    productPage(getDb(), params.productId!, viewer, now),
    buyBox(getDb(), params.productId!, viewer, now),
  ])
  invariantResponse(page)
  // members can follow the brand (the brands she follows come with her session's lookup)
  const following = user?.role === 'member' ? user.followed_brand_ids.includes(page.product.brandId) : null
  return json({ ...page, following, buy, role: user?.role ?? null })
}

// One column up to 760 px wide, then a picture column of at most 460 px.
const PRODUCT_PHOTO_SIZES = '(max-width: 760px) 100vw, 460px'

export default function ProductPage() {
  const { product, sessions, skus, following, buy, role, photos } = useLoaderData<typeof loader>()
  const { t, i18n } = useFastTranslation()
  const current = sessions[0]
  // One source for every option's stock on this page: the buy box and the size table read the same states.
  const stockOf = useBuyBoxStock(buy)
  const optionFor = (s: { size: string; colour: string }) =>
    buy?.options.find((o) => o.size === s.size && o.colour === s.colour)
  const title = pick(i18n.language, product.title, product.titleEn)
  return (
    <div className="page product-page">
      <div className="product-layout">
        <div className="product-image">
          {photos.length > 1 ? (
            // All the brand's photos, swiped sideways on a phone; the first is the cover and loads first.
            <ul className="gallery" aria-label={t('phone.photos.gallery')}>
              {photos.map((p, i) => (
                <li key={p}>
                  <img
                    src={`/uploads/${p}.webp`}
                    srcSet={photoSrcSet(p)}
                    sizes={PRODUCT_PHOTO_SIZES}
                    alt={i === 0 ? title : t('phone.photos.of', { n: i + 1, total: photos.length })}
                    width={600}
                    height={800}
                    {...imageLoading(i === 0)}
                  />
                </li>
              ))}
            </ul>
          ) : (
            <img
              {...productPhotoSources(product, PRODUCT_PHOTO_SIZES)}
              alt={title}
              width={600}
              height={800}
              {...imageLoading(true)}
            />
          )}
          {product.tagCut && <span className="tag-cut">{t('product.tagCut')}</span>}
        </div>
        <div className="product-info">
          <p className="session-brand">
            {pick(i18n.language, product.brandName, product.brandNameEn)} ·{' '}
            {t(`categories.${product.category}` as 'categories.womens')}
          </p>
          <h1>{title}</h1>
          {following !== null && <FollowButton brandId={product.brandId} following={following} />}
          {current ? (
            <div className="price-box">
              {current.priceMinor !== null ? (
                <p className="wholesale" data-testid="my-price">
                  <MemberPriceLabel />{' '}
                  <Price minor={current.priceMinor} currency={current.currency} className="price big" />
                </p>
              ) : (
                <p className="muted">{t('product.signInForPrice')}</p>
              )}
              {current.ladder && <PriceLadder ladder={current.ladder} currency={current.currency} />}
              {product.tagPriceMinor !== null && (
                <p className="tag-price">
                  <span className="label">{t('product.tagPrice')}</span>{' '}
                  <Price minor={product.tagPriceMinor} currency={product.currency} className="strike" />
                </p>
              )}
              <p>
                {t('product.inSession')}:{' '}
                <Link to={`/sessions/${current.id}`}>{pick(i18n.language, current.title, current.titleEn)}</Link>{' '}
                {current.phase === 'live' ? (
                  <Countdown to={current.endsAt} label={t('home.endsIn')} />
                ) : (
                  <Countdown to={current.startsAt} label={t('home.startsIn')} starting />
                )}
              </p>
            </div>
          ) : (
            <p className="muted">{t('product.notInSession')}</p>
          )}
          {buy && <BuyBox buy={buy} role={role} stockOf={stockOf} />}
          {product.tagCut && <p className="tag-cut-note">{t('product.tagCutNote')}</p>}
          <h2>{t('product.skus')}</h2>
          <table className="sku-table">
            <thead>
              <tr>
                <th>{t('product.colour')}</th>
                <th>{t('product.size')}</th>
                {skus.some((s) => s.barcode) && <th>{t('product.barcode')}</th>}
                <th>{t('product.stock')}</th>
              </tr>
            </thead>
            <tbody>
              {skus.map((s) => (
                <tr key={s.id}>
                  <td>{optionLabel(i18n.language, s.colour, s.colourEn)}</td>
                  <td>{optionLabel(i18n.language, s.size, s.sizeEn)}</td>
                  {s.barcode && (
                    <td>
                      <code>{s.barcode}</code>
                    </td>
                  )}
                  <td>
                    {(() => {
                      const o = optionFor(s)
                      const stock = o ? stockOf(o.id) : s.stock
                      return stock ? <StockBadge stock={stock} /> : '—'
                    })()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {product.description && (
            <>
              <h2>{t('product.description')}</h2>
              <p data-testid="product-description">{pick(i18n.language, product.description, product.descriptionEn)}</p>
            </>
          )}
        </div>
      </div>
    </div>
  )
}
