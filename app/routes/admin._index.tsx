import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { operatorOverview } from '#app/services/onboarding/operator-overview.server'
import { onboardingOverview } from '#app/services/onboarding/brand-admin.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const [overview, onboarding] = await Promise.all([operatorOverview(getDb()), onboardingOverview(getDb())])
  return json({ ...overview, onboarding })
}

export default function AdminHome() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <div className="page">
      <h1>{t('dashboards.adminTitle')}</h1>
      <p>{t('dashboards.adminIntro')}</p>
      <p className="stat" data-testid="pending-applications">
        {t('dashboards.pendingApplications', { count: data.pendingApplications })}
      </p>
      <div className="admin-cards">
        <Link to="/admin/applications" className="admin-card" data-testid="admin-applications">
          <strong>{t('onboarding.admin.applications')}</strong>
          <span>{t('onboarding.admin.overviewApplications', { count: data.onboarding.pendingApplications })}</span>
        </Link>
        <Link to="/admin/brands" className="admin-card" data-testid="admin-brands">
          <strong>{t('onboarding.admin.brands')}</strong>
          <span>{t('onboarding.admin.overviewLive', { count: data.onboarding.live })}</span>
          <span>{t('onboarding.admin.overviewAwaiting', { count: data.onboarding.awaitingDeposit })}</span>
          <span>{t('onboarding.admin.overviewSuspended', { count: data.onboarding.suspended })}</span>
        </Link>
        <Link to="/admin/audit" className="admin-card" data-testid="admin-audit">
          <strong>{t('onboarding.admin.audit')}</strong>
          <span>{t('onboarding.admin.auditCount', { count: data.onboarding.auditEntries })}</span>
        </Link>
        <Link to="/admin/vip" className="admin-card" data-testid="admin-vip">
          <strong>{t('membership.admin.vipTitle')}</strong>
        </Link>
        <Link to="/admin/invitations" className="admin-card" data-testid="admin-invitations">
          <strong>{t('membership.admin.invitationsTitle')}</strong>
        </Link>
        <Link to="/admin/orders" className="admin-card" data-testid="admin-orders">
          <strong>{t('orders.admin.ordersTitle')}</strong>
          <span>{t('orders.admin.lateTitle')}</span>
        </Link>
        <Link to="/admin/after-sales" className="admin-card" data-testid="admin-after-sales">
          <strong>{t('orders.admin.afterSalesTitle')}</strong>
        </Link>
      </div>
    </div>
  )
}
