import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { PriceIssues } from '#app/components/price-issues'
import { resellerDashboard } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { productImageUrl } from '#app/utils/images'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('reseller.dashboard.title')) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json(await resellerDashboard(getDb(), user, new Date()))
}

export default function ResellerHome() {
  const { sessions, links, issues } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page reseller-page">
      <div className="reseller-head">
        <h1>{t('reseller.dashboard.title')}</h1>
        <span className="row">
          <Link to="/reseller/shop" className="button">
            {t('shop.nav')}
          </Link>
          <Link to="/reseller/customers" className="button">
            {t('customerOrders.reseller.nav')}
          </Link>
          <Link to="/reseller/earnings" className="button">
            {t('customerOrders.reseller.earnings')}
          </Link>
          <Link to="/reseller/profile" className="button">
            {t('reseller.dashboard.profile')}
          </Link>
        </span>
      </div>
      <PriceIssues issues={issues} />
      <p className="muted">{t('reseller.dashboard.intro')}</p>
      <h2>{t('reseller.dashboard.sessions')}</h2>
      {sessions.length ? (
        <ul className="reseller-sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              <span className={`phase phase-${s.phase}`}>{t(`session.phase.${s.phase}` as 'session.phase.live')}</span>{' '}
              <strong>{pick(i18n.language, s.title, s.titleEn)}</strong>{' '}
              <Countdown
                to={s.phase === 'live' ? s.endsAt : s.startsAt}
                label={t(s.phase === 'live' ? 'home.endsIn' : 'home.startsIn')}
                starting={s.phase !== 'live'}
              />{' '}
              <Link to={`/reseller/sessions/${s.id}`} className="button small">
                {t('reseller.dashboard.pick')}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t('reseller.dashboard.noSessions')}</p>
      )}
      <h2>{t('reseller.dashboard.links')}</h2>
      {links.length ? (
        <ul className="reseller-links" data-testid="reseller-links">
          {links.map((l) => (
            <li key={l.id} className={l.revoked ? 'revoked' : ''}>
              <div className="reseller-link-head">
                <Link to={`/reseller/links/${l.id}`}>
                  {l.kind === 'list'
                    ? t('reseller.dashboard.list', { count: l.items.length })
                    : t('reseller.dashboard.single')}
                  {' · '}
                  {pick(i18n.language, l.sessionTitle, l.sessionTitleEn)}
                </Link>
                <span className="muted">
                  {t('reseller.dashboard.created', { time: formatDateTime(l.createdAt, i18n.language) })}
                </span>
                <span className="views">{t('reseller.dashboard.views', { count: l.views })}</span>
                {l.revoked && <span className="stock sold-out">{t('reseller.dashboard.revoked')}</span>}
              </div>
              <ul className="reseller-link-items">
                {l.items.map((i) => (
                  <li key={i.id}>
                    <img src={productImageUrl(i, true)} alt="" width={36} height={48} />
                    <span>{pick(i18n.language, i.title, i.titleEn)}</span>
                    <Price minor={i.priceMinor} currency={i.currency} />
                    <span className="muted">{t('reseller.link.itemViews', { count: i.views })}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t('reseller.dashboard.noLinks')}</p>
      )}
    </div>
  )
}
