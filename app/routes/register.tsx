import { FieldErrors, FormErrors } from '#app/components/form-errors'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TooManyAttemptsError } from '#app/domain/errors'
import { AccountExistsError, InvitationCodeError } from '#app/domain/membership-errors'
import { homeFor } from '#app/domain/roles'
import { RegisterSchema } from '#app/schemas/membership'
import { registerMember } from '#app/services/membership/members.server'
import { getDb } from '#app/utils/db.server'
import { clientKey } from '#app/utils/http.server'
import { commitSession, getUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { SubmitButton } from '#app/components/submit-button'

export const meta: MetaFunction = ({ matches }) => [
  { title: localTitle(matches, (t) => t('membership.register.title')) },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) throw redirect(homeFor(user.role))
  return null
}

const CODE_MESSAGES = {
  unknown: 'codeUnknown',
  expired: 'codeExpired',
  exhausted: 'codeExhausted',
  inactive: 'codeInactive',
} as const

export async function action({ request }: ActionFunctionArgs) {
  if (await getUser(request)) throw redirect('/account')
  const submission = parseWithZod(await request.formData(), { schema: RegisterSchema })
  if (submission.status !== 'success')
    return json({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  try {
    const session = await registerMember(getDb(), {
      ...submission.value,
      clientKey: clientKey(request),
      now: new Date(),
    })
    return redirect('/account', { headers: { 'Set-Cookie': await commitSession(session.sessionId) } })
  } catch (error) {
    if (error instanceof InvitationCodeError) {
      return json(
        {
          result: submission.reply({
            fieldErrors: { code: [`membership.register.${CODE_MESSAGES[error.refusal]}`] },
            hideFields: ['password'],
          }),
        },
        { status: 422 },
      )
    }
    if (error instanceof AccountExistsError) {
      return json(
        {
          result: submission.reply({
            fieldErrors: { identifier: ['membership.register.exists'] },
            hideFields: ['password'],
          }),
        },
        { status: 409 },
      )
    }
    if (error instanceof TooManyAttemptsError) {
      return json(
        {
          result: submission.reply({ formErrors: ['membership.register.throttled'], hideFields: ['password'] }),
          retryAt: String(error.details.retryAt),
        },
        { status: 429 },
      )
    }
    throw error
  }
}

export default function Register() {
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(RegisterSchema),
    defaultValue: { code: params.get('code') ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RegisterSchema }),
    shouldRevalidate: 'onBlur',
  })
  const retryAt =
    actionData && 'retryAt' in actionData
      ? new Date(String(actionData.retryAt)).toLocaleTimeString(i18n.language, { timeZone: 'Asia/Shanghai' })
      : ''
  const field = (
    name: 'code' | 'identifier' | 'password' | 'displayName',
    type: 'text' | 'password',
    autoComplete: string,
  ) => (
    <>
      <label htmlFor={fields[name].id}>{t(`membership.register.${name}`)}</label>
      <input {...getInputProps(fields[name], { type })} autoComplete={autoComplete} />
      <FieldErrors field={fields[name]} />
    </>
  )
  return (
    <div className="page narrow">
      <h1>{t('membership.register.title')}</h1>
      <p className="muted">{t('membership.register.intro')}</p>
      <Form method="post" {...getFormProps(form)} className="form-card">
        <FormErrors form={form} values={{ time: retryAt }} />
        {field('code', 'text', 'off')}
        {field('identifier', 'text', 'username')}
        {field('password', 'password', 'new-password')}
        {field('displayName', 'text', 'nickname')}
        <SubmitButton className="button primary">{t('membership.register.submit')}</SubmitButton>
      </Form>
      <p>
        <Link to="/login">{t('membership.register.haveAccount')}</Link>
      </p>
    </div>
  )
}
