import { useContext } from 'react'
import type { i18n as I18n } from 'i18next'
import { getI18n, I18nContext } from 'react-i18next'

/**
 * `useTranslation()` for components rendered many times per page (item cards, prices, stock badges) or on every
 * page (the layout, header, language switch), and for the session page, the flash-sale's busiest. react-i18next's hook copies the i18next instance into a fresh wrapper object on every mount (~25 µs, and
 * garbage); 60 cards mount ~240 of them per server render. This reads the request's instance from context
 * instead, and remembers lookups (a key without options, or with plain interpolation values) per instance and
 * language: i18next resolves the language hierarchy on every call, ~300 times per session page. Measured in
 * tests/bench (session).
 * Language switches still re-render these components: they sit under the root Layout, which re-renders (and
 * switches the language) when the root loader's locale changes. Without a provider it uses the global instance, as the hook would.
 */
export function useFastTranslation() {
  const i18n = useContext(I18nContext)?.i18n ?? getI18n()
  return { t: cachedT(i18n), i18n }
}

const translators = new WeakMap<I18n, I18n['t']>()

/** The remembering `t` of an i18next instance (meta functions, which have no hooks, use it too). */
export function cachedT(i18n: I18n): I18n['t'] {
  let t = translators.get(i18n)
  if (!t) {
    // Bounded: the shared per-language instances (i18nFor) keep theirs across requests, and interpolated values vary.
    const seen = new Map<string, string>()
    const full = i18n.t as unknown as (...a: unknown[]) => string
    const remembered = (k: string, compute: () => string) => {
      let value = seen.get(k)
      if (value === undefined) {
        value = compute()
        if (seen.size >= SEEN_MAX) seen.clear()
        seen.set(k, value)
      }
      return value
    }
    t = ((key: unknown, ...rest: unknown[]) => {
      if (typeof key !== 'string') return full(key, ...rest)
      if (rest.length === 0) return remembered(`${i18n.language}\u0000${key}`, () => String(full(key)))
      // Interpolation with plain values only (no counts of objects, no functions) is as deterministic as a plain key.
      const options = rest.length === 1 ? rest[0] : undefined
      if (isPlainValues(options))
        return remembered(`${i18n.language}\u0000${key}\u0000${JSON.stringify(options)}`, () =>
          String(full(key, options)),
        )
      return full(key, ...rest)
    }) as unknown as I18n['t']
    translators.set(i18n, t)
  }
  return t
}

const SEEN_MAX = 5_000

function isPlainValues(options: unknown): options is Record<string, string | number | boolean> {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)
    return false
  for (const value of Object.values(options)) {
    const type = typeof value
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false
  }
  return true
}
