import { FieldErrors, FormErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { SetPasswordSchema } from '#app/schemas/onboarding'
import { setPasswordWithLink, setupLinkInfo } from '#app/services/onboarding/applications.server'
import { getDb } from '#app/utils/db.server'
import { useTx } from '#app/components/onboarding'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('onboarding.setPassword.title')) },
  { name: 'robots', content: 'noindex' },
]
const headers = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

export async function loader({ params }: LoaderFunctionArgs) {
  const info = await setupLinkInfo(getDb(), params.token ?? '', new Date())
  // An unknown, used or expired link is a 404 page that says so.
  return json({ info }, { status: info ? 200 : 404, headers })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SetPasswordSchema })
  if (submission.status !== 'success')
    return json({ result: submission.reply({ hideFields: ['password', 'confirm'] }) }, { status: 400, headers })
  const done = await setPasswordWithLink(getDb(), {
    token: params.token ?? '',
    password: submission.value.password,
    now: new Date(),
  })
  if (!done)
    return json(
      {
        result: submission.reply({
          formErrors: ['onboarding.setPassword.invalid'],
          hideFields: ['password', 'confirm'],
        }),
      },
      { status: 404, headers },
    )
  return redirect(`/login?redirectTo=${encodeURIComponent('/brand/deposit')}&setup=1`)
}

export default function SetPassword() {
  const { info } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { tx } = useTx()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(SetPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetPasswordSchema }),
    shouldRevalidate: 'onBlur',
  })
  if (!info)
    return (
      <div className="page narrow">
        <h1>{tx('onboarding.setPassword.title')}</h1>
        <p className="form-error" role="alert">
          {tx('onboarding.setPassword.invalid')}
        </p>
      </div>
    )
  return (
    <div className="page narrow">
      <h1>{tx('onboarding.setPassword.title')}</h1>
      <p>{tx('onboarding.setPassword.intro', { login: info.login })}</p>
      <Form method="post" {...getFormProps(form)} className="form-card">
        <FormErrors form={form} />
        <input type="text" name="username" autoComplete="username" defaultValue={info.login ?? ''} hidden readOnly />
        <label htmlFor={fields.password.id}>{tx('onboarding.setPassword.password')}</label>
        <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="new-password" />
        <FieldErrors field={fields.password} />
        <label htmlFor={fields.confirm.id}>{tx('onboarding.setPassword.confirm')}</label>
        <input {...getInputProps(fields.confirm, { type: 'password' })} autoComplete="new-password" />
        <FieldErrors field={fields.confirm} />
        <button type="submit" className="button primary">
          {tx('onboarding.setPassword.submit')}
        </button>
      </Form>
    </div>
  )
}
