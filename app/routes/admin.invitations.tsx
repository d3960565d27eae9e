import { FieldErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CodeTakenError } from '#app/domain/membership-errors'
import { CampaignCodeSchema } from '#app/schemas/membership'
import { campaignCodesPage, createCampaignCode } from '#app/services/membership/members.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { AdminTabs } from '#app/components/onboarding'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => `${t('membership.admin.invitationsTitle')} · ${t('nav.admin')}`) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  return json({ codes: await campaignCodesPage(getDb(), new Date()) })
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireUser(request, ['operator'])
  const submission = parseWithZod(await request.formData(), { schema: CampaignCodeSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), created: false }, { status: 400 })
  try {
    const v = submission.value
    await createCampaignCode(getDb(), {
      operatorId: operator.id,
      code: v.code,
      maxUses: v.maxUses ?? null,
      expiresAt: v.expiresAt ?? null,
      note: v.note ?? '',
      now: new Date(),
    })
    return json({ result: submission.reply({ resetForm: true }), created: true })
  } catch (error) {
    if (error instanceof CodeTakenError)
      return json(
        { result: submission.reply({ fieldErrors: { code: ['membership.admin.codeTaken'] } }), created: false },
        { status: 409 },
      )
    throw error
  }
}

export default function AdminInvitations() {
  const { codes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(CampaignCodeSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CampaignCodeSchema }),
    shouldRevalidate: 'onBlur',
  })
  const input = (
    name: 'code' | 'maxUses' | 'expiresAt' | 'note',
    label: string,
    type: 'text' | 'datetime-local' = 'text',
  ) => (
    <>
      <label htmlFor={fields[name].id}>{label}</label>
      <input {...getInputProps(fields[name], { type })} />
      <FieldErrors field={fields[name]} />
    </>
  )
  return (
    <div className="page">
      <AdminTabs current="invitations" />
      <h1>{t('membership.admin.invitationsTitle')}</h1>
      <p>
        {t('membership.admin.invitationsIntro')} <Link to="/admin/vip">{t('membership.admin.vipLink')}</Link>
      </p>
      {actionData?.created && (
        <p className="notice" role="status">
          {t('membership.admin.created')}
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="form-card narrow-form">
        {input('code', t('membership.admin.code'))}
        {input('maxUses', t('membership.admin.maxUses'))}
        {input('expiresAt', t('membership.admin.expiresAt'), 'datetime-local')}
        {input('note', t('membership.admin.codeNote'))}
        <button type="submit" className="button primary">
          {t('membership.admin.create')}
        </button>
      </Form>
      {codes.length === 0 ? (
        <p className="muted">{t('membership.admin.noCodes')}</p>
      ) : (
        <ul className="campaign-codes">
          {codes.map((c) => (
            <li key={c.id} data-testid="campaign-code">
              <p>
                <code>{c.code}</code> <span className="badge">{t(`membership.admin.state.${c.state}`)}</span>{' '}
                {t('membership.admin.uses', { uses: c.uses, max: c.maxUses ?? t('membership.admin.unlimited') })} ·{' '}
                {c.expiresAt
                  ? t('membership.admin.until', { date: formatDateTime(c.expiresAt, i18n.language) })
                  : t('membership.admin.noExpiry')}
                {c.note ? ` · ${c.note}` : ''}
              </p>
              <details>
                <summary>
                  {t('membership.admin.registrations')} ({c.registrations.length})
                </summary>
                {c.registrations.length === 0 ? (
                  <p className="muted">{t('membership.admin.noRegistrations')}</p>
                ) : (
                  <ul>
                    {c.registrations.map((r) => (
                      <li key={r.id}>
                        {r.name} · {r.login} · {formatDateTime(r.at, i18n.language)}
                      </li>
                    ))}
                  </ul>
                )}
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
