import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { createI18n, DEFAULT_LOCALE, isLocale, loadMessages } from './i18n'

const lang = document.documentElement.lang
const locale = isLocale(lang) ? lang : DEFAULT_LOCALE

// Only the page's language is fetched, then the page hydrates in it.
void loadMessages(locale).then(() => {
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
})
