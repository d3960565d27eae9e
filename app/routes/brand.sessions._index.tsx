import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pick } from '#app/components/pick'
import { brandSessionList } from '#app/services/sessions/brand-sessions.server'
import { requireBrand } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  return json({ sessions: await brandSessionList(getDb(), brandId, new Date()) })
}

export default function BrandSessions() {
  const { sessions } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <div className="page brand-page">
      <div className="page-head">
        <h1>{t('catalog.sessions.title')}</h1>
        <div className="actions">
          <Link className="button" to="/brand/sessions/new">
            {t('catalog.sessions.new')}
          </Link>
        </div>
      </div>
      {sessions.length ? (
        <table className="data-table" data-testid="session-table">
          <thead>
            <tr>
              <th>{t('catalog.sessions.titleZh')}</th>
              <th>{t('catalog.sessions.status')}</th>
              <th>{t('catalog.sessions.window')}</th>
              <th>{t('catalog.sessions.items')}</th>
              <th>{t('catalog.sessions.allocated')}</th>
              <th>{t('catalog.sessions.sold')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>{pick(i18n.language, s.title, s.titleEn)}</td>
                <td>
                  <span className={`phase phase-${s.phase}`}>{t(`session.phase.${s.phase}`)}</span>
                </td>
                <td>
                  {formatDateTime(s.startsAt, i18n.language)} – {formatDateTime(s.endsAt, i18n.language)}
                </td>
                <td>{s.itemCount}</td>
                <td>{s.allocated}</td>
                <td>{s.sold}</td>
                <td>
                  <Link to={`/brand/sessions/${s.id}`}>{t('catalog.sessions.view')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t('catalog.sessions.empty')}</p>
      )}
    </div>
  )
}
