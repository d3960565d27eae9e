import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { operatorOverview } from '#app/services/dashboards.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  return json(await operatorOverview(getDb()))
}

export default function AdminHome() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <div className="page">
      <h1>{t('dashboards.adminTitle')}</h1>
      <p>{t('dashboards.adminIntro')}</p>
      <p className="stat" data-testid="pending-applications">{t('dashboards.pendingApplications', { count: data.pendingApplications })}</p>
    </div>
  )
}
