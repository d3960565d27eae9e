import { FieldErrors, FormErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { InvalidCredentialsError, TooManyAttemptsError } from '#app/domain/errors'
import { homeFor, landingAfterSignIn } from '#app/domain/roles'
import { SignInSchema } from '#app/schemas/sign-in'
import { signIn } from '#app/services/auth.server'
import { getDb } from '#app/utils/db.server'
import { clientKey } from '#app/utils/http.server'
import { commitSession, getUser } from '#app/utils/session.server'
import { SubmitButton } from '#app/components/submit-button'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SignInSchema })
  if (submission.status !== 'success')
    return json({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  try {
    const { identifier, password, redirectTo } = submission.value
    const session = await signIn(getDb(), { identifier, password, clientKey: clientKey(request), now: new Date() })
    return redirect(landingAfterSignIn(session.role, redirectTo), {
      headers: { 'Set-Cookie': await commitSession(session.sessionId) },
    })
  } catch (error) {
    if (error instanceof TooManyAttemptsError) {
      return json(
        {
          result: submission.reply({ formErrors: ['signIn.throttled'], hideFields: ['password'] }),
          retryAt: String(error.details.retryAt) as string,
        },
        { status: 429 },
      )
    }
    if (error instanceof InvalidCredentialsError) {
      return json(
        { result: submission.reply({ formErrors: ['signIn.invalid'], hideFields: ['password'] }) },
        { status: 401 },
      )
    }
    throw error
  }
}

export default function Login() {
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignInSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
    shouldRevalidate: 'onBlur',
  })
  const retryAt =
    actionData && 'retryAt' in actionData
      ? new Date(String(actionData.retryAt)).toLocaleTimeString(i18n.language, { timeZone: 'Asia/Shanghai' })
      : ''
  return (
    <div className="page narrow">
      <h1>{t('signIn.title')}</h1>
      <Form method="post" {...getFormProps(form)} className="form-card">
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <FormErrors form={form} values={{ time: retryAt }} />
        <label htmlFor={fields.identifier.id}>{t('signIn.identifier')}</label>
        <input {...getInputProps(fields.identifier, { type: 'text' })} autoComplete="username" />
        <FieldErrors field={fields.identifier} />
        <label htmlFor={fields.password.id}>{t('signIn.password')}</label>
        <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="current-password" />
        <FieldErrors field={fields.password} />
        <SubmitButton className="button primary">{t('signIn.submit')}</SubmitButton>
      </Form>
      <p className="muted">{t('signIn.demoHint')}</p>
    </div>
  )
}
