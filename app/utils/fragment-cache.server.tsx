import { createHash } from 'node:crypto'
import type { ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import type { i18n as I18n } from 'i18next'
import { LRUCache } from 'lru-cache'
import type { RenderFragment } from '#app/components/server-fragments'

// Rendered HTML of page parts that many requests share (app/components/server-fragments.tsx), keyed by a hash of
// the language and the part's own key, which names its data: a change of data is a new key, never a stale entry.
// Bounded by size; entries unused for a minute go.
const kept = new LRUCache<string, string>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (html) => html.length * 2 + 64,
  ttl: 60_000,
  updateAgeOnGet: true,
})
let renders = 0

/** The fragment renderer of one request: its language's i18n instance wraps every part it renders. */
export function fragmentsFor(i18n: I18n): RenderFragment {
  return (key, render) => {
    const id = createHash('sha1').update(i18n.language).update('\u0000').update(key).digest('base64')
    let html = kept.get(id)
    if (html === undefined) {
      html = renderFragment(i18n, render())
      if (html === undefined) return undefined
      renders++
      kept.set(id, html)
    }
    return html
  }
}

/**
 * renderToString is its own renderer (react-dom's legacy server bundle), so rendering a part inside the page's
 * streaming render leaves the page's render state alone. A part that fails to render alone is left to the page.
 */
function renderFragment(i18n: I18n, element: ReactElement): string | undefined {
  try {
    return renderToString(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>)
  } catch (error) {
    console.error('fragment not kept:', error)
    return undefined
  }
}

/** How many fragments were rendered (not reused) since start, and how many are kept: tests and benchmarks. */
export function fragmentStats() {
  return { renders, kept: kept.size }
}

export function forgetFragments() {
  kept.clear()
}
