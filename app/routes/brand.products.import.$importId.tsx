import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { brandImportStatus } from '#app/services/catalog/import.server'
import { requireBrand, requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const status = await brandImportStatus(getDb(), brandId, requireUuid(params.importId))
  if (!status) throw new Response('Not found', { status: 404 })
  return json(status)
}

export default function ImportProgress() {
  const s = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const revalidator = useRevalidator()
  const active = s.status === 'queued' || s.status === 'running'
  // Live progress: re-run the loader every 700 ms while the job works.
  useEffect(() => {
    if (!active) return
    const id = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 700)
    return () => clearInterval(id)
  }, [active, revalidator])
  const pct = s.totalRows ? Math.round((s.processedRows / s.totalRows) * 100) : active ? 0 : 100
  const reasons = 'catalog.import.reasons'
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/products/import">← {t('catalog.import.title')}</Link> ·{' '}
        <Link to="/brand/products">{t('catalog.import.back')}</Link>
      </p>
      <h1>{s.fileName}</h1>
      <p className={`import-status status-${s.status}`} data-testid="import-status">
        {t(`catalog.import.status.${s.status}`)}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={t('catalog.import.progress', { processed: s.processedRows, total: s.totalRows })}
      >
        <div className="progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <p>
        {t('catalog.import.progress', { processed: s.processedRows, total: s.totalRows })} ({pct}%)
      </p>
      {!active && (
        <p data-testid="import-summary">
          {t('catalog.import.summary', {
            ok: s.okRows,
            created: s.productsCreated,
            updated: s.productsUpdated,
            errors: s.errorCount,
          })}
        </p>
      )}
      <h2>{t('catalog.import.errors')}</h2>
      {s.errorCount ? (
        <>
          <p>
            <a href={`/brand/products/import/${s.id}/errors.csv`} download>
              {t('catalog.import.downloadErrors')}
            </a>
          </p>
          <table className="data-table" data-testid="import-errors">
            <thead>
              <tr>
                <th>{t('catalog.import.row')}</th>
                <th>{t('catalog.import.column')}</th>
                <th>{t('catalog.import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {s.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row}</td>
                  <td>
                    <code>{e.column}</code>
                  </td>
                  <td>
                    {t(`${reasons}.${e.reason}` as 'catalog.import.reasons.required', { defaultValue: e.reason })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.errorCount > s.errors.length && <p className="muted">{t('catalog.import.more')}</p>}
        </>
      ) : (
        <p className="muted">{active ? '…' : t('catalog.import.noErrors')}</p>
      )}
    </div>
  )
}
