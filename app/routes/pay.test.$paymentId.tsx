import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { Price } from '#app/components/price'
import { decideTestPayment, findPayment, type Payment } from '#app/services/payments/index.server'
import { getDb } from '#app/utils/db.server'
import { paymentConfig } from '#app/utils/env.server'
import { parseWithZod } from '@conform-to/zod'
import { invalidReply, invariantResponse } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

// The labelled local test-payment provider: only the payer, only test payments, never in production.
async function payersTestPayment(request: Request, paymentId: string | undefined): Promise<Payment> {
  invariantResponse(!paymentConfig().production, 'Not found', 404)
  const payment = paymentId ? await findPayment(getDb(), paymentId) : undefined
  invariantResponse(payment && payment.provider === 'test', 'Not found', 404)
  // A reseller's customer has no account: her payment's unguessable id, given only to her, is the key.
  if (payment.payer_user_id !== null) {
    const user = await requireUser(request)
    invariantResponse(payment.payer_user_id === user.id, 'Not found', 404)
  }
  return payment
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = await payersTestPayment(request, params.paymentId)
  return json({
    id: p.id,
    purpose: p.purpose,
    description: p.description,
    amountMinor: p.amount_minor,
    currency: p.currency,
    status: p.status,
    continuePath:
      p.status === 'pending' ? null : p.status === 'failed' || p.status === 'expired' ? p.cancel_path : p.success_path,
  })
}

const DecisionSchema = z.object({ intent: z.enum(['approve', 'decline']) })

export async function action({ request, params }: ActionFunctionArgs) {
  const payment = await payersTestPayment(request, params.paymentId)
  const submission = parseWithZod(await request.formData(), { schema: DecisionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const applied = await decideTestPayment(getDb(), payment.id, submission.value.intent, new Date())
  const status = applied?.payment.status ?? payment.status
  return redirect(status === 'failed' || status === 'expired' ? payment.cancel_path : payment.success_path)
}

export default function TestPayment() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="page test-payment">
      <p className="test-payment-banner" role="note">
        {t('payments.testBanner')}
      </p>
      <h1>{t('payments.testTitle')}</h1>
      <p className="muted">{t('payments.testExplain')}</p>
      <dl className="test-payment-facts">
        <dt>{t('payments.purpose')}</dt>
        <dd>{t(`payments.purposes.${data.purpose}`)}</dd>
        {data.description ? (
          <>
            <dt>{t('payments.description')}</dt>
            <dd>{data.description}</dd>
          </>
        ) : null}
        <dt>{t('payments.amount')}</dt>
        <dd>
          <Price minor={data.amountMinor} currency={data.currency} />
        </dd>
        <dt>{t('payments.status')}</dt>
        <dd data-status={data.status}>{t(`payments.statuses.${data.status}`)}</dd>
      </dl>
      {data.status === 'pending' ? (
        <Form method="post" className="test-payment-actions">
          <button type="submit" name="intent" value="approve" className="button primary" disabled={busy}>
            {t('payments.approve')}
          </button>
          <button type="submit" name="intent" value="decline" className="button" disabled={busy}>
            {t('payments.decline')}
          </button>
        </Form>
      ) : (
        <p>
          {t('payments.alreadyDone')}{' '}
          {data.continuePath ? (
            <a className="button" href={data.continuePath}>
              {t('payments.continue')}
            </a>
          ) : null}
        </p>
      )}
    </div>
  )
}
