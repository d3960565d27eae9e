import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { brandOverview } from '#app/services/dashboards.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  return json({ brandName: user.brand_name ?? '', ...(await brandOverview(getDb(), user.brand_id!)) })
}

export default function BrandHome() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <div className="page">
      <h1>{t('dashboards.brandTitle', { brand: data.brandName })}</h1>
      <p>{t('dashboards.brandIntro')}</p>
      <p className="stat">{t('dashboards.brandSessions', { count: data.sessions })}</p>
    </div>
  )
}
