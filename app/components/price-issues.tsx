import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatMoney, type Currency } from '#app/domain/money'
import { pick } from './pick'

export interface PriceIssueView {
  itemId: string
  title: string
  titleEn: string
  currency: string
  priceMinor: number
  violation: { floor: 'own_price' | 'min_retail'; floorMinor: number }
  repricedMinor: number
  inShop: boolean
  shareLinkIds: string[]
}

/**
 * Her prices that customers still see and that now break a floor, with the one-step re-price. Shown to her only
 * (her own price and the brand's minimum are hers to see); the form posts to her shop page from anywhere.
 */
export function PriceIssues({ issues, fixed }: { issues: PriceIssueView[]; fixed?: number | null }) {
  const { t, i18n } = useTranslation()
  const money = (minor: number, currency: string) =>
    formatMoney({ amountMinor: minor, currency: currency as Currency }, i18n.language)
  if (fixed != null && !issues.length)
    return (
      <p className="form-ok" role="status" data-testid="repriced">
        {t('shop.issues.fixed', { count: fixed })}
      </p>
    )
  if (!issues.length) return null
  return (
    <section className="price-issues" role="alert" data-testid="price-issues" aria-labelledby="price-issues-title">
      <h2 id="price-issues-title">{t('shop.issues.title', { count: issues.length })}</h2>
      <p className="small">{t('shop.issues.intro')}</p>
      <ul>
        {issues.map((i) => (
          <li key={`${i.itemId}:${i.priceMinor}`} data-testid="price-issue">
            {t('shop.issues.line', {
              title: pick(i18n.language, i.title, i.titleEn),
              price: money(i.priceMinor, i.currency),
              floor: t(i.violation.floor === 'min_retail' ? 'reseller.session.floorMin' : 'reseller.session.floorOwn'),
              floorPrice: money(i.violation.floorMinor, i.currency),
              fixed: money(i.repricedMinor, i.currency),
            })}
            <span className="muted small">
              {' '}
              ·{' '}
              {t('shop.issues.where', {
                where: [
                  i.inShop ? t('shop.issues.shop') : null,
                  i.shareLinkIds.length ? t('shop.issues.links', { count: i.shareLinkIds.length }) : null,
                ]
                  .filter(Boolean)
                  .join(' · '),
              })}
            </span>
          </li>
        ))}
      </ul>
      <Form method="post" action="/reseller/shop">
        <input type="hidden" name="intent" value="reprice" />
        <button type="submit" className="button primary">
          {t('shop.issues.fix')}
        </button>
      </Form>
    </section>
  )
}
