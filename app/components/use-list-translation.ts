import { useContext } from 'react'
import type { i18n as I18n } from 'i18next'
import { getI18n, I18nContext } from 'react-i18next'

/**
 * `useTranslation()` for components rendered many times per page (item cards, prices, stock badges).
 * react-i18next's hook copies the i18next instance into a fresh wrapper object on every mount (~25 µs, and
 * garbage); 60 cards mount ~240 of them per server render. This reads the request's instance from context
 * instead, and remembers plain lookups (a key without options) per instance and language: i18next resolves
 * the language hierarchy on every call, ~300 times per session page. Measured in tests/bench (session).
 * Language switches still re-render these components: they sit under route components that re-render when
 * the root loader's locale changes. Without a provider it uses the global instance, as the hook would.
 */
export function useListTranslation() {
  const i18n = useContext(I18nContext)?.i18n ?? getI18n()
  return { t: cachedT(i18n), i18n }
}

const translators = new WeakMap<I18n, I18n['t']>()

function cachedT(i18n: I18n): I18n['t'] {
  let t = translators.get(i18n)
  if (!t) {
    const seen = new Map<string, string>()
    const plain = (key: string) => {
      const k = `${i18n.language}\u0000${key}`
      let value = seen.get(k)
      if (value === undefined) {
        value = String(i18n.t(key))
        seen.set(k, value)
      }
      return value
    }
    const full = i18n.t as unknown as (...a: unknown[]) => string
    t = ((key: unknown, ...rest: unknown[]) =>
      rest.length === 0 && typeof key === 'string' ? plain(key) : full(key, ...rest)) as unknown as I18n['t']
    translators.set(i18n, t)
  }
  return t
}
