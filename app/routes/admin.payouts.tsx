import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { FormErrors, replyErrors } from '#app/components/form-errors'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { PayoutList, type PayoutRow } from '#app/components/payouts'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { PayoutActionSchema } from '#app/schemas/payouts'
import { listPayouts, markManualPayoutSent, retryPayout } from '#app/services/payouts/payouts.server'
import { payoutConfig } from '#app/services/payouts/provider.server'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply, invalidReply, invariantResponse } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const rows = await listPayouts(getDb())
  return json({ provider: payoutConfig().provider, rows })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['operator'])
  const submission = parseWithZod(await request.formData(), { schema: PayoutActionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  try {
    const input = { payoutId: submission.value.payoutId, operatorId: user.id, now: new Date() }
    const result =
      submission.value.intent === 'retry'
        ? await retryPayout(getDb(), input)
        : await markManualPayoutSent(getDb(), input)
    invariantResponse(result !== null, 'Not found', 404)
    return json({ done: submission.value.intent, result })
  } catch (error) {
    return domainErrorReply(error, submission, { messages: 'payouts.errors' })
  }
}

export default function AdminPayouts() {
  const { provider, rows } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as { done?: string; result?: SubmissionResult<string[]> } | undefined
  const { t } = useFastTranslation()
  const group = (status: PayoutRow['status']) => rows.filter((r) => r.status === status) as PayoutRow[]
  const actions = (p: PayoutRow) => (
    <Form method="post" className="inline-form">
      <input type="hidden" name="payoutId" value={p.id} />
      {p.status === 'failed' ? (
        <button type="submit" name="intent" value="retry" className="button">
          {t('payouts.admin.retry')}
        </button>
      ) : null}
      {p.provider === 'manual' && (p.status === 'due' || p.status === 'failed') ? (
        <button type="submit" name="intent" value="mark-sent" className="button primary">
          {t('payouts.admin.markSent')}
        </button>
      ) : null}
    </Form>
  )
  return (
    <div className="page">
      <h1>{t('payouts.admin.title')}</h1>
      <nav className="tabs">
        <Link to="/admin/ledger">{t('payouts.nav.ledger')}</Link>{' '}
        <Link to="/admin/deposits">{t('payouts.nav.deposits')}</Link>
      </nav>
      {provider === 'manual' ? (
        <>
          <p className="manual-banner" role="note">
            {t('payouts.manualBanner')}
          </p>
          <p className="muted">
            {t('payouts.admin.exportHint')}{' '}
            <a href="/admin/payouts.csv" download>
              {t('payouts.admin.exportCsv')}
            </a>
          </p>
        </>
      ) : null}
      {data?.done ? (
        <p className="ok-note" role="status">
          {t(data.done === 'retry' ? 'payouts.admin.retried' : 'payouts.admin.marked')}
        </p>
      ) : null}
      <FormErrors form={replyErrors(data?.result)} />
      <h2>{t('payouts.admin.due')}</h2>
      <PayoutList rows={group('due')} showPayee actions={actions} />
      <h2>{t('payouts.admin.failed')}</h2>
      <PayoutList rows={group('failed')} showPayee actions={actions} />
      <h2>{t('payouts.admin.sent')}</h2>
      <PayoutList rows={group('sent')} showPayee />
      <h2>{t('payouts.admin.netted')}</h2>
      <PayoutList rows={group('netted')} showPayee />
    </div>
  )
}
