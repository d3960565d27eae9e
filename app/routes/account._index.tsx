import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { InviteCode, ProgressBar } from '#app/components/invite-code'
import { MEMBERSHIP_RULES } from '#app/domain/membership'
import { LedgerPageSchema } from '#app/schemas/membership'
import { memberCentre } from '#app/services/membership/members.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { invariantResponse, parseQuery } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('dashboards.accountTitle')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const query = parseQuery(request, LedgerPageSchema)
  // Always the signed-in member's own centre: no id in the URL to tamper with.
  const centre = await memberCentre(getDb(), user.id, { now: new Date(), page: query.page })
  invariantResponse(centre)
  return json({ displayName: user.display_name, ...centre })
}

export default function AccountHome() {
  const data = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const level = (l: number) => t(`levels.${l}` as 'levels.0')
  const date = (iso: string) => formatDateTime(iso, i18n.language)
  return (
    <div className="page member-centre">
      <h1>{t('dashboards.accountTitle')}</h1>
      <nav className="actions console-links" aria-label={t('dashboards.accountTitle')}>
        <Link className="button secondary" to="/orders">
          {t('orders.nav.orders')}
        </Link>
        <Link className="button secondary" to="/cart">
          {t('orders.nav.cart')}
        </Link>
        <Link className="button secondary" to="/account/addresses">
          {t('orders.addresses.title')}
        </Link>
        <Link className="button secondary" to="/reseller">
          {t('reseller.dashboard.title')}
        </Link>
        <Link className="button secondary" to="/reseller/profile">
          {t('reseller.dashboard.profile')}
        </Link>
        <Link className="button secondary" to="/search">
          {t('search.title')}
        </Link>
      </nav>
      {data.levelChange && (
        <section
          className={`level-notice ${data.levelChange.direction}`}
          role="status"
          data-testid="level-notice"
          aria-label={t('dashboards.accountLevel', { level: level(data.levelChange.to) })}
        >
          <p>
            <strong>
              {t(data.levelChange.direction === 'up' ? 'discounts.change.up' : 'discounts.change.down', {
                from: level(data.levelChange.from),
                to: level(data.levelChange.to),
              })}
            </strong>{' '}
            {data.levelChange.price
              ? t('discounts.change.price', data.levelChange.price)
              : t('discounts.change.priceBase')}
          </p>
          {data.levelChange.direction === 'down' ? (
            <p className="small">
              {data.levelChange.cause === 'retention'
                ? t('discounts.change.downRetention', { from: level(data.levelChange.from) })
                : t('discounts.change.downPoints')}{' '}
              {data.levelChange.pointsBack
                ? t('discounts.change.downNext', {
                    points: data.levelChange.pointsBack,
                    from: level(data.levelChange.from),
                  })
                : null}
            </p>
          ) : (
            <p className="small">{t('discounts.change.upNext')}</p>
          )}
        </section>
      )}
      <section className="level-card">
        <p className="stat">
          {t('dashboards.accountLevel', { level: level(data.vipLevel) })}{' '}
          <span className="badge level-badge" data-testid="level-badge">
            {level(data.vipLevel)}
          </span>
        </p>
        <p data-testid="points">{t('membership.centre.points', { points: data.balance })}</p>
        {data.toNext ? (
          <>
            <ProgressBar
              percent={data.toNext.percent}
              label={t('membership.centre.toNext', {
                level: level(data.toNext.level),
                points: data.toNext.pointsNeeded,
              })}
            />
            <p className="muted" data-testid="to-next">
              {t('membership.centre.toNext', { level: level(data.toNext.level), points: data.toNext.pointsNeeded })}
            </p>
          </>
        ) : (
          <p className="muted">{t('membership.centre.topLevel', { level: level(data.vipLevel) })}</p>
        )}
      </section>

      <section className="keep-card" data-testid="keep">
        <h2>{t('membership.centre.keepTitle')}</h2>
        {data.keep === null ? (
          <p className="muted">{t('membership.centre.keepTrial')}</p>
        ) : (
          <>
            <ProgressBar percent={data.keep.percent} label={t('membership.centre.keepTitle')} />
            <p>{t('membership.centre.keepProgress', { earned: data.keep.earned, keep: data.keep.keepPoints })}</p>
            <p className="muted">
              {data.keep.exemptThisMonth
                ? t('membership.centre.keepExempt', { keep: data.keep.keepPoints })
                : data.keep.pointsNeeded > 0
                  ? t('membership.centre.keepNeeded', {
                      points: data.keep.pointsNeeded,
                      deadline: date(new Date(new Date(data.keep.deadline).getTime() - 60_000).toISOString()),
                      level: level(data.vipLevel),
                    })
                  : t('membership.centre.keepMet')}
            </p>
          </>
        )}
        <p className="small muted">{t('membership.centre.keepRule')}</p>
      </section>

      <section className="level-table-card" id="levels" aria-labelledby="levels-title">
        <h2 id="levels-title">{t('discounts.levels.title')}</h2>
        <p className="small muted">{t('discounts.levels.intro')}</p>
        <table className="level-table keep-table" data-testid="level-table">
          <thead>
            <tr>
              <th scope="col">{t('discounts.levels.level')}</th>
              <th scope="col">{t('discounts.levels.reach')}</th>
              <th scope="col">{t('discounts.levels.price')}</th>
              <th scope="col">{t('discounts.levels.keep')}</th>
            </tr>
          </thead>
          <tbody>
            {data.levels.map((r) => (
              <tr key={r.level} className={r.current ? 'current' : undefined} aria-current={r.current || undefined}>
                <th scope="row">
                  {level(r.level)}
                  {r.current && <span className="you-badge">{t('discounts.levels.you')}</span>}
                </th>
                <td>{r.thresholdPoints.toLocaleString(i18n.language)}</td>
                <td>{r.price ? t('discounts.tier', r.price) : t('discounts.basePrice')}</td>
                <td>{r.keepPointsPerMonth ? r.keepPointsPerMonth : t('discounts.levels.noKeep')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul className="level-perks small">
          <li>{t('discounts.levels.priceNote')}</li>
          <li>
            {t('discounts.levels.perkInviteFrom', { level: level(1), points: MEMBERSHIP_RULES.inviteBonusPoints })}
          </li>
        </ul>
      </section>

      <section className="invite-card">
        <h2>{t('membership.centre.inviteTitle')}</h2>
        {data.inviteCode ? (
          <>
            <InviteCode code={data.inviteCode.code} />
            <p className="muted">{t('membership.centre.inviteUses', { count: data.inviteCode.uses })}</p>
          </>
        ) : (
          <p className="muted" data-testid="invite-locked">
            {t('membership.centre.inviteLocked', {
              threshold: data.vip1Threshold,
              points: Math.max(0, data.vip1Threshold - data.balance),
            })}
          </p>
        )}
        <p className="small muted">{t('membership.centre.inviteRule')}</p>
        <h3>{t('membership.centre.inviteesTitle')}</h3>
        {data.invitees.length === 0 ? (
          <p className="muted">{t('membership.centre.inviteesEmpty')}</p>
        ) : (
          <ul className="invitees" data-testid="invitees">
            {data.invitees.map((i, n) => (
              <li key={n}>
                <strong>{i.name}</strong> {i.contact}{' '}
                <span className="muted">{t('membership.centre.joined', { date: date(i.joinedAt) })}</span>
                {i.bonus ? <span className="badge">{t('membership.centre.bonus', { points: i.bonus })}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h2>{t('membership.centre.ledgerTitle')}</h2>
        {data.ledger.total === 0 ? (
          <p className="muted">{t('membership.centre.ledgerEmpty')}</p>
        ) : (
          <table className="ledger" data-testid="ledger">
            <thead>
              <tr>
                <th>{t('membership.centre.when')}</th>
                <th>{t('membership.centre.reason')}</th>
                <th>{t('membership.centre.change')}</th>
                <th>{t('membership.centre.balanceAfter')}</th>
              </tr>
            </thead>
            <tbody>
              {data.ledger.rows.map((r) => (
                <tr key={r.id}>
                  <td>{date(r.at)}</td>
                  <td>
                    {t(`membership.centre.reasons.${r.reason}`)}
                    {r.retentionMonth ? ` · ${t('membership.centre.retentionNote', { month: r.retentionMonth })}` : ''}
                    {r.note && r.reason === 'operator_grant' ? ` · ${r.note}` : ''}
                  </td>
                  <td className={r.delta > 0 ? 'gain' : 'loss'}>{r.delta > 0 ? `+${r.delta}` : r.delta}</td>
                  <td>{r.balanceAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.ledger.pages > 1 && (
          <nav className="pager" aria-label="pages">
            {data.ledger.page > 1 && <Link to={`?page=${data.ledger.page - 1}`}>{t('membership.centre.prev')}</Link>}
            <span>{t('membership.centre.pageOf', { page: data.ledger.page, pages: data.ledger.pages })}</span>
            {data.ledger.page < data.ledger.pages && (
              <Link to={`?page=${data.ledger.page + 1}`}>{t('membership.centre.next')}</Link>
            )}
          </nav>
        )}
      </section>
    </div>
  )
}
