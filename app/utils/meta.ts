import type { TFunction } from 'i18next'
import { i18nFor, DEFAULT_LOCALE, isLocale, type Locale } from '#app/i18n'

type Matches = readonly { id: string; data?: unknown }[]

/** The visitor's language as the root loader reported it (meta functions have no hooks). */
export function metaLocale(matches: Matches): Locale {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined)?.locale
  return isLocale(locale) ? locale : DEFAULT_LOCALE
}

/** "<page> · 清仓集市" / "<page> · Clearance Market": the tab title in the visitor's language. */
export function localTitle(matches: Matches, page: (t: TFunction, locale: Locale) => string | null | undefined): string {
  const locale = metaLocale(matches)
  const t = i18nFor(locale).t
  const part = page(t, locale)
  return part ? `${part} · ${t('app.name')}` : t('app.name')
}
