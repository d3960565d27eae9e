import type { TFunction } from 'i18next'
import { i18nFor, DEFAULT_LOCALE, isLocale, type Locale } from '#app/i18n'
import { cachedT } from '#app/components/use-fast-translation'

type Matches = readonly { id: string; data?: unknown }[]

/** The visitor's language as the root loader reported it (meta functions have no hooks). */
export function metaLocale(matches: Matches): Locale {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined)?.locale
  return isLocale(locale) ? locale : DEFAULT_LOCALE
}

/** "<page> · 清仓集市" / "<page> · Clearance Market": the tab title in the visitor's language. */
export function localTitle(
  matches: Matches,
  page: (t: TFunction, locale: Locale) => string | null | undefined,
): string {
  const locale = metaLocale(matches)
  const t = cachedT(i18nFor(locale))
  const part = page(t, locale)
  return part ? `${part} · ${t('app.name')}` : t('app.name')
}

/** What a shared link previews as (WeChat, Moments, chat apps): the loader builds it, `openGraph` renders it. */
export interface OpenGraph {
  type: 'website' | 'product'
  title: string
  description: string
  url: string
  image: string | null
  /** Pixel size of `image` when it is fixed (the share card), so apps lay the preview out before fetching it. */
  imageSize?: { width: number; height: number }
  noindex?: boolean
}

/** The page title, description and Open Graph tags of a reseller's public page. */
export function openGraph(og: OpenGraph) {
  return [
    { title: og.title },
    { name: 'description', content: og.description },
    ...(og.noindex ? [{ name: 'robots', content: 'noindex' }] : []),
    { property: 'og:type', content: og.type },
    { property: 'og:title', content: og.title },
    { property: 'og:description', content: og.description },
    ...(og.image ? [{ property: 'og:image', content: og.image }] : []),
    ...(og.image && og.imageSize
      ? [
          { property: 'og:image:width', content: String(og.imageSize.width) },
          { property: 'og:image:height', content: String(og.imageSize.height) },
        ]
      : []),
    { property: 'og:url', content: og.url },
  ]
}
