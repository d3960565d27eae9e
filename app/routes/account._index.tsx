import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json({ displayName: user.display_name, vipLevel: user.vip_level })
}

export default function AccountHome() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <div className="page">
      <h1>{t('dashboards.accountTitle')}</h1>
      <p className="stat">{t('dashboards.accountLevel', { level: t(`levels.${data.vipLevel}` as 'levels.0') })}</p>
    </div>
  )
}
