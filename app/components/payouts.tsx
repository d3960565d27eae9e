import type { SubmissionResult } from '@conform-to/react'
import { FieldErrors, FormErrors, replyErrors } from './form-errors'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { Price } from './price'
import { SubmitButton } from './submit-button'
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
export function PayoutList({
  rows,
  showPayee,
  actions,
}: {
  rows: PayoutRow[]
  showPayee?: boolean
  actions?: (row: PayoutRow) => React.ReactNode
}) {
  const { t, i18n } = useFastTranslation()
  if (!rows.length) return <p className="empty">{t('payouts.list.empty')}</p>
  return (
    <ul className="payout-list">
      {rows.map((p) => (
        <li key={p.id} className={`payout payout-${p.status}`} data-testid="payout" data-status={p.status}>
          <div className="payout-head">
            <strong>
              <Price minor={p.amountMinor} currency={p.currency} />
            </strong>
            <span className={`pill status-${p.status}`}>{t(`payouts.statuses.${p.status}`)}</span>
          </div>
          <div className="payout-meta muted">
            {showPayee ? <span>{p.payee}</span> : null}
            {p.kind === 'reseller_withdrawal' ? (
              <span data-testid="payout-kind">{t('payouts.list.withdrawal')}</span>
            ) : null}
            {p.sessionTitle ? (
              <span>
                {t('payouts.list.session')} {p.sessionTitle}
              </span>
            ) : null}
            {p.provider ? <span>{t(`payouts.providers.${p.provider}`)}</span> : null}
            <span>
              {t('payouts.list.created')} {formatDateTime(p.createdAt, i18n.language)}
            </span>
            {p.sentAt ? (
              <span>
                {t('payouts.list.sent')} {formatDateTime(p.sentAt, i18n.language)}
              </span>
            ) : null}
            {p.attempts ? (
              <span>
                {t('payouts.list.attempts')} {p.attempts}
              </span>
            ) : null}
          </div>
          {p.error ? <p className="payout-note muted">{p.error}</p> : null}
          {actions ? <div className="payout-actions">{actions(p)}</div> : null}
        </li>
      ))}
    </ul>
  )
}

