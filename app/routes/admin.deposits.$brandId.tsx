import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { formatMoney, type Currency } from '#app/domain/money'
import { DepositActionSchema } from '#app/schemas/payouts'
import { deductDeposit, depositOverview, refundDepositOnExit } from '#app/services/payouts/deposits.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { domainErrorReply, invalidReply, invariantResponse, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.brandId ?? ''), 'Not found', 404)
  const overview = await depositOverview(getDb(), params.brandId!, new Date())
  invariantResponse(overview, 'Not found', 404)
  return json({ overview })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.brandId ?? ''), 'Not found', 404)
  const submission = parseWithZod(await request.formData(), { schema: DepositActionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  try {
    const base = { brandId: params.brandId!, reason: submission.value.reason, operatorId: user.id, now: new Date() }
    const result =
      submission.value.intent === 'deduct'
        ? await deductDeposit(getDb(), { ...base, amountMinor: submission.value.amount })
        : await refundDepositOnExit(getDb(), base)
    invariantResponse(result, 'Not found', 404)
    return json({ done: submission.value.intent, refundMinor: 'refundMinor' in result ? result.refundMinor : null })
  } catch (error) {
    return domainErrorReply(error, submission, { messages: 'payouts.errors' })
  }
}

export default function AdminDepositBrand() {
  const { overview: o } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as
    | {
        done?: 'deduct' | 'exit'
        refundMinor?: number | null
        result?: SubmissionResult<string[]>
      }
    | undefined
  const { t, i18n } = useFastTranslation()
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency: o.currency as Currency }, i18n.language)
  const err = (k: string) => <FieldErrors field={replyErrors(data?.result, k)} />
  return (
    <div className="page narrow-wide">
      <p>
        <Link to="/admin/deposits">← {t('payouts.deposits.title')}</Link>
      </p>
      <h1>
        {pick(i18n.language, o.brandName, o.brandNameEn)} · {t('payouts.deposits.title')}
      </h1>
      {data?.done === 'exit' ? (
        <p className="ok-note" role="status">
          {t('payouts.deposits.refunded', { amount: money(data.refundMinor ?? 0) })}
        </p>
      ) : null}
      {data?.done === 'deduct' ? (
        <p className="ok-note" role="status">
          {t('payouts.deposits.deducted')}
        </p>
      ) : null}
      <FormErrors form={replyErrors(data?.result)} />
      <dl className="balance-card">
        <div data-testid="deposit-held">
          <dt>{t('payouts.deposits.held')}</dt>
          <dd>
            <Price minor={o.heldMinor} currency={o.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('payouts.deposits.payable')}</dt>
          <dd>
            <Price minor={o.payableMinor} currency={o.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('payouts.deposits.openSessions')}</dt>
          <dd>{o.openSessions}</dd>
        </div>
        <div>
          <dt>{t('payouts.deposits.status')}</dt>
          <dd>{t(`onboarding.admin.brandStatus.${o.brandStatus}`)}</dd>
        </div>
      </dl>
      <section className="status-card">
        <h2>{t('payouts.deposits.exitTitle')}</h2>
        {o.exitPlan ? (
          <Form method="post" className="stack-form">
            <p>
              {t('payouts.deposits.exitPlan', {
                netting: money(o.exitPlan.nettingMinor),
                refund: money(o.exitPlan.refundMinor),
              })}
            </p>
            <label>
              {t('payouts.deposits.reason')}
              <textarea name="reason" required maxLength={500} />
              {err('reason')}
            </label>
            <button type="submit" name="intent" value="exit" className="button primary">
              {t('payouts.deposits.exit')}
            </button>
          </Form>
        ) : (
          <p className="muted">{t(`payouts.deposits.blocked.${o.exitBlocked ?? 'unknown'}`)}</p>
        )}
      </section>
      {!o.exited && o.heldMinor > 0 ? (
        <section className="status-card">
          <h2>{t('payouts.deposits.deductTitle')}</h2>
          <Form method="post" className="stack-form">
            <label>
              {t('payouts.deposits.amount')}
              <input name="amount" inputMode="decimal" required />
              {err('amount')}
            </label>
            <label>
              {t('payouts.deposits.reason')}
              <textarea name="reason" required maxLength={500} />
              {err('reason')}
            </label>
            <button type="submit" name="intent" value="deduct" className="button">
              {t('payouts.deposits.deduct')}
            </button>
          </Form>
        </section>
      ) : null}
      <h2>{t('payouts.deposits.history')}</h2>
      <ul className="payout-list">
        {o.actions.map((a) => (
          <li key={a.id} className="payout">
            <strong>
              {t(`payouts.deposits.kinds.${a.kind}`)} <Price minor={a.amountMinor} currency={a.currency} />
            </strong>
            <span className="muted">
              {' '}
              {formatDateTime(a.createdAt, i18n.language)} · {a.reason}
              {a.refundStatus ? ` · ${a.refundStatus}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
