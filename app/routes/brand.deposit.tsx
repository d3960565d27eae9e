import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { FormErrors, replyErrors } from '#app/components/form-errors'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { startDepositPayment } from '#app/services/onboarding/deposit-checkout.server'
import { depositStatus } from '#app/services/onboarding/deposits.server'
import { getDb } from '#app/utils/db.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { domainErrorReply, invalidReply, invariantResponse } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { formErrorKey, StatusPill, useTx } from '#app/components/onboarding'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  const deposit = await depositStatus(getDb(), user.brand_id!)
  invariantResponse(deposit, 'Not found', 404)
  return json({ deposit })
}

const PayDepositSchema = z.object({
  intent: z.literal('pay', { errorMap: () => ({ message: 'onboarding.errors.intent' }) }),
})

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  const submission = parseWithZod(await request.formData(), { schema: PayDepositSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  try {
    const { redirectUrl } = await startDepositPayment(getDb(), {
      brandId: user.brand_id!,
      userId: user.id,
      origin: publicOrigin(),
    })
    return redirect(redirectUrl)
  } catch (error) {
    return domainErrorReply(error, submission, { messages: (e) => formErrorKey(e.code) })
  }
}

export default function BrandDeposit() {
  const { deposit: d } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { tx, money, when } = useTx()
  return (
    <div className="page narrow-wide">
      <h1>{tx('onboarding.deposit.title')}</h1>
      <section className="status-card" data-testid="deposit" data-status={d.status}>
        <h2>
          {d.brandName} <StatusPill kind="brandStatus" status={d.status} />
        </h2>
        <p className="deposit-amount">
          {tx('onboarding.deposit.amount')}
          <strong>{money(d.amountMinor, d.currency)}</strong>
        </p>
        {d.paidAt ? (
          <p>
            {tx(d.status === 'suspended' ? 'onboarding.deposit.paidSuspended' : 'onboarding.deposit.paid', {
              time: when(d.paidAt),
            })}
          </p>
        ) : d.status === 'suspended' ? (
          <p>{tx('onboarding.deposit.suspended')}</p>
        ) : (
          <>
            <p>{tx('onboarding.deposit.intro')}</p>
            {params.get('payment') === 'returned' ? (
              <p className="ok-note" role="status">
                {tx('onboarding.deposit.returned')}
              </p>
            ) : null}
            {params.get('payment') === 'cancelled' ? (
              <p className="muted" role="status">
                {tx('onboarding.deposit.cancelled')}
              </p>
            ) : null}
            <FormErrors form={replyErrors(data?.result)} />
            <Form method="post">
              <button type="submit" name="intent" value="pay" className="button primary">
                {tx('onboarding.deposit.pay')}
              </button>
            </Form>
          </>
        )}
      </section>
    </div>
  )
}
