import { useContext } from 'react'
import { getI18n, I18nContext } from 'react-i18next'

/**
 * `useTranslation()` for components rendered many times per page (item cards, prices, stock badges).
 * react-i18next's hook copies the i18next instance into a fresh wrapper object on every mount (~25 µs, and
 * garbage); 60 cards mount ~240 of them per server render, which cost the session page a large share of its
 * throughput (measured in tests/bench, session scenario). This reads the request's instance from context.
 * Language switches still re-render these components: they sit under route components that re-render when
 * the root loader's locale changes. Without a provider it uses the global instance, as the hook would.
 */
export function useListTranslation() {
  const i18n = useContext(I18nContext)?.i18n ?? getI18n()
  return { t: i18n.t, i18n }
}
