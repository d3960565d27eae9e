import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { MarkupFields } from '#app/components/markup-fields'
import { markupFromFields, ProfileSchema } from '#app/schemas/reseller'
import { getProfile, saveProfile } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.profile.title')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json({ profile: await getProfile(getDb(), user) })
}

type FieldErrors = Partial<Record<'displayName' | 'wechatId' | 'phone' | 'contact' | 'markup', string>>

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const parsed = ProfileSchema.safeParse(Object.fromEntries(await request.formData()))
  const errors: FieldErrors = {}
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as keyof FieldErrors
      errors[['displayName', 'wechatId', 'phone'].includes(field) ? field : 'markup'] = field
    }
    return json({ ok: false as const, errors }, { status: 400 })
  }
  const markup = markupFromFields(parsed.data)
  if (markup === 'invalid') errors.markup = 'markup'
  if (!parsed.data.wechatId && !parsed.data.phone) errors.contact = 'contact'
  if (Object.keys(errors).length || markup === 'invalid') return json({ ok: false as const, errors }, { status: 400 })
  await saveProfile(
    getDb(),
    user.id,
    { displayName: parsed.data.displayName, wechatId: parsed.data.wechatId, phone: parsed.data.phone, markup },
    new Date(),
  )
  return json({ ok: true as const, errors })
}

export default function ResellerProfile() {
  const { profile } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  const err = (k: keyof FieldErrors) =>
    result?.errors[k] ? (
      <p className="field-error" role="alert">
        {t(`reseller.profile.errors.${k}` as 'reseller.profile.errors.phone')}
      </p>
    ) : null
  return (
    <div className="page narrow">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>{t('reseller.profile.title')}</h1>
      <p className="muted">{t('reseller.profile.intro')}</p>
      <Form method="post" className="form-card">
        {result?.ok && (
          <p className="form-ok" role="status">
            {t('reseller.profile.saved')}
          </p>
        )}
        <label htmlFor="displayName">{t('reseller.profile.displayName')}</label>
        <input id="displayName" name="displayName" defaultValue={profile.displayName} required maxLength={40} />
        {err('displayName')}
        <label htmlFor="wechatId">{t('reseller.profile.wechatId')}</label>
        <input id="wechatId" name="wechatId" defaultValue={profile.wechatId ?? ''} maxLength={20} />
        {err('wechatId')}
        <label htmlFor="phone">{t('reseller.profile.phone')}</label>
        <input id="phone" name="phone" defaultValue={profile.phone ?? ''} maxLength={21} inputMode="tel" />
        {err('phone')}
        <p className="muted small">{t('reseller.profile.contactHint')}</p>
        {err('contact')}
        <fieldset>
          <legend>{t('reseller.profile.defaultMarkup')}</legend>
          <MarkupFields initial={profile.markup} allowNone />
        </fieldset>
        {err('markup')}
        <button type="submit" className="button primary">
          {t('reseller.profile.save')}
        </button>
      </Form>
    </div>
  )
}
