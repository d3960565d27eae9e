import { Form, useLocation } from '@remix-run/react'
import { useFastTranslation } from '#app/components/use-fast-translation'
import { LOCALES } from '#app/i18n'

const LABELS = { 'zh-CN': '中文', en: 'English' } as const

/** A plain form, so switching works before JavaScript loads. */
export function LanguageSwitch() {
  const { t, i18n } = useFastTranslation()
  const location = useLocation()
  return (
    <Form method="post" action="/set-language" className="language-switch" aria-label={t('nav.language')}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {LOCALES.map((l) => (
        <button key={l} type="submit" name="locale" value={l} aria-pressed={i18n.language === l} lang={l}>
          {LABELS[l]}
        </button>
      ))}
    </Form>
  )
}
