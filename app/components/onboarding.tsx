import { useTranslation } from 'react-i18next'
import { formatMoney, type Currency } from '#app/domain/money'
import { formatDateTime } from '#app/utils/format'

/** t() over keys built at run time (status names, error codes, audit actions). */
export function useTx() {
  const { t, i18n } = useTranslation()
  const tx = t as unknown as (key: string, options?: Record<string, unknown>) => string
  const money = (minor: number, currency = 'CNY') =>
    formatMoney({ amountMinor: minor, currency: currency as Currency }, i18n.language)
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso, i18n.language) : '—')
  return { tx, money, when, lang: i18n.language }
}

export function StatusPill({ kind, status }: { kind: 'appStatus' | 'brandStatus'; status: string }) {
  const { tx } = useTx()
  return (
    <span className={`pill pill-${status}`} data-status={status}>
      {tx(`onboarding.admin.${kind}.${status}`)}
    </span>
  )
}

/** Operator console sub-navigation. */
export function AdminTabs({ current }: { current: 'applications' | 'brands' | 'audit' | 'vip' | 'invitations' }) {
  const { tx } = useTx()
  return (
    <nav className="admin-tabs" aria-label="admin" data-scroll-x>
      <a href="/admin">{tx('nav.admin')}</a>
      {(['applications', 'brands', 'audit'] as const).map((k) => (
        <a key={k} href={`/admin/${k}`} aria-current={current === k ? 'page' : undefined}>
          {tx(`onboarding.admin.${k}`)}
        </a>
      ))}
      <a href="/admin/vip" aria-current={current === 'vip' ? 'page' : undefined}>
        {tx('membership.admin.vipTitle')}
      </a>
      <a href="/admin/invitations" aria-current={current === 'invitations' ? 'page' : undefined}>
        {tx('membership.admin.invitationsTitle')}
      </a>
    </nav>
  )
}

/** Message key for a known DomainError code returned by an onboarding action. */
export function formErrorKey(code: string | undefined): string {
  switch (code) {
    case 'application_not_pending':
      return 'onboarding.errors.notPending'
    case 'staff_email_taken':
      return 'onboarding.errors.emailTaken'
    case 'commission_range':
      return 'onboarding.errors.commissionRange'
    default:
      return 'onboarding.errors.brandStatus'
  }
}
