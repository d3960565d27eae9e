import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { bpsToPercent } from '#app/domain/onboarding'
import { BrandActionSchema } from '#app/schemas/onboarding'
import { brandDetail, changeBrandStatus, setCommission } from '#app/services/onboarding/brand-admin.server'
import { reissueStaffLink } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply, invariantResponse, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { AdminTabs, formErrorKey, StatusPill, useTx } from '#app/components/onboarding'
import { pick } from '#app/components/pick'
import { z } from 'zod'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.brandId ?? ''), 'Not found', 404)
  const brand = await brandDetail(getDb(), params.brandId!)
  invariantResponse(brand, 'Not found', 404)
  return json({ brand })
}

const ReissueSchema = z.object({
  intent: z.literal('reissue'),
  userId: z.string().regex(UUID, 'onboarding.errors.intent'),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const operator = await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.brandId ?? ''), 'Not found', 404)
  const form = await request.formData()
  const base = { brandId: params.brandId!, operatorId: operator.id, now: new Date() }
  if (form.get('intent') === 'reissue') {
    const sub = parseWithZod(form, { schema: ReissueSchema })
    if (sub.status !== 'success')
      return json({ result: sub.reply(), intent: 'reissue', ok: false, link: null }, { status: 400 })
    const link = await reissueStaffLink(getDb(), { ...base, userId: sub.value.userId })
    invariantResponse(link, 'Not found', 404)
    return json(
      {
        result: sub.reply(),
        intent: 'reissue',
        ok: true,
        link: { ...link, setupUrl: new URL(link.setupPath, request.url).href },
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  }
  const submission = parseWithZod(form, { schema: BrandActionSchema })
  if (submission.status !== 'success') {
    return json(
      { result: submission.reply(), intent: String(form.get('intent') ?? ''), ok: false, link: null },
      { status: 400 },
    )
  }
  const v = submission.value
  try {
    const done =
      v.intent === 'commission'
        ? await setCommission(getDb(), { ...base, percent: v.percent })
        : await changeBrandStatus(getDb(), { ...base, intent: v.intent, reason: v.reason })
    invariantResponse(done, 'Not found', 404)
    return json({ result: submission.reply({ resetForm: true }), intent: v.intent, ok: true, link: null })
  } catch (error) {
    return domainErrorReply(error, submission, {
      messages: (e) => formErrorKey(e.code),
      body: { intent: v.intent, ok: false, link: null },
    })
  }
}

export default function AdminBrand() {
  const { brand: b } = useLoaderData<typeof loader>()
  type Reply = {
    result?: SubmissionResult<string[]>
    intent?: string
    ok?: boolean
    link?: { staffLogin: string | null; setupUrl: string; setupExpiresAt: string } | null
  }
  const data = useActionData<typeof action>() as Reply | undefined
  const nav = useNavigation()
  const { tx, money, when, lang } = useTx()
  const errorsFor = (intent: string, field: string) =>
    data?.intent === intent ? <FieldErrors field={replyErrors(data.result, field)} /> : null
  const statusIntent = b.status === 'suspended' ? 'reinstate' : 'suspend'
  return (
    <div className="page">
      <AdminTabs current="brands" />
      <p>
        <Link to="/admin/brands">← {tx('onboarding.admin.back')}</Link>
      </p>
      <h1>
        {tx('onboarding.admin.brandTitle', { name: pick(lang, b.name, b.nameEn) })}{' '}
        <StatusPill kind="brandStatus" status={b.status} />
      </h1>
      {data?.ok && nav.state === 'idle' && data.intent !== 'reissue' ? (
        <p className="ok-note" role="status">
          {tx('onboarding.admin.saved')}
        </p>
      ) : null}
      <FormErrors form={replyErrors(data?.result)} />
      <dl className="detail-list">
        <dt>Slug</dt>
        <dd>{b.slug}</dd>
        <dt>{tx('onboarding.admin.commission')}</dt>
        <dd data-testid="commission">{bpsToPercent(b.commissionBps)}%</dd>
        <dt>{tx('onboarding.admin.deposit')}</dt>
        <dd>
          {b.depositAmountMinor ? money(b.depositAmountMinor, b.depositCurrency ?? 'CNY') + ' · ' : ''}
          {b.depositPaidAt
            ? tx('onboarding.admin.depositPaid', { time: when(b.depositPaidAt) })
            : tx('onboarding.admin.depositDue')}
        </dd>
        {b.statusReason ? (
          <>
            <dt>{tx('onboarding.admin.statusReason')}</dt>
            <dd>{b.statusReason}</dd>
          </>
        ) : null}
        {b.applicationId ? (
          <>
            <dt>{tx('onboarding.admin.applications')}</dt>
            <dd>
              <Link to={`/admin/applications/${b.applicationId}`}>{tx('onboarding.admin.view')}</Link>
            </dd>
          </>
        ) : null}
      </dl>
      <div className="review-actions">
        <Form method="post" className="form-card" noValidate>
          <input type="hidden" name="intent" value="commission" />
          <label htmlFor="percent">{tx('onboarding.admin.commissionPercent')}</label>
          <input
            id="percent"
            name="percent"
            inputMode="decimal"
            defaultValue={bpsToPercent(b.commissionBps)}
            key={b.commissionBps}
          />
          {errorsFor('commission', 'percent')}
          <button type="submit" className="button primary">
            {tx('onboarding.admin.saveCommission')}
          </button>
        </Form>
        <Form method="post" className="form-card" noValidate>
          <input type="hidden" name="intent" value={statusIntent} />
          <label htmlFor="reason">{tx('onboarding.admin.reasonRequired')}</label>
          <textarea id="reason" name="reason" rows={2} key={b.status} />
          {errorsFor(statusIntent, 'reason')}
          <button type="submit" className={`button ${statusIntent === 'suspend' ? 'danger' : 'primary'}`}>
            {tx(`onboarding.admin.${statusIntent}`)}
          </button>
        </Form>
      </div>
      <h2>{tx('onboarding.admin.staff')}</h2>
      <ul className="plain-list">
        {b.staff.map((s) => (
          <li key={s.id}>
            <code>{s.email}</code> · {s.displayName}
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="reissue" />
              <input type="hidden" name="userId" value={s.id} />
              <button type="submit" className="link-button underline">
                {tx('onboarding.admin.reissueLink')}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      {data?.link ? (
        <div className="once-box" role="status" data-testid="setup-link">
          <p>{tx('onboarding.admin.approvedOnce', { expires: when(data.link.setupExpiresAt) })}</p>
          <dl>
            <dt>{tx('onboarding.admin.login')}</dt>
            <dd>
              <code>{data.link.staffLogin}</code>
            </dd>
            <dt>{tx('onboarding.admin.setupLink')}</dt>
            <dd>
              <code data-testid="setup-url">{data.link.setupUrl}</code>
            </dd>
          </dl>
        </div>
      ) : null}
      <h2>{tx('onboarding.admin.history')}</h2>
      {b.history.length === 0 ? (
        <p className="empty">{tx('onboarding.admin.none')}</p>
      ) : (
        <ul className="plain-list" data-testid="brand-history">
          {b.history.map((h) => (
            <li key={h.id}>
              {when(h.createdAt)} · {h.actorName ?? tx('onboarding.admin.system')} ·{' '}
              {tx(`onboarding.admin.actions.${h.action.replace('.', '_')}`)}
              {typeof h.details.reason === 'string' ? ` — ${h.details.reason}` : ''}
              {typeof h.details.toBps === 'number'
                ? ` — ${bpsToPercent(Number(h.details.fromBps))}% → ${bpsToPercent(h.details.toBps)}%`
                : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
