import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SalesChart } from '#app/components/catalog/sales-chart'
import { Countdown } from '#app/components/countdown'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { brandDashboard } from '#app/services/sessions/brand-dashboard.server'
import { requireBrand } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { UUID } from '#app/utils/http.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, brandId } = await requireBrand(request)
  const chart = new URL(request.url).searchParams.get('session')
  const data = await brandDashboard(getDb(), brandId, new Date(), chart && UUID.test(chart) ? chart : undefined)
  return json({ brandName: user.brand_name ?? '', brandNameEn: user.brand_name_en ?? null, ...data })
}

const pct = (bps: number) => `${(bps / 100).toFixed(1)}%`

export default function BrandHome() {
  const { brandName, brandNameEn, sessions, totals, chart, toShip } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <h1>{t('dashboards.brandTitle', { brand: pick(i18n.language, brandName, brandNameEn) })}</h1>
      <p>{t('dashboards.brandIntro')}</p>
      <p className="stat">{t('dashboards.brandSessions', { count: sessions.length })}</p>
      <nav className="actions" aria-label={t('catalog.dashboard.links')}>
        <Link className="button secondary" to="/brand/products">
          {t('catalog.nav.products')}
        </Link>
        <Link className="button secondary" to="/brand/sessions">
          {t('catalog.nav.sessions')}
        </Link>
        <Link className="button secondary" to="/brand/products/import">
          {t('catalog.products.import')}
        </Link>
        <Link className="button secondary" to="/brand/products/new">
          {t('catalog.products.new')}
        </Link>
        <Link className="button secondary" to="/brand/sessions/new">
          {t('catalog.sessions.new')}
        </Link>
        <Link className="button secondary" to="/brand/orders">
          {t('orders.nav.brandOrders')}
        </Link>
        <Link className="button secondary" to="/brand/settlements">
          {t('orders.nav.settlements')}
        </Link>
        <Link className="button secondary" to="/brand/deposit">
          {t('onboarding.deposit.title')}
        </Link>
      </nav>
      <section
        className={`to-ship-card${toShip.late > 0 ? ' has-late' : ''}`}
        data-testid="dashboard-to-ship"
        aria-labelledby="to-ship-title"
      >
        <h2 id="to-ship-title">{t('catalog.dashboard.toShip')}</h2>
        {toShip.count === 0 ? (
          <p className="muted">{t('catalog.dashboard.toShipNone')}</p>
        ) : (
          <>
            <p>
              <strong data-testid="to-ship-count">{t('catalog.dashboard.toShipCount', { count: toShip.count })}</strong>
              {toShip.late > 0 && (
                <>
                  {' '}
                  <span className="badge late" data-testid="to-ship-late">
                    {t('catalog.dashboard.lateCount', { count: toShip.late })}
                  </span>
                </>
              )}
            </p>
            {toShip.nearestShipByAt && toShip.nearestLate && (
              <p data-testid="to-ship-overdue">
                <span className="muted">{t('catalog.dashboard.nearestDeadline')}</span>{' '}
                {formatDateTime(toShip.nearestShipByAt, i18n.language)}{' '}
                <span className="badge late">{t('catalog.dashboard.late')}</span>
              </p>
            )}
            {toShip.nextShipByAt && (
              <p data-testid="to-ship-next">
                <Countdown
                  reloads={false}
                  to={toShip.nextShipByAt}
                  label={t(toShip.nearestLate ? 'catalog.dashboard.nextDeadline' : 'catalog.dashboard.nearestDeadline')}
                />{' '}
                <span className="muted small">{formatDateTime(toShip.nextShipByAt, i18n.language)}</span>
              </p>
            )}
          </>
        )}
        <Link className="button" to="/brand/orders">
          {t('catalog.dashboard.goShip')}
        </Link>
      </section>
      {chart && (
        <section className="chart-card">
          <h2>{t('catalog.dashboard.chart')}</h2>
          <p className="muted">
            {t('catalog.dashboard.chartFor', { title: pick(i18n.language, chart.title, chart.titleEn) })}
          </p>
          <SalesChart perHour={chart.perHour} elapsedHours={chart.elapsedHours} />
        </section>
      )}
      <h2>{t('catalog.dashboard.sessions')}</h2>
      {sessions.length === 0 && (
        <p className="empty" data-testid="dashboard-empty">
          {t('catalog.sessions.empty')}
        </p>
      )}
      <table className="data-table" data-testid="dashboard-sessions">
        <thead>
          <tr>
            <th>{t('catalog.dashboard.sessionTitle')}</th>
            <th>{t('catalog.sessions.status')}</th>
            <th>{t('catalog.dashboard.allocated')}</th>
            <th>{t('catalog.dashboard.sold')}</th>
            <th>{t('catalog.dashboard.remaining')}</th>
            <th>{t('catalog.dashboard.sellThrough')}</th>
            <th>{t('catalog.dashboard.soldValue')}</th>
            <th>{t('catalog.dashboard.revenue')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} className={chart?.sessionId === s.id ? 'selected' : undefined}>
              <td>
                <Link to={`/brand/sessions/${s.id}`}>{pick(i18n.language, s.title, s.titleEn)}</Link>
                <br />
                <span className="muted small">{formatDateTime(s.startsAt, i18n.language)}</span>
              </td>
              <td data-label={t('catalog.sessions.status')}>
                <span className={`phase phase-${s.phase}`}>{t(`session.phase.${s.phase}`)}</span>
              </td>
              <td data-label={t('catalog.dashboard.allocated')}>{s.allocated}</td>
              <td data-label={t('catalog.dashboard.sold')}>{s.sold}</td>
              <td data-label={t('catalog.dashboard.remaining')}>{s.remaining}</td>
              <td data-label={t('catalog.dashboard.sellThrough')}>
                <span className="bar">
                  <span style={{ width: pct(s.sellThroughBps) }} />
                </span>{' '}
                {pct(s.sellThroughBps)}
              </td>
              <td data-label={t('catalog.dashboard.soldValue')}>
                <Price minor={s.soldValueMinor} currency="CNY" />
              </td>
              <td data-testid="session-revenue" data-label={t('catalog.dashboard.revenue')}>
                <Price minor={s.revenueMinor} currency="CNY" />
                {s.orders > 0 && (
                  <>
                    <br />
                    <span className="muted small">{t('catalog.dashboard.ordersCount', { count: s.orders })}</span>
                  </>
                )}
              </td>
              <td>
                {(s.phase === 'live' || s.phase === 'ended') && (
                  <Link to={`?session=${s.id}`}>{t('catalog.dashboard.choose')}</Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t('catalog.dashboard.totals')}</th>
            <td />
            <td data-label={t('catalog.dashboard.allocated')}>{totals.allocated}</td>
            <td data-label={t('catalog.dashboard.sold')}>{totals.sold}</td>
            <td data-label={t('catalog.dashboard.remaining')}>{totals.remaining}</td>
            <td data-label={t('catalog.dashboard.sellThrough')}>
              {totals.allocated ? pct(totals.sellThroughBps) : '—'}
            </td>
            <td data-label={t('catalog.dashboard.soldValue')}>
              <Price minor={totals.soldValueMinor} currency="CNY" />
            </td>
            <td data-label={t('catalog.dashboard.revenue')}>
              <Price minor={totals.revenueMinor} currency="CNY" />
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
