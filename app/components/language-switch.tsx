import { Form, useLocation } from '@remix-run/react'
import type { i18n as I18n } from 'i18next'
import { useEffect } from 'react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { addLanguage, LOCALES, type Locale } from '#app/i18n'

const LABELS = { 'zh-CN': '中文', en: 'English' } as const

/**
 * A plain form, so switching works before JavaScript loads; with JavaScript too it loads a new document (the
 * browser holds only the page's language, see app/i18n.ts), which comes back in the chosen language.
 */
export function LanguageSwitch() {
  const { t, i18n } = useFastTranslation()
  const location = useLocation()
  return (
    <Form
      method="post"
      action="/set-language"
      reloadDocument
      className="language-switch"
      aria-label={t('nav.language')}
    >
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {LOCALES.map((l) => (
        <button key={l} type="submit" name="locale" value={l} aria-pressed={i18n.language === l} lang={l}>
          {LABELS[l]}
        </button>
      ))}
    </Form>
  )
}

/**
 * The page's language follows the root loader's locale: on the server the request's instance already speaks it; in
 * the browser a locale that changed under a client-side navigation (the cookie set elsewhere) switches the
 * instance when its translations are at hand, and otherwise loads the page again in that language. No locale (the
 * root loader failed): the page stays as it is.
 */
export function useFollowLocale(i18n: I18n, locale: Locale | undefined) {
  const browser = typeof document !== 'undefined'
  if (browser && locale && i18n.language !== locale && addLanguage(i18n, locale)) void i18n.changeLanguage(locale)
  useEffect(() => {
    if (locale && i18n.language !== locale) window.location.reload()
  }, [i18n, locale])
}
