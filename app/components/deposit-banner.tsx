import { Link, useLocation, useRouteLoaderData } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { depositOutstanding, type BrandStatus } from '#app/domain/brand-access'

/** True for brand staff whose brand still owes its deposit (from the root loader's user). */
export function useDepositOutstanding(): boolean {
  const data = useRouteLoaderData('root') as
    { user?: { role: string; brandStatus?: BrandStatus | null } | null } | undefined
  const user = data?.user
  return user?.role === 'brand_staff' && Boolean(user.brandStatus) && depositOutstanding({ status: user.brandStatus! })
}

/** On brand console pages while the brand's deposit is unpaid: what is possible now, and the way to /brand/deposit. */
export function DepositBanner() {
  const outstanding = useDepositOutstanding()
  const { pathname } = useLocation()
  const { t } = useFastTranslation()
  if (!outstanding || !pathname.startsWith('/brand') || pathname.startsWith('/brand/deposit')) return null
  return (
    <p className="deposit-banner" role="status" data-testid="deposit-banner">
      {t('brandConsole.depositGate.banner')}{' '}
      <Link to="/brand/deposit" className="button small">
        {t('brandConsole.depositGate.bannerLink')}
      </Link>
    </p>
  )
}
