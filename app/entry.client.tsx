import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { addMessages, createI18n, DEFAULT_LOCALE, hasMessages, isLocale, loadMessages, type Locale } from './i18n'
import zhCN from './locales/zh-CN'

// The default language comes with the entry (its chunk is preloaded with the page's scripts, so most pages hydrate
// as soon as they load); another language is fetched first. Either way a page holds only its own language.
addMessages(DEFAULT_LOCALE, zhCN)
const lang = document.documentElement.lang
const locale = isLocale(lang) ? lang : DEFAULT_LOCALE

function hydrate(locale: Locale) {
  const i18n = createI18n(locale)
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <RemixBrowser />
        </I18nextProvider>
      </StrictMode>,
    )
  })
}

if (hasMessages(locale)) hydrate(locale)
else void loadMessages(locale).then(() => hydrate(locale))