export function BalanceCard({
  rows,
}: {
  rows: Array<{ label: string; minor: number; currency: string; testId?: string }>
}) {
  return (
    <dl className="balance-card">
      {rows.map((r) => (
        <div key={r.label} data-testid={r.testId}>
          <dt>{r.label}</dt>
          <dd>
            <Price minor={r.minor} currency={r.currency} />
          </dd>
        </div>
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
export function PayoutAccountCard({
  account,
  result,
  saved,
  returned,
}: {
  account: AccountView
  result?: SubmissionResult<string[]>
  saved?: boolean
  returned?: boolean
}) {
  const { t } = useFastTranslation()
  const fieldErrors = result?.error
  const err = (k: string) => <FieldErrors field={replyErrors(result, k)} />
  return (
    <section className="status-card payout-account" data-testid="payout-account" data-status={account.status ?? 'none'}>
      <h2>{t('payouts.account.title')}</h2>
      {account.provider === 'manual' ? (
        <p className="manual-banner" role="note">
          {t('payouts.manualBanner')}
        </p>
      ) : null}
      <p className="payout-status">
        <span className="muted">{t('payouts.account.status')}</span>{' '}
        <strong>{t(`payouts.account.statuses.${account.status ?? 'none'}`)}</strong>
      </p>
      {account.provider === 'stripe' ? (
        <>
          <p className="muted">{t('payouts.account.stripeIntro')}</p>
          {returned ? (
            <p className="ok-note" role="status">
              {t('payouts.account.returned')}
            </p>
          ) : null}
          {account.requirements.length ? (
            <div>
              <p>{t('payouts.account.requirements')}：</p>
              <ul className="requirements">
                {account.requirements.map((r) => (
                  <li key={r}>
                    <code>{r}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {account.disabledReason ? (
            <p className="muted">
              {t('payouts.account.disabled')}：<code>{account.disabledReason}</code>
            </p>
          ) : null}
          {account.status !== 'enabled' ? (
            <Form method="post">
              <SubmitButton name="intent" value="connect" className="button primary">
                {t(account.connected ? 'payouts.account.continue' : 'payouts.account.connect')}
              </SubmitButton>
            </Form>
          ) : null}
        </>
      ) : (
        <>
          <p className="muted">{t('payouts.account.bankIntro')}</p>
          {account.bank?.accountTail ? (
            <p>
              {t('payouts.account.bankOnFile', {
                bank: account.bank.bankName,
                tail: account.bank.accountTail,
                holder: account.bank.holder,
              })}
            </p>
          ) : null}
          {saved ? (
            <p className="ok-note" role="status">
              {t('payouts.account.saved')}
            </p>
          ) : null}
          <Form method="post" className="stack-form">
            <input type="hidden" name="intent" value="bank" />
            <label>
              {t('payouts.account.holder')}
              <input
                name="holder"
                required
                maxLength={100}
                defaultValue={account.bank?.holder ?? ''}
                aria-invalid={!!fieldErrors?.holder}
                aria-describedby={fieldErrors?.holder ? 'holder-error' : undefined}
              />
              {err('holder')}
            </label>
            <label>
              {t('payouts.account.bankName')}
              <input
                name="bankName"
                required
                maxLength={100}
                defaultValue={account.bank?.bankName ?? ''}
                aria-invalid={!!fieldErrors?.bankName}
                aria-describedby={fieldErrors?.bankName ? 'bankName-error' : undefined}
              />
              {err('bankName')}
            </label>
            <label>
              {t('payouts.account.bankAccount')}
              <input
                name="account"
                required
                inputMode="numeric"
                maxLength={40}
                aria-invalid={!!fieldErrors?.account}
                aria-describedby={fieldErrors?.account ? 'account-error' : undefined}
              />
              {err('account')}
            </label>
            <SubmitButton className="button primary">{t('payouts.account.save')}</SubmitButton>
          </Form>
        </>
      )}
    </section>
  )
}

type PayeeBalances =
  | { heldMinor: number; payableMinor: number; inTransitMinor: number; depositMinor: number; currency: string }
  | { pendingMinor: number; availableMinor: number; inTransitMinor: number; currency: string }

interface PayeePageData {
  owner: 'brand' | 'reseller'
  account: AccountView
  payouts: PayoutRow[]
  balances: PayeeBalances
  withdrawalMinimumMinor: number
}

/**
 * A payee's own payout page (a brand's at /brand/payouts, a reseller's at /reseller/payouts): what is owed to
 * her first, then where it goes, then the payouts made. Reads the route's loader and action data.
 */
export function PayeePayouts() {
  const { owner, account, payouts, balances: b, withdrawalMinimumMinor } = useLoaderData() as unknown as PayeePageData
  const data = useActionData() as
    | {
        result?: SubmissionResult<string[]>
        saved?: boolean
        withdrawn?: { amountMinor: number; currency: string }
      }
    | undefined
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  const { t } = useFastTranslation()
  const rows =
    'heldMinor' in b
      ? [
          {
            label: t(b.payableMinor < 0 ? 'payouts.balances.negative' : 'payouts.balances.payable'),
            minor: b.payableMinor,
            currency: b.currency,
            testId: 'payable',
          },
          { label: t('payouts.balances.held'), minor: b.heldMinor, currency: b.currency },
          { label: t('payouts.balances.inTransit'), minor: b.inTransitMinor, currency: b.currency },
          { label: t('payouts.balances.deposit'), minor: b.depositMinor, currency: b.currency },
        ]
      : [
          {
            label: t('payouts.balances.available'),
            minor: b.availableMinor,
            currency: b.currency,
            testId: 'available',
          },
          { label: t('payouts.balances.pending'), minor: b.pendingMinor, currency: b.currency },
          { label: t('payouts.balances.inTransit'), minor: b.inTransitMinor, currency: b.currency },
        ]
  return (
    <div className="page narrow payee-payouts">
      <h1>{t(owner === 'brand' ? 'payouts.nav.brand' : 'payouts.nav.reseller')}</h1>
      <FormErrors form={replyErrors(data?.result)} />
      <h2>{t('payouts.balances.title')}</h2>
      <BalanceCard rows={rows} />
      {'availableMinor' in b ? (
        <section className="withdraw-card" aria-labelledby="withdraw-title">
          <h2 id="withdraw-title">{t('payouts.withdraw.title')}</h2>
          <p className="muted small">
            {t('payouts.withdraw.rule', { min: (withdrawalMinimumMinor / 100).toFixed(0) })}
          </p>
          {data?.withdrawn ? (
            <p className="ok" role="status" data-testid="withdrawn">
              {t('payouts.withdraw.done')}{' '}
              <Price minor={data.withdrawn.amountMinor} currency={data.withdrawn.currency} />
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button
              type="submit"
              className="button primary"
              disabled={busy || b.availableMinor < withdrawalMinimumMinor}
            >
              {t('payouts.withdraw.button')}
            </button>
          </Form>
        </section>
      ) : null}
      <PayoutAccountCard
        account={account}
        result={data?.result}
        saved={data?.saved}
        returned={params.get('connect') === 'return'}
      />
      <h2>{t('payouts.list.title')}</h2>
      <PayoutList rows={payouts} />
    </div>
  )
}
