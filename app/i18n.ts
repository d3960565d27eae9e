import i18next, { type i18n } from 'i18next'
import type { Messages } from './locales/zh-CN'
import { allMessages } from './locales/all.server'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

/**
 * The translations at hand. The server has both languages from the start; in the browser a `.server` module is
 * empty: the entry bundles the default language (most pages, hydrated at once) and an English page fetches its
 * own chunk before hydrating (`loadMessages`). A Chinese page never downloads, parses or keeps the English.
 */
const messages: Partial<Record<Locale, Messages>> = { ...allMessages }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function hasMessages(locale: Locale): boolean {
  return messages[locale] !== undefined
}

/** Registers translations the caller already has (the browser's entry bundles the default language). */
export function addMessages(locale: Locale, loaded: Messages) {
  messages[locale] ??= loaded
}

/** Makes `locale`'s translations available (the browser fetches that language's chunk once). */
export async function loadMessages(locale: Locale): Promise<void> {
  if (messages[locale]) return
  const loaded = (locale === 'en' ? await import('./locales/en') : await import('./locales/zh-CN')).default
  messages[locale] = loaded
  for (const instance of shared.values()) instance.addResourceBundle(locale, 'translation', loaded)
}

/**
 * Gives `instance` the translations of `locale` if they are at hand; false when they are not (the browser has
 * only its page's language).
 */
export function addLanguage(instance: i18n, locale: Locale): boolean {
  const loaded = messages[locale]
  if (!loaded) return false
  if (!instance.hasResourceBundle(locale, 'translation')) instance.addResourceBundle(locale, 'translation', loaded)
  return true
}

function resources() {
  return Object.fromEntries(
    Object.entries(messages).map(([locale, translation]) => [locale, { translation }]),
  ) as Partial<Record<Locale, { translation: Messages }>>
}

/** A fresh, synchronously initialised instance per request (server) or per page load (client). */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources: resources(),
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  rememberLanguageCodes(instance)
  return instance
}

/**
 * i18next formats the language code on every lookup, for "zh-CN" through `Intl.getCanonicalLocales` (a few µs a
 * call, ~20 ms of a slow phone's hydration). The answer depends only on the code: each is worked out once.
 */
function rememberLanguageCodes(instance: i18n) {
  const utils = instance.services.languageUtils as { formatLanguageCode: (code: string) => string }
  const format = utils.formatLanguageCode.bind(utils)
  const formatted = new Map<string, string>()
  utils.formatLanguageCode = (code: string) => {
    if (typeof code !== 'string') return format(code)
    let result = formatted.get(code)
    if (result === undefined) {
      result = format(code)
      formatted.set(code, result)
    }
    return result
  }
}

const shared = new Map<Locale, i18n>()

/**
 * One initialised instance per language, shared by every server render, meta function and card text: building an
 * instance costs ~0.3 ms, and its translations memoised per instance (useFastTranslation) then last. Its language
 * is fixed: changing it would change every request's, so that throws.
 */
export function i18nFor(locale: Locale): i18n {
  let instance = shared.get(locale)
  if (!instance) {
    instance = createI18n(locale)
    instance.changeLanguage = () => {
      throw new Error(`the shared ${locale} i18n instance cannot change its language`)
    }
    shared.set(locale, instance)
  }
  return instance
}
