import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** One boundary for the whole app: known statuses get their own words, anything else a generic page. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (!isRouteErrorResponse(error) && typeof document !== 'undefined') console.error(error)
  const [title, body] =
    status === 404 ? [t('errors.notFoundTitle'), t('errors.notFoundBody')]
    : status === 403 ? [t('errors.forbiddenTitle'), t('errors.forbiddenBody')]
    : status === 400 ? [t('errors.badRequest'), t('errors.badRequest')]
    : [t('errors.genericTitle'), t('errors.genericBody')]
  return (
    <section className="error-page" data-status={status}>
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <Link to="/" className="button">{t('errors.backHome')}</Link>
    </section>
  )
}
