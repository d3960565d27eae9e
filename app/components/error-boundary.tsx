import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

const REASONS = ['control_characters', 'out_of_range', 'malformed'] as const
/** The reason the server's input guard gave for a 400 (app/server/input-guard.ts), if it was one. */
function badInputReason(error: unknown): (typeof REASONS)[number] | null {
  const reason =
    isRouteErrorResponse(error) && error.data && typeof error.data === 'object'
      ? (error.data as { reason?: unknown }).reason
      : null
  return REASONS.find((r) => r === reason) ?? null
}

/** One boundary for the whole app: known statuses get their own words, anything else a generic page. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (!isRouteErrorResponse(error) && typeof document !== 'undefined') console.error(error)
  const [title, body] =
    status === 404
      ? [t('errors.notFoundTitle'), t('errors.notFoundBody')]
      : status === 403
        ? [t('errors.forbiddenTitle'), t('errors.forbiddenBody')]
        : status === 400
          ? [
              t('errors.badRequest'),
              badInputReason(error) ? t(`errors.badInput.${badInputReason(error)!}`) : t('errors.badRequest'),
            ]
          : [t('errors.genericTitle'), t('errors.genericBody')]
  return (
    <section className="error-page" data-status={status}>
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <Link to="/" className="button">
        {t('errors.backHome')}
      </Link>
    </section>
  )
}
