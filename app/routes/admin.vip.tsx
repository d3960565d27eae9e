import { FieldErrors, FormErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { VipTiersSchema } from '#app/schemas/membership'
import { updateVipTiers, vipAdminPage } from '#app/services/membership/members.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { AdminTabs } from '#app/components/onboarding'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => `${t('membership.admin.vipTitle')} · ${t('nav.admin')}`) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  return json(await vipAdminPage(getDb()))
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireUser(request, ['operator'])
  const submission = parseWithZod(await request.formData(), { schema: VipTiersSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), saved: false }, { status: 400 })
  const levels = submission.value.tiers.map((t) => t.level).sort()
  if (levels.join() !== '0,1,2,3,4,5')
    return json(
      { result: submission.reply({ formErrors: ['membership.admin.required'] }), saved: false },
      { status: 400 },
    )
  const tiers = submission.value.tiers.map((t) => ({
    level: t.level,
    thresholdPoints: t.thresholdPoints,
    discountBps: t.discountBps,
    keepPointsPerMonth: t.level === 0 ? null : (t.keepPointsPerMonth ?? null),
  }))
  const result = await updateVipTiers(getDb(), {
    operatorId: operator.id,
    tiers,
    note: submission.value.note,
    now: new Date(),
  })
  if (!result.ok) {
    const index = new Map(submission.value.tiers.map((t, i) => [t.level, i]))
    const fieldErrors: Record<string, string[]> = {}
    for (const issue of result.issues)
      (fieldErrors[`tiers[${index.get(issue.level)}].${issue.field}`] ??= []).push(
        `membership.admin.issues.${issue.code}`,
      )
    return json({ result: submission.reply({ fieldErrors }), saved: false }, { status: 422 })
  }
  return json({ result: submission.reply({ resetForm: true }), saved: true })
}

const percent = (bps: number) => (bps / 100).toFixed(2).replace(/\.?0+$/, '')

export default function AdminVip() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: {
      tiers: data.tiers.map((x) => ({
        level: String(x.level),
        thresholdPoints: String(x.thresholdPoints),
        discountBps: percent(x.discountBps),
        keepPointsPerMonth: x.keepPointsPerMonth === null ? '' : String(x.keepPointsPerMonth),
      })),
      note: '',
    },
    shouldValidate: 'onSubmit',
  })
  const rows = fields.tiers.getFieldList()
  return (
    <div className="page">
      <AdminTabs current="vip" />
      <h1>{t('membership.admin.vipTitle')}</h1>
      <p>
        {t('membership.admin.vipIntro')} <Link to="/admin/invitations">{t('membership.admin.invitationsLink')}</Link>
      </p>
      {actionData?.saved && (
        <p className="notice" role="status">
          {t('membership.admin.saved')}
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="form-card vip-form">
        <FormErrors form={form} />
        <table className="vip-table">
          <thead>
            <tr>
              <th>{t('membership.admin.level')}</th>
              <th>{t('membership.admin.threshold')}</th>
              <th>{t('membership.admin.discount')}</th>
              <th>{t('membership.admin.keep')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const f = row.getFieldset()
              const level = data.tiers[i]?.level ?? i
              const levelName = t(`levels.${level}` as 'levels.0')
              return (
                <tr key={row.key}>
                  <th scope="row">
                    {levelName}
                    <input {...getInputProps(f.level, { type: 'hidden' })} />
                  </th>
                  {(['thresholdPoints', 'discountBps', 'keepPointsPerMonth'] as const).map((name) => (
                    <td key={name}>
                      {level === 0 && name !== 'thresholdPoints' && name !== 'discountBps' ? (
                        '–'
                      ) : (
                        <input
                          {...getInputProps(f[name], { type: 'text' })}
                          inputMode="decimal"
                          aria-label={`${levelName} ${t(name === 'thresholdPoints' ? 'membership.admin.threshold' : name === 'discountBps' ? 'membership.admin.discount' : 'membership.admin.keep')}`}
                        />
                      )}
                      <FieldErrors field={f[name]} />
                    </td>
                  ))}
                </tr>
              )
            })}
          </tbody>
        </table>
        <label htmlFor={fields.note.id}>{t('membership.admin.note')}</label>
        <input {...getInputProps(fields.note, { type: 'text' })} />
        <FieldErrors field={fields.note} />
        <button type="submit" className="button primary">
          {t('membership.admin.save')}
        </button>
      </Form>
      <h2>{t('membership.admin.history')}</h2>
      {data.changes.length === 0 ? (
        <p className="muted">{t('membership.admin.noHistory')}</p>
      ) : (
        <ul className="changes">
          {data.changes.map((c) => (
            <li key={c.id}>
              {formatDateTime(c.at, i18n.language)} · {c.operator} · {c.note}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
