import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldErrors, replyErrors, type FormReply } from '#app/components/form-errors'
import { MarkupFields } from '#app/components/markup-fields'
import { markupFromFields, ProfileSchema } from '#app/schemas/reseller'
import { getProfile, saveProfile } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.profile.title')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json({ profile: await getProfile(getDb(), user) })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const submission = parseWithZod(await request.formData(), { schema: ProfileSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const { displayName, wechatId, phone } = submission.value
  const markup = markupFromFields(submission.value)
  await saveProfile(
    getDb(),
    user.id,
    { displayName, wechatId, phone, markup: markup === 'invalid' ? null : markup },
    new Date(),
  )
  return json({ result: submission.reply(), saved: true })
}

// The markup's fields (kind, amount, rounding) read as one setting, so they share one message.
const MARKUP_FIELDS = ['markup', 'markupKind', 'markupValue', 'rounding']

export default function ResellerProfile() {
  const { profile } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as (FormReply & { saved?: boolean }) | undefined
  const { t } = useTranslation()
  const err = (name: string) => <FieldErrors field={replyErrors(data?.result, name)} />
  const invalid = (name: string) =>
    data?.result?.error?.[name] ? { 'aria-invalid': true, 'aria-describedby': `${name}-error` } : {}
  const markupError = MARKUP_FIELDS.some((name) => data?.result?.error?.[name])
  return (
    <div className="page narrow">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>{t('reseller.profile.title')}</h1>
      <p className="muted">{t('reseller.profile.intro')}</p>
      <Form method="post" className="form-card">
        {data?.saved && (
          <p className="form-ok" role="status">
            {t('reseller.profile.saved')}
          </p>
        )}
        <label htmlFor="displayName">{t('reseller.profile.displayName')}</label>
        <input
          id="displayName"
          name="displayName"
          {...invalid('displayName')}
          defaultValue={profile.displayName}
          required
          maxLength={40}
        />
        {err('displayName')}
        <label htmlFor="wechatId">{t('reseller.profile.wechatId')}</label>
        <input
          id="wechatId"
          name="wechatId"
          {...invalid('wechatId')}
          defaultValue={profile.wechatId ?? ''}
          maxLength={20}
        />
        {err('wechatId')}
        <label htmlFor="phone">{t('reseller.profile.phone')}</label>
        <input
          id="phone"
          name="phone"
          {...invalid('phone')}
          defaultValue={profile.phone ?? ''}
          maxLength={21}
          inputMode="tel"
        />
        {err('phone')}
        <p className="muted small">{t('reseller.profile.contactHint')}</p>
        {err('contact')}
        <fieldset>
          <legend>{t('reseller.profile.defaultMarkup')}</legend>
          <MarkupFields initial={profile.markup} allowNone />
        </fieldset>
        <FieldErrors
          field={{ errors: markupError ? ['reseller.profile.errors.markup'] : undefined, errorId: 'markup-error' }}
        />
        <button type="submit" className="button primary">
          {t('reseller.profile.save')}
        </button>
      </Form>
    </div>
  )
}
