import { FieldErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { ApplicationRefusedError, type ApplicationRefusal } from '#app/domain/onboarding'
import { APPLICATION_CATEGORIES, PLATFORM_RULES, REFUSED_CATEGORIES } from '#app/domain/platform-rules'
import { ApplicationSchema } from '#app/schemas/onboarding'
import { submitApplication } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { useTx } from '#app/components/onboarding'
import { localTitle } from '#app/utils/meta'
import { SubmitButton } from '#app/components/submit-button'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('onboarding.apply.title')) }]

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ApplicationSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), refusals: null }, { status: 400 })
  try {
    const { statusPath } = await submitApplication(getDb(), submission.value, new Date())
    return redirect(statusPath)
  } catch (error) {
    if (error instanceof ApplicationRefusedError) {
      return json(
        { result: submission.reply({ formErrors: ['onboarding.apply.refusedTitle'] }), refusals: error.refusals },
        { status: 422 },
      )
    }
    throw error
  }
}

function Refusal({ r }: { r: ApplicationRefusal }) {
  const { tx, money } = useTx()
  if (r.code === 'refused_categories') {
    return (
      <li>
        {tx('onboarding.apply.refusedCategories', {
          list: r.categories.map((c) => tx(`onboarding.categories.${c}`)).join(tx('onboarding.listSep')),
        })}
      </li>
    )
  }
  if (r.code === 'annual_sales_below_threshold') {
    return <li>{tx('onboarding.apply.refusedSales', { min: money(r.minimumMinor), actual: money(r.actualMinor) })}</li>
  }
  return <li>{tx('onboarding.apply.refusedStores', { min: r.minimum, actual: r.actual })}</li>
}

export default function Apply() {
  const actionData = useActionData<typeof action>()
  const { tx, money } = useTx()
  const rules = PLATFORM_RULES.onboarding
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(ApplicationSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ApplicationSchema }),
    shouldRevalidate: 'onBlur',
  })
  const chosen = new Set([fields.categories.initialValue ?? []].flat() as string[])
  const refusals = actionData?.refusals ?? null
  const text = (
    name:
      | 'companyName'
      | 'brandName'
      | 'contactName'
      | 'contactPhone'
      | 'contactEmail'
      | 'annualSalesYuan'
      | 'offlineStores',
    type: 'text' | 'email' | 'tel' = 'text',
    extra: Record<string, string> = {},
  ) => {
    const f = fields[name]
    return (
      <>
        <label htmlFor={f.id}>{tx(`onboarding.apply.${name}`)}</label>
        <input {...getInputProps(f, { type })} {...extra} />
        <FieldErrors field={f} />
      </>
    )
  }
  return (
    <div className="page apply-page">
      <h1>{tx('onboarding.apply.title')}</h1>
      <p>
        {tx('onboarding.apply.intro', {
          sales: money(rules.minAnnualSalesMinor),
          stores: rules.minOfflineStores,
          deposit: money(rules.depositMinor, rules.depositCurrency),
        })}
      </p>
      <p className="muted">
        {tx('onboarding.apply.notAccepted', {
          list: REFUSED_CATEGORIES.map((c) => tx(`onboarding.categories.${c}`)).join(tx('onboarding.listSep')),
        })}
      </p>
      <Form method="post" {...getFormProps(form)} className="form-card apply-form">
        {refusals ? (
          <div className="form-error" role="alert" id={form.errorId} data-testid="refusal">
            <strong>{tx('onboarding.apply.refusedTitle')}</strong>
            <ul>
              {refusals.map((r) => (
                <Refusal key={r.code} r={r} />
              ))}
            </ul>
            <span>{tx('onboarding.apply.fixAndResubmit')}</span>
          </div>
        ) : null}
        <div className="apply-grid">
          <div className="apply-col">
            {text('companyName')}
            {text('brandName')}
            {text('contactName')}
            {text('contactPhone', 'tel', { autoComplete: 'tel' })}
            {text('contactEmail', 'email', { autoComplete: 'email' })}
          </div>
          <div className="apply-col">
            {text('annualSalesYuan', 'text', { inputMode: 'numeric' })}
            {text('offlineStores', 'text', { inputMode: 'numeric' })}
            <fieldset className="category-picker" aria-describedby={fields.categories.errorId}>
              <legend>{tx('onboarding.apply.categories')}</legend>
              {APPLICATION_CATEGORIES.map((c) => {
                const refused = (REFUSED_CATEGORIES as readonly string[]).includes(c)
                return (
                  <label key={c} className={refused ? 'refused' : undefined}>
                    <input type="checkbox" name={fields.categories.name} value={c} defaultChecked={chosen.has(c)} />
                    {tx(`onboarding.categories.${c}`)}
                    {refused ? <span className="muted small">{tx('onboarding.apply.refusedTag')}</span> : null}
                  </label>
                )
              })}
            </fieldset>
            <FieldErrors field={fields.categories} />
          </div>
        </div>
        <SubmitButton className="button primary">{tx('onboarding.apply.submit')}</SubmitButton>
      </Form>
    </div>
  )
}
