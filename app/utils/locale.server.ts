import { createCookie } from '@remix-run/node'
import { DEFAULT_LOCALE, isLocale, type Locale } from '#app/i18n'

export const localeCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: false,
  maxAge: 365 * 24 * 60 * 60,
})

/** The chosen language is a cookie; without one, zh-CN. */
export function getLocale(request: Request): Promise<Locale> {
  return localeOfCookie(request.headers.get('Cookie'))
}

const HAS_LOCALE_COOKIE = new RegExp(`(?:^|;\\s*)${localeCookie.name}=`)

/** The language a Cookie header chose (zh-CN without one), for callers that have the header but no Request. */
export async function localeOfCookie(cookie: string | null): Promise<Locale> {
  // Most visitors of her pages have no language cookie: nothing to parse (a viral page's every view asks).
  if (!cookie || !HAS_LOCALE_COOKIE.test(cookie)) return DEFAULT_LOCALE
  const value = await localeCookie.parse(cookie)
  return isLocale(value) ? value : DEFAULT_LOCALE
}
