import { Form } from '@remix-run/react'
import { Price } from './price'
import { useFastTranslation } from './use-fast-translation'
import { formatDateTime } from '#app/utils/format'

export interface PayoutRow {
  id: string
  kind?: 'brand_session' | 'reseller_withdrawal'
  payee: string
  amountMinor: number
  currency: string
  status: 'due' | 'sent' | 'failed' | 'netted'
  provider: 'stripe' | 'manual' | null
  attempts: number
  error: string | null
  sentAt: string | null
  createdAt: string
  sessionTitle: string | null
}

/** A list of payouts; `actions` renders the operator's buttons for a row. */
export function PayoutList({ rows, showPayee, actions }: { rows: PayoutRow[]; showPayee?: boolean; actions?: (row: PayoutRow) => React.ReactNode }) {
  const { t, i18n } = useFastTranslation()
  if (!rows.length) return <p className="empty">{t('payouts.list.empty')}</p>
  return (
    <ul className="payout-list">
      {rows.map((p) => (
        <li key={p.id} className={`payout payout-${p.status}`} data-testid="payout" data-status={p.status}>
          <div className="payout-head">
            <strong><Price minor={p.amountMinor} currency={p.currency} /></strong>
            <span className={`pill status-${p.status}`}>{t(`payouts.statuses.${p.status}`)}</span>
          </div>
          <div className="payout-meta muted">
            {showPayee ? <span>{p.payee}</span> : null}
            {p.kind === 'reseller_withdrawal' ? <span data-testid="payout-kind">{t('payouts.list.withdrawal')}</span> : null}
            {p.sessionTitle ? <span>{t('payouts.list.session')}：{p.sessionTitle}</span> : null}
            {p.provider ? <span>{t(`payouts.providers.${p.provider}`)}</span> : null}
            <span>{t('payouts.list.created')} {formatDateTime(p.createdAt, i18n.language)}</span>
            {p.sentAt ? <span>{t('payouts.list.sent')} {formatDateTime(p.sentAt, i18n.language)}</span> : null}
            {p.attempts ? <span>{t('payouts.list.attempts')} {p.attempts}</span> : null}
          </div>
          {p.error ? <p className="payout-note muted">{p.error}</p> : null}
          {actions ? <div className="payout-actions">{actions(p)}</div> : null}
        </li>
      ))}
    </ul>
  )
}

export function BalanceCard({ rows }: { rows: Array<{ label: string; minor: number; currency: string; testId?: string }> }) {
  return (
    <dl className="balance-card">
      {rows.map((r) => (
        <div key={r.label} data-testid={r.testId}><dt>{r.label}</dt><dd><Price minor={r.minor} currency={r.currency} /></dd></div>
      ))}
    </dl>
  )
}

export interface AccountView {
  provider: 'stripe' | 'manual'
  connected: boolean
  status: 'onboarding' | 'restricted' | 'enabled' | null
  requirements: string[]
  disabledReason: string | null
  bank: { holder: string | null; bankName: string | null; accountTail: string | null } | null
}

/** The payee's payout account: Stripe Connect onboarding, or bank details under the labelled manual provider. */
export function PayoutAccountCard({ account, fieldErrors, saved, returned }: { account: AccountView; fieldErrors?: Record<string, string[]>; saved?: boolean; returned?: boolean }) {
  const { t } = useFastTranslation()
  const err = (k: string) => fieldErrors?.[k]?.[0] ? <span className="field-error" id={`${k}-error`}>{t(fieldErrors[k]![0]!)}</span> : null
  return (
    <section className="status-card payout-account" data-testid="payout-account" data-status={account.status ?? 'none'}>
      <h2>{t('payouts.account.title')}</h2>
      {account.provider === 'manual' ? <p className="manual-banner" role="note">{t('payouts.manualBanner')}</p> : null}
      <p>{t('payouts.account.status')}：<strong>{t(`payouts.account.statuses.${account.status ?? 'none'}`)}</strong></p>
      {account.provider === 'stripe' ? (
        <>
          <p className="muted">{t('payouts.account.stripeIntro')}</p>
          {returned ? <p className="ok-note" role="status">{t('payouts.account.returned')}</p> : null}
          {account.requirements.length ? <div><p>{t('payouts.account.requirements')}：</p><ul className="requirements">{account.requirements.map((r) => <li key={r}><code>{r}</code></li>)}</ul></div> : null}
          {account.disabledReason ? <p className="muted">{t('payouts.account.disabled')}：<code>{account.disabledReason}</code></p> : null}
          {account.status !== 'enabled' ? (
            <Form method="post"><button type="submit" name="intent" value="connect" className="button primary">{t(account.connected ? 'payouts.account.continue' : 'payouts.account.connect')}</button></Form>
          ) : null}
        </>
      ) : (
        <>
          <p className="muted">{t('payouts.account.bankIntro')}</p>
          {account.bank?.accountTail ? <p>{t('payouts.account.bankOnFile', { bank: account.bank.bankName, tail: account.bank.accountTail, holder: account.bank.holder })}</p> : null}
          {saved ? <p className="ok-note" role="status">{t('payouts.account.saved')}</p> : null}
          <Form method="post" className="stack-form">
            <input type="hidden" name="intent" value="bank" />
            <label>{t('payouts.account.holder')}<input name="holder" required maxLength={100} defaultValue={account.bank?.holder ?? ''} aria-invalid={!!fieldErrors?.holder} />{err('holder')}</label>
            <label>{t('payouts.account.bankName')}<input name="bankName" required maxLength={100} defaultValue={account.bank?.bankName ?? ''} aria-invalid={!!fieldErrors?.bankName} />{err('bankName')}</label>
            <label>{t('payouts.account.bankAccount')}<input name="account" required inputMode="numeric" maxLength={40} aria-invalid={!!fieldErrors?.account} />{err('account')}</label>
            <button type="submit" className="button primary">{t('payouts.account.save')}</button>
          </Form>
        </>
      )}
    </section>
  )
}
