import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { fieldReply, FieldErrors, FormErrors, replyErrors, type FormReply } from '#app/components/form-errors'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { SessionFormSchema, shanghaiLocalToUtc, utcToShanghaiLocal } from '#app/schemas/catalog'
import { createBrandSession } from '#app/services/sessions/brand-sessions.server'
import { hasFile, storeImage, uploadMaxBytes } from '#app/services/catalog/uploads.server'
import { requireBrand } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { bodyTooLarge, domainErrorReply, invalidReply } from '#app/utils/http.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireBrand(request)
  // Suggest tomorrow 20:00 Beijing time.
  const suggest = new Date(Math.ceil((Date.now() + 26 * 3_600_000) / 3_600_000) * 3_600_000)
  return json({ suggested: utcToShanghaiLocal(suggest), leadHours: PLATFORM_RULES.minScheduleLeadMs / 3_600_000 })
}

export async function action({ request }: ActionFunctionArgs) {
  const { brandId } = await requireBrand(request)
  if (bodyTooLarge(request, uploadMaxBytes() + 1024 * 1024))
    return invalidReply(null, { fieldErrors: { banner: ['catalog.errors.image_too_large'] }, status: 413 })
  const formData = await request.formData().catch(() => null)
  if (!formData) return invalidReply(null, { fieldErrors: { '': ['catalog.errors.bad_request'] } })
  const submission = parseWithZod(formData, { schema: SessionFormSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  try {
    const banner = formData.get('banner')
    const bannerPath = hasFile(banner) ? await storeImage(banner, 'banner') : null
    const id = await createBrandSession(
      getDb(),
      brandId,
      { ...submission.value, startsAt: shanghaiLocalToUtc(submission.value.startsAt), bannerPath },
      new Date(),
    )
    return redirect(`/brand/sessions/${id}`)
  } catch (e) {
    return domainErrorReply(e, submission, { messages: 'catalog.errors' })
  }
}

export default function NewSession() {
  const { suggested, leadHours } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as FormReply | undefined
  const nav = useNavigation()
  const { t } = useTranslation()
  const errorOf = (name: string) => <FieldErrors {...fieldReply(reply, name)} />
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/sessions">← {t('catalog.sessions.title')}</Link>
      </p>
      <h1>{t('catalog.sessions.new')}</h1>
      <Form method="post" encType="multipart/form-data" className="catalog-form" noValidate>
        <FormErrors form={replyErrors(reply?.result)} values={reply?.formError} />
        <label>
          {t('catalog.sessions.titleZh')}
          <input name="title" required maxLength={120} />
        </label>
        {errorOf('title')}
        <label>
          {t('catalog.sessions.titleEn')}
          <input name="titleEn" maxLength={120} />
        </label>
        <label>
          {t('catalog.sessions.startsAt')}
          <input type="datetime-local" name="startsAt" defaultValue={suggested} required />
        </label>
        <p className="hint">{t('catalog.sessions.startsAtHint', { hours: leadHours })}</p>
        {errorOf('startsAt')}
        <label>
          {t('catalog.sessions.banner')}
          <input type="file" name="banner" accept="image/jpeg,image/png,image/webp" />
        </label>
        {errorOf('banner')}
        <button type="submit" className="button" disabled={nav.state === 'submitting'}>
          {t('catalog.sessions.create')}
        </button>
      </Form>
    </div>
  )
}
