import { FieldErrors, FormErrors } from '#app/components/form-errors'
import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ReviewSchema } from '#app/schemas/onboarding'
import { applicationDetail, approveApplication, rejectApplication } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply, invariantResponse, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { AdminTabs, formErrorKey, StatusPill, useTx } from '#app/components/onboarding'
import { pick } from '#app/components/pick'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.applicationId ?? ''), 'Not found', 404)
  const application = await applicationDetail(getDb(), params.applicationId!)
  invariantResponse(application, 'Not found', 404)
  return json({ application })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const operator = await requireUser(request, ['operator'])
  invariantResponse(UUID.test(params.applicationId ?? ''), 'Not found', 404)
  const submission = parseWithZod(await request.formData(), { schema: ReviewSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), approved: null }, { status: 400 })
  const base = { applicationId: params.applicationId!, operatorId: operator.id, now: new Date() }
  try {
    if (submission.value.intent === 'approve') {
      const approved = await approveApplication(getDb(), base)
      invariantResponse(approved, 'Not found', 404)
      // The set-password link is in this one answer only; the database keeps its hash.
      return json(
        {
          result: submission.reply({ resetForm: true }),
          approved: { ...approved, setupUrl: new URL(approved.setupPath, request.url).href },
        },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    }
    const rejected = await rejectApplication(getDb(), { ...base, reason: submission.value.reason })
    invariantResponse(rejected, 'Not found', 404)
    return redirect(`/admin/applications/${params.applicationId}`)
  } catch (error) {
    return domainErrorReply(error, submission, {
      messages: (e) => formErrorKey(e.code),
      body: { approved: null },
    })
  }
}

export default function AdminApplication() {
  const { application: a } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { tx, money, when, lang } = useTx()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useForm({
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReviewSchema }),
    shouldValidate: 'onSubmit',
  })
  const formError =
    actionData && 'formError' in actionData ? (actionData.formError as { code: string; email?: string }) : null
  const approved = actionData && 'approved' in actionData ? actionData.approved : null
  const reasonField = (fields as unknown as Record<string, typeof fields.intent>).reason
  return (
    <div className="page">
      <AdminTabs current="applications" />
      <p>
        <Link to="/admin/applications">← {tx('onboarding.admin.back')}</Link>
      </p>
      <h1>
        {a.brandName ?? a.companyName} <StatusPill kind="appStatus" status={a.status} />
      </h1>
      {approved ? (
        <div className="once-box" role="status" data-testid="setup-link">
          <p>{tx('onboarding.admin.approvedOnce', { expires: when(approved.setupExpiresAt) })}</p>
          <dl>
            <dt>{tx('onboarding.admin.login')}</dt>
            <dd>
              <code>{approved.staffLogin}</code>
            </dd>
            <dt>{tx('onboarding.admin.setupLink')}</dt>
            <dd>
              <code data-testid="setup-url">{approved.setupUrl}</code>
            </dd>
          </dl>
          <Link to={`/admin/brands/${approved.brandId}`}>{tx('onboarding.admin.openBrand')}</Link>
        </div>
      ) : null}
      <FormErrors form={form} values={formError ?? undefined} />
      <dl className="detail-list">
        <dt>{tx('onboarding.admin.company')}</dt>
        <dd>{a.companyName}</dd>
        <dt>{tx('onboarding.admin.contact')}</dt>
        <dd>{a.contactName}</dd>
        <dt>{tx('onboarding.admin.phone')}</dt>
        <dd>{a.contactPhone}</dd>
        <dt>{tx('onboarding.admin.email')}</dt>
        <dd>{a.contactEmail}</dd>
        <dt>{tx('onboarding.admin.sales')}</dt>
        <dd>{money(a.annualSalesMinor, a.currency)}</dd>
        <dt>{tx('onboarding.admin.stores')}</dt>
        <dd>{a.offlineStores}</dd>
        <dt>{tx('onboarding.admin.categories')}</dt>
        <dd>{a.categories.map((c) => tx(`onboarding.categories.${c}`)).join(tx('onboarding.listSep'))}</dd>
        <dt>{tx('onboarding.admin.submittedAt')}</dt>
        <dd>{when(a.createdAt)}</dd>
        {a.reviewedAt ? (
          <>
            <dt>{tx('onboarding.admin.reviewer')}</dt>
            <dd>
              {a.reviewerName} · {when(a.reviewedAt)}
            </dd>
          </>
        ) : null}
        {a.rejectReason ? (
          <>
            <dt>{tx('onboarding.admin.rejectReason')}</dt>
            <dd data-testid="reject-reason">{a.rejectReason}</dd>
          </>
        ) : null}
        {a.brand ? (
          <>
            <dt>{tx('onboarding.admin.brand')}</dt>
            <dd>
              <Link to={`/admin/brands/${a.brand.id}`}>{pick(lang, a.brand.name ?? '', a.brand.nameEn)}</Link>{' '}
              <StatusPill kind="brandStatus" status={a.brand.status ?? ''} />
            </dd>
          </>
        ) : null}
      </dl>
      {a.status === 'pending' ? (
        <div className="review-actions">
          <Form
            method="post"
            className="form-card"
            onSubmit={(e) => {
              if (!confirm(tx('onboarding.admin.approveConfirm'))) e.preventDefault()
            }}
          >
            <p className="muted">{tx('onboarding.admin.approveHint')}</p>
            <button type="submit" name="intent" value="approve" className="button primary" disabled={busy}>
              {tx('onboarding.admin.approve')}
            </button>
          </Form>
          <Form method="post" {...getFormProps(form)} className="form-card">
            <input type="hidden" name="intent" value="reject" />
            <label htmlFor={reasonField.id}>{tx('onboarding.admin.reasonLabel')}</label>
            <textarea {...getTextareaProps(reasonField)} rows={3} />
            <FieldErrors field={reasonField} />
            <button type="submit" className="button danger" disabled={busy}>
              {tx('onboarding.admin.reject')}
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  )
}
