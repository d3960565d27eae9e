import { createCookie } from '@remix-run/node'
import { DEFAULT_LOCALE, isLocale, type Locale } from '#app/i18n'

export const localeCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: false,
  maxAge: 365 * 24 * 60 * 60,
})

/** The chosen language is a cookie; without one, zh-CN. */
export async function getLocale(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get('Cookie'))
  return isLocale(value) ? value : DEFAULT_LOCALE
}
