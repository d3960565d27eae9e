import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { BalanceCard, PayoutAccountCard, PayoutList } from '#app/components/payouts'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { BankDetailsSchema, fieldErrorsOf } from '#app/schemas/payouts'
import { saveBankDetails, startOnboarding } from '#app/services/payouts/accounts.server'
import { payeeOverview } from '#app/services/payouts/payee.server'
import { requestWithdrawal } from '#app/services/payouts/withdrawals.server'
import { Price } from '#app/components/price'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const returned = new URL(request.url).searchParams.get('connect') === 'return'
  return json(await payeeOverview(getDb(), { type: 'reseller', id: user.id }, { returnedFromStripe: returned, now: new Date() }))
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const form = await request.formData()
  const owner = { type: 'reseller' as const, id: user.id }
  try {
    if (form.get('intent') === 'connect') {
      const { url } = await startOnboarding(getDb(), { owner, email: null, origin: new URL(request.url).origin, returnPath: '/reseller/payouts', actorId: user.id, now: new Date() })
      return redirect(url)
    }
    if (form.get('intent') === 'withdraw') {
      const w = await requestWithdrawal(getDb(), { resellerId: user.id, now: new Date() })
      return json({ withdrawn: { amountMinor: w.amountMinor, currency: w.currency } })
    }
    if (form.get('intent') !== 'bank') return json({ fieldErrors: { intent: ['payouts.fields.required'] } }, { status: 400 })
    const parsed = BankDetailsSchema.safeParse({ holder: form.get('holder'), bankName: form.get('bankName'), account: form.get('account') })
    if (!parsed.success) return json({ fieldErrors: fieldErrorsOf(parsed.error) }, { status: 400 })
    await saveBankDetails(getDb(), { owner, ...parsed.data, actorId: user.id, now: new Date() })
    return json({ saved: true })
  } catch (error) {
    return domainErrorReply(error)
  }
}

export default function ResellerPayouts() {
  const { account, payouts, balances, withdrawalMinimumMinor } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as {
    fieldErrors?: Record<string, string[]>; saved?: boolean; formError?: { code: string }; withdrawn?: { amountMinor: number; currency: string }
  } | undefined
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  const { t } = useFastTranslation()
  const b = balances as { pendingMinor: number; availableMinor: number; inTransitMinor: number; currency: string }
  return (
    <div className="page narrow">
      <h1>{t('payouts.nav.reseller')}</h1>
      {data?.formError ? <p className="form-error" role="alert">{t(`payouts.errors.${data.formError.code}`, { defaultValue: t('payouts.errors.generic') })}</p> : null}
      <PayoutAccountCard account={account} fieldErrors={data?.fieldErrors} saved={data?.saved} returned={params.get('connect') === 'return'} />
      <h2>{t('payouts.balances.title')}</h2>
      <BalanceCard rows={[
        { label: t('payouts.balances.available'), minor: b.availableMinor, currency: b.currency, testId: 'available' },
        { label: t('payouts.balances.pending'), minor: b.pendingMinor, currency: b.currency },
        { label: t('payouts.balances.inTransit'), minor: b.inTransitMinor, currency: b.currency },
      ]} />
      <section className="withdraw-card" aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t('payouts.withdraw.title')}</h2>
        <p className="muted small">
          {t('payouts.withdraw.rule', { min: (withdrawalMinimumMinor / 100).toFixed(0) })}
        </p>
        {data?.withdrawn ? (
          <p className="ok" role="status" data-testid="withdrawn">
            {t('payouts.withdraw.done')} <Price minor={data.withdrawn.amountMinor} currency={data.withdrawn.currency} />
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="button primary" disabled={busy || b.availableMinor < withdrawalMinimumMinor}>
            {t('payouts.withdraw.button')}
          </button>
        </Form>
      </section>
      <h2>{t('payouts.list.title')}</h2>
      <PayoutList rows={payouts} />
    </div>
  )
}
