import { json, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { isLocale } from '#app/i18n'
import { safeRedirect } from '#app/domain/roles'
import { localeCookie } from '#app/utils/locale.server'

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData()
  const locale = form.get('locale')
  if (!isLocale(locale)) return json({ fieldErrors: { locale: ['unsupported language'] } }, { status: 400 })
  return redirect(safeRedirect(form.get('redirectTo')), {
    headers: { 'Set-Cookie': await localeCookie.serialize(locale) },
  })
}
