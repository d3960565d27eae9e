import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { reconciliation } from '#app/services/ledger/reports.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  return json(await reconciliation(getDb(), { now: new Date() }))
}

type Row = {
  inMinor: number
  outMinor: number
  commissionMinor: number
  otherIncomeMinor: number
  heldMinor: number
  differenceMinor: number
}

export default function AdminLedger() {
  const { days, sessions, total, currency } = useLoaderData<typeof loader>()
  const { t, i18n } = useFastTranslation()
  const cells = (r: Row) => (
    <>
      <td>
        <Price minor={r.inMinor} currency={currency} />
      </td>
      <td>
        <Price minor={r.outMinor} currency={currency} />
      </td>
      <td>
        <Price minor={r.commissionMinor} currency={currency} />
      </td>
      <td>
        <Price minor={r.otherIncomeMinor} currency={currency} />
      </td>
      <td>
        <Price minor={r.heldMinor} currency={currency} />
      </td>
      <td data-testid="difference" className={r.differenceMinor === 0 ? 'ok' : 'late'}>
        <Price minor={r.differenceMinor} currency={currency} />
      </td>
    </>
  )
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th>{t('payouts.ledger.in')}</th>
        <th>{t('payouts.ledger.out')}</th>
        <th>{t('payouts.ledger.commission')}</th>
        <th>{t('payouts.ledger.otherIncome')}</th>
        <th>{t('payouts.ledger.held')}</th>
        <th>{t('payouts.ledger.difference')}</th>
      </tr>
    </thead>
  )
  return (
    <div className="page">
      <h1>{t('payouts.ledger.title')}</h1>
      <nav className="tabs">
        <Link to="/admin/payouts">{t('payouts.nav.admin')}</Link>{' '}
        <Link to="/admin/deposits">{t('payouts.nav.deposits')}</Link>
      </nav>
      <p className="muted">{t('payouts.ledger.intro')}</p>
      <div className="table-scroll">
        <table className="data-table" data-testid="ledger-total">
          {head('')}
          <tbody>
            <tr>
              <th>{t('payouts.ledger.total')}</th>
              {cells(total)}
            </tr>
          </tbody>
        </table>
      </div>
      <h2>{t('payouts.ledger.byDay')}</h2>
      {days.length ? (
        <div className="table-scroll">
          <table className="data-table">
            {head(t('payouts.ledger.day'))}
            <tbody>
              {days.map((d) => (
                <tr key={d.key}>
                  <td>{d.key}</td>
                  {cells(d)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t('payouts.ledger.empty')}</p>
      )}
      <h2>{t('payouts.ledger.bySession')}</h2>
      {sessions.length ? (
        <div className="table-scroll">
          <table className="data-table">
            {head(t('payouts.ledger.session'))}
            <tbody>
              {sessions.map((s) => (
                <tr key={s.key ?? 'none'}>
                  <td>
                    {s.key
                      ? `${pick(i18n.language, s.brandName ?? '', s.brandNameEn ?? '')} · ${pick(i18n.language, s.title ?? '', s.titleEn ?? '')}`
                      : t('payouts.ledger.noSession')}
                  </td>
                  {cells(s)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t('payouts.ledger.empty')}</p>
      )}
    </div>
  )
}
